/*
 * Running a plan: the single exec (or spawn) of runscript, with its retry
 * while the file is busy and execvp(3)'s answer to ENOEXEC.
 *
 * Async-signal-safe and reentrant: only the starter's calls and system
 * calls (nanosleep, mmap, munmap), memory on the stack or mapped, no
 * writable static data.
 */
#include <errno.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"

int
rs_start(const struct rs_starter *s, const char *file, char *const argv[],
         char *const envp[])
{
	for (int i = 0;; i++) {
		long ms = 1L << i;
		struct timespec nap = {ms / 1000, ms % 1000 * 1000000L};
		int err = s->start(s->ctx, file, argv, envp);

		if (err != ETXTBSY || i == RS_BUSY_RETRIES)
			return err;
		nanosleep(&nap, NULL);
	}
}

char **
rs_argv(struct rs_plan *p, char *const args[], struct rs_argv_room *r)
{
	char **argv;

	r->mapped = 0;
	r->n = rs_plan_argv(p, args, NULL) + 1;
	argv = r->room;
	if (r->n > RS_ARGV_ROOM) {
		argv = mmap(NULL, r->n * sizeof *argv, PROT_READ | PROT_WRITE,
		            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (argv == MAP_FAILED)
			return NULL;
		r->mapped = 1;
	}
	rs_plan_argv(p, args, argv);
	return argv;
}

void
rs_argv_free(char **argv, const struct rs_argv_room *r)
{
	if (r->mapped)
		munmap(argv, r->n * sizeof *argv);
}

static int
start_plan(struct rs_plan *p, char *const args[], char *const envp[],
           const struct rs_starter *s)
{
	struct rs_argv_room r;
	char **argv;
	int err;

	if (p->run != RS_RUN_SHELL && p->depth == 0)
		return rs_start(s, p->file, args, envp);
	if ((argv = rs_argv(p, args, &r)) == NULL)
		return errno;
	err = rs_start(s, p->run == RS_RUN_SHELL ? RS_SHELL : p->file, argv,
	               envp);
	rs_argv_free(argv, &r);
	return err;
}

int
rs_exec(struct rs_plan *p, char *const args[], char *const envp[],
        enum rs_enoexec enoexec, const struct rs_starter *s,
        struct rs_failure *f)
{
	const char *file = p->file;
	int err = ENOEXEC;

	/* Not doing env's job, a caller has env run, as the kernel would. */
	if (p->run == RS_RUN_ENV)
		p->run = RS_RUN_EXEC;
	if (p->run != RS_RUN_SHELL)
		err = start_plan(p, args, envp, s);
	if (err == ENOEXEC && enoexec == RS_ENOEXEC_SHELL) {
		p->run = RS_RUN_SHELL;
		file = RS_SHELL;
		err = start_plan(p, args, envp, s);
	}
	f->fault = RS_FAULT_EXEC;
	f->err = err;
	f->file = file;
	f->interp = NULL;
	return err;
}
