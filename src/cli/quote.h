/* What --dry-run prints: a plan as a shell command line. */
#ifndef QUOTE_H
#define QUOTE_H

#include <stdio.h>

/* Writes s to out so that a POSIX shell reads it back as one word, s. */
void quote_word(FILE *out, const char *s);

/*
 * Prints, on one line of standard output, the command that execs file with
 * argv, quoted so that a shell runs the same argv, after LD_PRELOAD's
 * assignment when preload is set. Returns 0, or an errno when it cannot
 * be written.
 */
int print_plan(const char *file, char *const argv[], int preload);

#endif
