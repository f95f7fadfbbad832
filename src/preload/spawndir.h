/* Where the child of a posix_spawn() will exec. */
#ifndef SPAWNDIR_H
#define SPAWNDIR_H

#include <spawn.h>

/*
 * The directory in which the child of a posix_spawn() with file actions
 * fa will exec: AT_FDCWD for ours, or a descriptor on it, which is the
 * caller's to close when it is also stored in *owned. -1 when that cannot
 * be told from here, and the real function must take the call.
 */
int spawn_dir(const posix_spawn_file_actions_t *fa, int *owned);

/*
 * Whether a spawn with file actions fa may be made again, the file being
 * busy: none of its actions opens a file, which could create, truncate or
 * find it there the second time.
 */
int spawn_repeatable(const posix_spawn_file_actions_t *fa);

#endif
