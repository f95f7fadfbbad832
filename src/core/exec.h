/* Running a plan: the one execve(2), or the one spawn of a child. */
#ifndef EXEC_H
#define EXEC_H

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

/*
 * Starts file, again while it is busy (ETXTBSY): most likely a child that
 * another thread of our parent forked holds it open for writing, and will
 * close it as it execs. Returns what the last start returned.
 */
int rs_start(const struct rs_starter *s, const char *file, char *const argv[],
             char *const envp[]);

/* Room for the argv of most runs; a larger one is mapped. */
#define RS_ARGV_ROOM 64

struct rs_argv_room {
	char *room[RS_ARGV_ROOM];
	size_t n;   /* strings and NULL */
	int mapped; /* whether they did not fit in room */
};

/*
 * The plan's argv (rs_plan_argv()) in r's room when it fits, else in a
 * mapping: async-signal-safe, unlike malloc. Returns NULL with errno set
 * when no memory can be had; rs_argv_free() gives it back.
 */
char **rs_argv(struct rs_plan *p, char *const args[], struct rs_argv_room *r);
void rs_argv_free(char **argv, const struct rs_argv_room *r);

/*
 * Starts the plan for a script run with args (args[0] being the name it
 * was given as) and the environment envp. Returns 0 once a spawn runs, or
 * an errno with f set. Async-signal-safe: only the starter's calls,
 * nanosleep and mmap.
 */
int rs_exec(struct rs_plan *p, char *const args[], char *const envp[],
            enum rs_enoexec enoexec, const struct rs_starter *s,
            struct rs_failure *f);

#endif
