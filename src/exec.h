/* Finding what to run for a script, exec'ing it, reporting failure. */
#ifndef EXEC_H
#define EXEC_H

#include "runscript.h"

/*
 * Runs argv[0] (the SCRIPT operand) with the arguments argv[1...], as
 * execvp(3) and the kernel would, but exec'ing the script's final
 * interpreter instead of the script. Returns only on failure, after saying
 * why, with the exit status to use.
 */
int exec_script(char *argv[], const struct rs_options *o);

#endif
