/*
 * Running a command: glibc's execvp(3) PATH loop (posix/execvpe.c) over
 * candidates, each resolved and started, env's job done in a loop for a
 * #! line that names env and a command, and the start retried while the
 * file is busy. The binary, the library and --check all run here; what
 * they differ in is said by struct rs_call.
 *
 * Async-signal-safe and reentrant: only system calls (those of the
 * resolver and of log.c, nanosleep, mmap, munmap) and the starter's, no
 * writable static data. Memory is an arena on the stack, sized to the
 * call: the common case takes RS_ROOM bytes, and a long #! line or a large
 * argv makes the call try again with as much as it needs, on the stack up
 * to the caller's stack_max, mapped past that where the caller allows it (never
 * where the mapping could outlive a successful exec: after vfork it would
 * be the parent's), and declined otherwise.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "path.h"
#include "run.h"

/* The arena lent first: a chain of short #! lines and a small argv. */
#define RS_ROOM 768

/* try_file()'s answer for a plan that ends in env's job, to be done. */
#define RS_ENVJOB (-4)

/* What an argv of NULL means to the kernel: none at all. */
static char *const no_args[] = {NULL};

/* One call under way, and the round of it: a file or a name, its argv. */
struct run {
	const struct rs_call *c;
	struct rs_arena *a;
	char *const *envp;
	int started; /* a start has been made in this round */
	int final;   /* what failed ends the search: a spawn, a refusal */
	const char *name;
	char *const *args;
	int search;
	const char *path;
	int envs; /* env's jobs done */
	/* From the round before: env itself, its argv, whose #! named it. */
	const char *env_file;
	char **env_argv;
	const char *env_script;
	const char *script; /* the first round's script, for the log */
};

const char *
rs_path_of(char *const env[])
{
	for (; env != NULL && *env != NULL; env++)
		if (strncmp(*env, "PATH=", 5) == 0)
			return *env + 5;
	return NULL;
}

/*
 * Whether the kernel would refuse to exec file because it is open for
 * writing: an exec given an argv it cannot read fails with EFAULT after
 * that check (fs/exec.c opens the file, then counts argv), having run
 * nothing.
 */
static int
busy(const char *file)
{
	static char *const *const unreadable = (char *const *)-1L;

	return syscall(SYS_execve, file, unreadable, NULL) == -1 &&
	       errno == ETXTBSY;
}

/* The log's line about file, busy for ms milliseconds, then what. */
static void
log_busy(const char *log, const char *file, long ms, const char *then)
{
	char n[21];
	const char *line[] = {file,
	                      " was busy for ",
	                      rs_decimal(n, (unsigned long long)ms),
	                      " ms; ",
	                      then,
	                      NULL};

	rs_log(log, 0, line);
}

int
rs_start_busy(const struct rs_starter *s, const char *file, char *const argv[],
              char *const envp[], int spawn, const char *log)
{
	int err = s->start(s->ctx, file, argv, envp);
	long waited = 0;

	for (int i = 0; err == ETXTBSY && i < RS_BUSY_RETRIES; i++) {
		long ms = 1L << i;
		struct timespec nap = {ms / 1000, ms % 1000 * 1000000L};

		nanosleep(&nap, NULL);
		waited += ms;
		if (!spawn) {
			if (i + 1 < RS_BUSY_RETRIES && busy(file))
				continue;
			log_busy(log, file, waited, "ran it");
		}
		err = s->start(s->ctx, file, argv, envp);
	}
	if (waited > 0 && (spawn || err == ETXTBSY))
		log_busy(log, file, waited,
		         err == ETXTBSY ? "gave up" : "ran it");
	return err;
}

/* rs_start_busy(), as the call says: once, for a spawn that must be. */
static int
start_busy(const struct run *r, const char *file, char *const argv[])
{
	const struct rs_starter *s = r->c->start;

	if (r->c->flags & RS_ONCE)
		return s->start(s->ctx, file, argv, r->envp);
	return rs_start_busy(s, file, argv, r->envp,
	                     (r->c->flags & RS_SPAWN) != 0, r->c->log);
}

/*
 * A start, of a script through its interpreter when script is not NULL:
 * logged before an exec in place, which says nothing once it succeeds,
 * and after a spawn that runs.
 */
static int
start(struct run *r, const char *file, char *const argv[], const char *script)
{
	const char *line[] = {"ran ", script, " with ", file, NULL};
	int spawn = (r->c->flags & RS_SPAWN) != 0, err;

	r->started = 1;
	r->final = spawn;
	if (script != NULL && !spawn)
		rs_log(r->c->log, 0, line);
	err = start_busy(r, file, argv);
	if (script != NULL && spawn && err == 0)
		rs_log(r->c->log, 0, line);
	return err;
}

