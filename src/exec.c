/*
 * Running a plan: the single execve(2) of runscript, with its retry while
 * the file is busy and execvp(3)'s answer to ENOEXEC.
 *
 * Async-signal-safe and reentrant: only system calls (execve, nanosleep,
 * mmap, munmap), memory on the stack or mapped, no writable static data.
 */
#include <errno.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"

/* Room for the argv of most runs; a larger one is mapped. */
#define ARGV_ROOM 64

int
rs_execve(const char *file, char *const argv[], char *const envp[])
{
	for (int i = 0;; i++) {
		long ms = 1L << i;
		struct timespec nap = {ms / 1000, ms % 1000 * 1000000L};

		execve(file, argv, envp);
		if (errno != ETXTBSY || i == RS_BUSY_RETRIES)
			return errno;
		nanosleep(&nap, NULL);
	}
}

static int
exec_plan(struct rs_plan *p, char *const args[], char *const envp[])
{
	size_t n = rs_plan_argv(p, args, NULL) + 1;
	char *room[ARGV_ROOM], **argv = room;
	int err;

	if (p->run != RS_RUN_SHELL && p->depth == 0)
		return rs_execve(p->file, args, envp);
	if (n > ARGV_ROOM) {
		argv = mmap(NULL, n * sizeof *argv, PROT_READ | PROT_WRITE,
		            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (argv == MAP_FAILED)
			return errno;
	}
	rs_plan_argv(p, args, argv);
	err = rs_execve(p->run == RS_RUN_SHELL ? RS_SHELL : p->file, argv,
	                envp);
	if (argv != room)
		munmap(argv, n * sizeof *argv);
	return err;
}

int
rs_exec(struct rs_plan *p, char *const args[], char *const envp[],
        enum rs_enoexec enoexec, struct rs_failure *f)
{
	const char *file = p->file;
	int err = ENOEXEC;

	if (p->run != RS_RUN_SHELL)
		err = exec_plan(p, args, envp);
	if (err == ENOEXEC && enoexec == RS_ENOEXEC_SHELL) {
		p->run = RS_RUN_SHELL;
		file = RS_SHELL;
		err = exec_plan(p, args, envp);
	}
	f->fault = RS_FAULT_EXEC;
	f->err = err;
	f->file = file;
	f->interp = NULL;
	return err;
}
