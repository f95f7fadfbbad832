/* Running a plan: the one execve(2). */
#ifndef EXEC_H
#define EXEC_H

#include "resolve.h"

/* What to do when the kernel answers ENOEXEC. */
enum rs_enoexec {
	RS_ENOEXEC_FAIL,  /* fail, as execve(2) does */
	RS_ENOEXEC_SHELL, /* run RS_SHELL SCRIPT ARG..., as execvp(3) does */
};

/*
 * execve(2), retried while the file is busy (ETXTBSY): most likely a child
 * that another thread of our parent forked holds it open for writing, and
 * will close it as it execs. Returns only on failure, with an errno.
 */
int rs_execve(const char *file, char *const argv[], char *const envp[]);

/*
 * Execs the plan for a script run with args (args[0] being the name it was
 * given as) and the environment envp. Returns only on failure, with an
 * errno and f set. Async-signal-safe: execve, nanosleep, mmap.
 */
int rs_exec(struct rs_plan *p, char *const args[], char *const envp[],
            enum rs_enoexec enoexec, struct rs_failure *f);

#endif