/* Hands f to the caller that reports, with what env's job adds to it. */
static void
keep(const struct run *r, struct rs_failure *f)
{
	if (r->c->keep == NULL)
		return;
	if (r->envs > 0) {
		f->env_script = r->env_script;
		f->env = r->env_file;
		f->env_name = r->name;
	}
	r->c->keep(r->c->ctx, f);
}

/* Starts the plan with the argv it makes of the round's. */
static int
start_argv(struct run *r, struct rs_plan *p)
{
	const char *file = p->run == RS_RUN_SHELL ? RS_SHELL : p->file;
	size_t n;
	char **argv;

	/* The file is exec'd as it is, under the name it was given. */
	if (p->run != RS_RUN_SHELL && p->depth == 0)
		return start(r, file, r->args, r->envs > 0 ? r->script : NULL);
	n = rs_plan_argv(p, r->args, NULL) + 1;
	if ((argv = rs_take(r->a, n * sizeof *argv)) == NULL)
		return RS_NOROOM;
	rs_plan_argv(p, r->args, argv);
	return start(r, file, argv, r->envs > 0 ? r->script : p->script);
}

/* Starts the plan, with execvp(3)'s answer to ENOEXEC where it applies. */
static int
start_plan(struct run *r, struct rs_plan *p, struct rs_failure *f)
{
	/* env's job is done with env's own execvp(3). */
	enum rs_enoexec enoexec =
	        r->envs > 0 ? RS_ENOEXEC_SHELL : r->c->enoexec;
	int err = ENOEXEC;

	/* Not doing env's job, env runs, as the kernel would have it. */
	if (p->run == RS_RUN_ENV)
		p->run = RS_RUN_EXEC;
	if (p->run != RS_RUN_SHELL)
		err = start_argv(r, p);
	/* A spawn is made once: its file actions would run again. */
	if (err == ENOEXEC && enoexec == RS_ENOEXEC_SHELL &&
	    !(r->started && (r->c->flags & RS_SPAWN))) {
		p->run = RS_RUN_SHELL;
		err = start_argv(r, p);
	}
	f->fault = RS_FAULT_EXEC;
	f->err = err;
	f->file = p->run == RS_RUN_SHELL ? RS_SHELL : p->file;
	f->interp = f->env_script = f->env = f->env_name = NULL;
	return err;
}

/*
 * Resolves file and starts its plan, or returns why not: a failure with f
 * set, RS_ENVJOB, RS_DECLINE or RS_NOROOM.
 */
static int
try_file(struct run *r, const char *file, struct rs_plan *p,
         struct rs_failure *f)
{
	const struct rs_call *c = r->c;
	/* Out of env's job, a spawn makes only a #! chain's start. */
	int spawn_declines = (c->flags & RS_SPAWN) && r->envs == 0;
	int err = rs_resolve(c->dirfd, file, c->flags & RS_SPLIT, p, f, r->a);

	if (err == RS_NOROOM)
		return err;
	if (err != 0) {
		/* A file that is not there: the kernel would say so too. */
		if ((c->flags & RS_REPORT) || spawn_declines ||
		    (f->fault == RS_FAULT_SCRIPT &&
		     (err == ENOENT || err == ENOTDIR)))
			return err;
		/* What the resolver fails on, the kernel answers. */
		rs_plan_direct(p, file);
	}
	if (p->run == RS_RUN_ENV && r->envs < RS_MAX_ENV)
		return RS_ENVJOB;
	if (spawn_declines && (p->depth == 0 || p->run == RS_RUN_SHELL))
		return RS_DECLINE;
	if (c->review != NULL &&
	    (err = c->review(c->ctx, p, r->envs > 0 ? r->env_file : NULL, f)) !=
	            0) {
		r->final = 1;
		return err;
	}
	return start_plan(r, p, f);
}

/* A search for the round's name that ends with err: no file to blame. */
static int
not_found(const struct run *r, struct rs_failure *f, int err)
{
	f->fault = err == ENOENT ? RS_FAULT_MISSING : RS_FAULT_SCRIPT;
	f->err = err;
	f->file = r->name;
	f->interp = f->env_script = f->env = f->env_name = NULL;
	keep(r, f);
	return err;
}

/*
 * execvp(3)'s PATH search: each candidate tried in turn, past those that
 * do not exist or may not be run. It fails as execvp does: EACCES if a
 * candidate was refused for permission, else the last one's errno; the
 * failure to report is the first refused for permission, else the last
 * of a file that exists and failed that way, else the name's.
 */
