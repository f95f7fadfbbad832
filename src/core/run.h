/*
 * Running a command as the kernel and libc would, but a script through its
 * interpreter: a file resolved (resolve.h), or a name searched on PATH as
 * execvp(3) does (path.h), env's job done for a #! line that names env and
 * a command, and the plan started, in place or as a spawn. The one run of
 * the binary, the library and --check.
 */
#ifndef RUN_H
#define RUN_H

#include <stddef.h>

#include "resolve.h"

/* What to do when the kernel answers ENOEXEC. */
enum rs_enoexec {
	RS_ENOEXEC_FAIL,  /* fail, as execve(2) and posix_spawn(3) do */
	RS_ENOEXEC_SHELL, /* run RS_SHELL SCRIPT ARG..., as execvp(3) does */
};

/*
 * How a file is started: execve(2) in place, which returns only on
 * failure, or a spawn, which returns 0 once the child runs. Either way the
 * result is an errno, and ctx is the caller's.
 */
struct rs_starter {
	int (*start)(void *ctx, const char *file, char *const argv[],
	             char *const envp[]);
	void *ctx;
};

/* How rs_run() goes about a call: RS_SPLIT from resolve.h, and these. */
enum {
	RS_SEARCH = 4,   /* a name without a slash is searched on PATH */
	RS_REPORT = 8,   /* failures are the caller's to report, not the
	                    kernel's to answer */
	RS_SPAWN = 16,   /* a start is a spawn: it is made once, and only for
	                    a #! chain; anything else is declined */
	RS_ONCE = 32,    /* a busy file is not started again */
	RS_MAY_MAP = 64, /* memory past stack_max may be mapped */
};

/* rs_run()'s answer when the call is the caller's to make as it came. */
#define RS_DECLINE (-3)

struct rs_call {
	int dirfd; /* where relative names resolve */
	unsigned flags;
	enum rs_enoexec enoexec;
	const char *path; /* PATH's value for the search; NULL when unset */
	const struct rs_starter *start;
	size_t stack_max; /* bytes of data the call may put on the stack */
	const char *log;  /* the file to log to (log.h), or NULL */
	/*
	 * Where a search leaves the errno of the last candidate that failed
	 * before the one started, or NULL: glibc's spawn child, which shares
	 * the caller's memory, leaves it in the caller's errno.
	 */
	int *missed;
	/*
	 * The binary's own, or NULL. review() sees each plan before it is
	 * started, with the path of the env whose job it is or NULL, and
	 * returns 0, or an errno with f set to refuse it, which ends the
	 * run. keep() is given the failure to report, each time it changes.
	 */
	int (*review)(void *ctx, struct rs_plan *p, const char *env,
	              struct rs_failure *f);
	void (*keep)(void *ctx, const struct rs_failure *f);
	void *ctx;
};

/*
 * Runs file with argv and envp as c says. Returns an errno (that of the
 * exec that failed, or of the search), 0 once a spawn runs, or RS_DECLINE.
 * Async-signal-safe: only system calls and the starter's calls, memory on
 * the stack, or mapped and unmapped before it returns when RS_MAY_MAP is
 * set, so nothing of it outlives a successful exec.
 */
int rs_run(const struct rs_call *c, const char *file, char *const argv[],
           char *const envp[]);

/*
 * Starts file, again while it is busy (ETXTBSY): most likely a child that
 * another thread of our parent forked holds it open for writing, and will
 * close it as it execs. It is tried 1 + RS_BUSY_RETRIES times, sleeping 1,
 * 2, 4 ... ms between. An exec in place (spawn not set), which says nothing
 * once it succeeds, asks the kernel with an exec that runs nothing whether
 * the file is still busy, and tries again only once it is not, so as to
 * write to log first. Returns what the last start returned.
 */
int rs_start_busy(const struct rs_starter *s, const char *file,
                  char *const argv[], char *const envp[], int spawn,
                  const char *log);

/* The value of PATH in an environment, as getenv() reads it. */
const char *rs_path_of(char *const env[]);

#endif
