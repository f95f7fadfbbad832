/* --tree: the preload library for every program of a process tree. */
#ifndef TREE_H
#define TREE_H

/* The name of the library, next to runscript or in RS_LIBDIR. */
#define TREE_LIB "librunscript.so"

/*
 * Adds librunscript.so to LD_PRELOAD in our environment, for the command
 * and all it runs. Returns 0, or the exit status after saying why not.
 */
int tree_preload(void);

/*
 * Warns, on one line, when command (found as execvp(3) would) is a
 * statically linked program or a Go program, which the library does not
 * reach, naming --supervise.
 */
void tree_warn_unreached(const char *command);

#endif
