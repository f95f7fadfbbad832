/*
 * Where the child of a posix_spawn() will exec: the file actions can
 * change its directory (posix_spawn_file_actions_addchdir_np, as Rust's
 * Command::current_dir uses, and addfchdir_np), and relative names must
 * resolve there, not in the parent's. glibc's own record of the actions
 * is read for it; with another libc, actions are not looked into.
 *
 * Async-signal-safe and reentrant: openat and close, no static data.
 */
#include <fcntl.h>
#include <unistd.h>

#include "spawndir.h"

#ifdef __GLIBC__
/*
 * glibc's record of one file action (posix/spawn_int.h), read to learn
 * where the child will be when it execs. Its kinds have only been added to
 * at the end since the chdir ones came, in glibc 2.29.
 */
struct glibc_action {
	enum {
		DO_CLOSE,
		DO_DUP2,
		DO_OPEN,
		DO_CHDIR,
		DO_FCHDIR,
		DO_CLOSEFROM,
		DO_TCSETPGRP,
	} tag;
	union {
		struct {
			int fd;
		} close_action;
		struct {
			int fd;
			int newfd;
		} dup2_action;
		struct {
			int fd;
			char *path;
			int oflag;
			mode_t mode;
		} open_action;
		struct {
			char *path;
		} chdir_action;
		struct {
			int fd;
		} fchdir_action;
		struct {
			int from;
		} closefrom_action;
	} action;
};

/* Whether one of the first n actions makes fd another file in the child. */
static int
child_fd_changed(const struct glibc_action *a, int n, int fd)
{
	for (int i = 0; i < n; i++)
		if ((a[i].tag == DO_CLOSE &&
		     a[i].action.close_action.fd == fd) ||
		    (a[i].tag == DO_DUP2 &&
		     a[i].action.dup2_action.newfd == fd) ||
		    (a[i].tag == DO_OPEN && a[i].action.open_action.fd == fd) ||
		    (a[i].tag == DO_CLOSEFROM &&
		     a[i].action.closefrom_action.from <= fd))
			return 1;
	return 0;
}

/*
 * The directory in which the child of a posix_spawn() will exec: AT_FDCWD
 * for ours, or a descriptor on it, which is the caller's to close when it
 * is also stored in *owned. -1 when that cannot be told from here.
 */
int
spawn_dir(const posix_spawn_file_actions_t *fa, int *owned)
{
	const struct glibc_action *a;
	int dir = AT_FDCWD;

	*owned = -1;
	if (fa == NULL)
		return AT_FDCWD;
	if (fa->__used < 0 || fa->__used > fa->__allocated)
		return -1;
	a = (const struct glibc_action *)(const void *)fa->__actions;
	for (int i = 0; i < fa->__used && dir != -1; i++) {
		int next = dir;

		if (a[i].tag == DO_CHDIR)
			next = openat(dir, a[i].action.chdir_action.path,
			              O_PATH | O_DIRECTORY | O_CLOEXEC);
		else if (a[i].tag == DO_FCHDIR)
			next = child_fd_changed(a, i,
			                        a[i].action.fchdir_action.fd)
			               ? -1
			               : a[i].action.fchdir_action.fd;
		else if (a[i].tag > DO_TCSETPGRP)
			next = -1;
		if (next == dir)
			continue;
		if (*owned != -1)
			close(*owned);
		*owned = a[i].tag == DO_CHDIR ? next : -1;
		dir = next;
	}
	return dir;
}

int
spawn_repeatable(const posix_spawn_file_actions_t *fa)
{
	const struct glibc_action *a;

	if (fa == NULL)
		return 1;
	if (fa->__used < 0 || fa->__used > fa->__allocated)
		return 0;
	a = (const struct glibc_action *)(const void *)fa->__actions;
	for (int i = 0; i < fa->__used; i++)
		if (a[i].tag == DO_OPEN)
			return 0;
	return 1;
}
#else
/* Only glibc's file actions can be read: others are left to the real call. */
int
spawn_dir(const posix_spawn_file_actions_t *fa, int *owned)
{
	*owned = -1;
	return fa == NULL ? AT_FDCWD : -1;
}

int
spawn_repeatable(const posix_spawn_file_actions_t *fa)
{
	return fa == NULL;
}
#endif
