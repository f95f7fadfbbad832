/* What --dry-run prints: a plan as a shell command line. */
#ifndef QUOTE_H
#define QUOTE_H

/*
 * Prints, on one line of standard output, the command that execs file
 * with argv, quoted so that a shell runs the same argv, after LD_PRELOAD's
 * assignment when preload is set. A program found by a PATH search runs
 * under the name searched for, which only a search gives it: the line then
 * runs it through env, the path of the env whose search found it, or "env"
 * for runscript's own. Returns 0, or an errno when it cannot be written.
 */
int print_plan(const char *file, char *const argv[], int preload,
               const char *env);

#endif
