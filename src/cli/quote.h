/* What --dry-run prints: a plan as a shell command line. */
#ifndef QUOTE_H
#define QUOTE_H

#include "resolve.h"

/*
 * Prints, on one line of standard output, the command that the plan runs
 * for a script run with args, quoted so that a shell runs the same argv,
 * after LD_PRELOAD's assignment when preload is set. A program found by a
 * PATH search runs under the name searched for, which only a search gives
 * it: the line then runs it through env, the path of the env whose search
 * found it, or "env" for runscript's own. Returns 0, or an errno when it
 * cannot be written.
 */
int print_plan(struct rs_plan *p, char *const args[], int preload,
               const char *env);

#endif
