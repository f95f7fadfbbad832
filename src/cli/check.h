/* --check: scripts linted without running anything. */
#ifndef CHECK_H
#define CHECK_H

#include "diag.h"

/*
 * Reports, unless quiet, what would make a direct exec of each file fail
 * or differ from what its author meant, as a run with -S would when split
 * is set. Returns 0 when every file is clean, 1 when one has an error, or
 * runscript's own exit status when a file cannot be checked at all.
 */
int check_files(char *files[], int quiet, int split);

#endif
