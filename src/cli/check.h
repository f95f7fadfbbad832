/* --check: scripts linted without running anything. */
#ifndef CHECK_H
#define CHECK_H

/*
 * Reports on standard output, unless quiet, what would make a direct exec
 * of each file fail or differ from what its author meant, as a run with -S
 * would when split is set; a file that cannot be checked is an error.
 * Returns 0 when no file has an error, 1 when one has, or runscript's own
 * exit status when the findings cannot be written.
 */
int check_files(char *files[], int quiet, int split);

#endif
