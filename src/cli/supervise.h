/*
 * --supervise: COMMAND's whole tree runs under a seccomp filter that hands
 * each exec to a supervisor outside the tree (hold.c), which holds an
 * exec while its file is open for writing anywhere.
 */
#ifndef SUPERVISE_H
#define SUPERVISE_H

#include "attempt.h"

/* What the supervisor puts in the tree's environment: its process ID. */
#define SUPERVISE_ENV "RUNSCRIPT_SUPERVISOR"

/*
 * Starts the supervisor and COMMAND's process under the filter. Returns
 * in COMMAND's process only, which goes on to run COMMAND: 0, or the exit
 * status after saying why nothing would be protected. The process that
 * called it waits for COMMAND and ends as it does (forward.c), and the
 * supervisor serves the tree until its last process is gone (hold.c).
 */
int supervise_tree(const struct options *o);

#endif