static int
search(struct run *r, struct rs_plan *p, struct rs_failure *f)
{
	struct rs_path it;
	char *buf;
	int err = rs_path_start(&it, r->name, r->path), eacces = 0, found = 0;

	if (err != 0)
		return not_found(r, f, err);
	if ((buf = rs_take(r->a, it.room)) == NULL)
		return RS_NOROOM;
	err = ENOENT; /* what a PATH without a candidate ends with */
	while (rs_path_next(&it, buf) != NULL) {
		size_t mark = r->a->used;

		err = try_file(r, buf, p, f);
		if (err <= 0)
			return err;
		if (!rs_path_goes_on(err) || r->final) {
			keep(r, f);
			return err;
		}
		if (r->envs == 0 && r->c->missed != NULL)
			*r->c->missed = err;
		if (err == EACCES && !eacces) {
			eacces = 1;
			keep(r, f);
		} else if (!eacces && (f->fault != RS_FAULT_SCRIPT ||
		                       (err != ENOENT && err != ENOTDIR))) {
			found = err;
			keep(r, f);
		}
		r->a->used = mark;
	}
	if (eacces)
		return EACCES;
	if (found != 0 && found == err)
		return err;
	return not_found(r, f, err);
}

/* The round's file, or its name searched for. */
static int
run_round(struct run *r, struct rs_plan *p, struct rs_failure *f)
{
	int err;

	if (r->search && strchr(r->name, '/') == NULL)
		return search(r, p, f);
	if ((err = try_file(r, r->name, p, f)) > 0)
		keep(r, f);
	return err;
}

/*
 * Takes up env's job for a plan that ends in "#!/usr/bin/env NAME": the
 * next round is env's execvp(NAME), with env's argv past its own name.
 */
static int
env_job(struct run *r, struct rs_plan *p)
{
	size_t n = rs_plan_argv(p, r->args, NULL) + 1;
	char **argv = rs_take(r->a, n * sizeof *argv);

	if (argv == NULL)
		return RS_NOROOM;
	rs_plan_argv(p, r->args, argv);
	r->env_file = p->file;
	r->env_argv = argv;
	r->env_script = p->script;
	if (r->envs == 0)
		r->script = p->script;
	r->name = argv[1];
	r->args = argv + 1;
	r->search = 1;
	r->path = rs_path_of(r->envp);
	r->envs++;
	/* An exec that failed before is env's to answer now, not ours. */
	r->started = 0;
	return 0;
}

static int
run_in(const struct rs_call *c, struct rs_arena *a, const char *file,
       char *const argv[], char *const envp[])
{
	struct run r = {c,       a,    envp, 0,
	                0,       file, argv, (c->flags & RS_SEARCH) != 0,
	                c->path, 0,    NULL, NULL,
	                NULL,    NULL};
	struct rs_plan p;
	struct rs_failure f;
	int err;

	while ((err = run_round(&r, &p, &f)) == RS_ENVJOB)
		if ((err = env_job(&r, &p)) != 0)
			return err;
	if (err <= 0 || r.started)
		return err;
	/* env's command found nowhere: env runs, to fail in its own words. */
	if (r.envs > 0 && !(c->flags & RS_REPORT))
		return start(&r, r.env_file, r.env_argv, NULL);
	/* A spawn that starts nothing is the real function's to make. */
	return (c->flags & RS_SPAWN) ? RS_DECLINE : err;
}

/* run_in() with an arena of a->size bytes on the stack. */
static int
on_stack(const struct rs_call *c, struct rs_arena *a, const char *file,
         char *const argv[], char *const envp[])
{
	void *room[a->size / sizeof(void *) + 1];

	a->base = (char *)room;
	return run_in(c, a, file, argv, envp);
}

/* run_in() with a mapped arena, unmapped before it returns. */
static int
mapped(const struct rs_call *c, struct rs_arena *a, const char *file,
       char *const argv[], char *const envp[])
{
	void *m = mmap(NULL, a->size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err;

	if (m == MAP_FAILED)
		return (c->flags & RS_REPORT) ? ENOMEM : RS_DECLINE;
	a->base = m;
	err = run_in(c, a, file, argv, envp);
	munmap(m, a->size);
	return err;
}

int
rs_run(const struct rs_call *c, const char *file, char *const argv[],
       char *const envp[])
{
	size_t size = RS_ROOM;

	if (file == NULL)
		return RS_DECLINE;
	if (argv == NULL)
		argv = no_args;
	/* Each try reads further before it runs out: a few are enough. */
	for (int tries = 0; tries < 2 * (RS_MAX_SCRIPTS + 2); tries++) {
		struct rs_arena a = {NULL, size, 0, 0};
		int err;

		if (size <= c->stack_max)
			err = on_stack(c, &a, file, argv, envp);
		else if (c->flags & RS_MAY_MAP)
			err = mapped(c, &a, file, argv, envp);
		else
			return RS_DECLINE;
		if (err != RS_NOROOM)
			return err;
		size = a.need + RS_ROOM;
	}
	return RS_DECLINE;
}
