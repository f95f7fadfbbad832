/*
 * The supervisor's loop: every exec of the tree is handed to it by the
 * seccomp listener; it holds those whose file is open for writing until
 * it is not (or 2 s have passed), then lets each exec go on.
 */
#ifndef HOLD_H
#define HOLD_H

#include <sys/types.h>

/*
 * Serves listener (-1 for none) until the last process of the tree is
 * gone, reaping the children of this subreaper and reporting on report
 * what becomes of command; then exits.
 */
_Noreturn void hold_serve(int listener, pid_t command, int report);

#endif
