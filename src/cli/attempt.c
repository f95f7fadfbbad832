/*
 * Running a command as execvp(3) would, for the runscript binary: the
 * PATH loop of glibc's posix/execvpe.c over candidates, each resolved and,
 * unless this is a dry run, exec'd; the failure to report is kept by
 * attempt, in the caller's slots; env's job is done here too when a #!
 * line names env and a command.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attempt.h"
#include "exec.h"
#include "hint.h"

extern char **environ;

static int
execve_in_place(void *ctx, const char *file, char *const argv[],
                char *const envp[])
{
	(void)ctx;
	execve(file, argv, envp);
	return errno;
}

/*
 * Whether the plan ends in env given one argument with blanks, "#!/usr/bin/env
 * python3 -u" without -S, that names no command: env would look for a
 * command of that whole name and fail with 127. runscript fails as env
 * would, in its own words and then with the hint, rather than exec env to
 * fail, as the hint could not come after env's message.
 */
static int
env_words_fail(const struct rs_plan *p)
{
	return p->run == RS_RUN_EXEC && p->depth > 0 &&
	       env_words(&p->level[p->depth - 1].sb);
}

/*
 * Resolves file, to be run with args, and, unless this is a dry run, execs
 * what it resolves to. Returns with a plan to print (err 0) or a failure.
 */
static struct attempt *
attempt(struct attempt *a, const char *file, char *args[],
        const struct options *o, int env_job)
{
	static const struct rs_starter in_place = {execve_in_place, NULL};

	a->args = args;
	a->env = NULL;
	a->env_args = NULL;
	a->env_slots = NULL;
	a->err = rs_resolve(AT_FDCWD, file, o->split ? RS_SPLIT : 0, &a->plan,
	                    &a->f);
	if (a->err == 0 && a->plan.bom)
		hint_bom(o->diag, file, DIAG_WARNING);
	/*
	 * Exec'd by runscript, /proc/self/exe is runscript, which would run
	 * the script again, for ever; the kernel would have run its caller.
	 */
	if (a->err == 0 && a->plan.depth > 0 &&
	    strcmp(a->plan.file, "/proc/self/exe") == 0) {
		a->err = a->f.err = ELOOP;
		a->f.fault = RS_FAULT_SELF;
		a->f.file =
		        a->plan.depth == 1
		                ? a->plan.script
		                : a->plan.level[a->plan.depth - 2].sb.interp;
		a->f.interp = a->plan.file;
		return a;
	}
	/* env's job is for run_command(), unless env is to run after all. */
	if (a->err == 0 && a->plan.run == RS_RUN_ENV && env_job)
		return a;
	if (a->err == 0 && env_words_fail(&a->plan)) {
		a->err = ATTEMPT_ENV_WORDS;
		return a;
	}
	if (a->err == 0 && !o->dry_run)
		a->err = rs_exec(&a->plan, args, environ, RS_ENOEXEC_SHELL,
		                 &in_place, &a->f);
	return a;
}

/* The one slot of three that neither kept failure holds. */
static struct attempt *
free_slot(struct attempt slot[3], const struct attempt *x,
          const struct attempt *y)
{
	struct attempt *a = slot;

	while (a == x || a == y)
		a++;
	return a;
}

/* A search for name that ends with err and no candidate to blame. */
static struct attempt *
not_run(struct attempt *a, char *args[], int err)
{
	const char *name = args[0];

	a->err = err;
	a->args = args;
	a->env = NULL;
	a->env_args = NULL;
	a->env_slots = NULL;
	a->f.fault = err == ENOENT ? RS_FAULT_MISSING : RS_FAULT_SCRIPT;
	a->f.err = err;
	a->f.file = name;
	a->f.interp = NULL;
	return a;
}

/*
 * execvp(3)'s PATH search (glibc's posix/execvpe.c): each candidate is
 * attempted in turn, past those that do not exist or may not be run. The
 * search fails as execvp does: with the first candidate refused for
 * permission, else the last one's errno. It is reported with the last
 * candidate that exists, which failed that way, if any.
 */
static struct attempt *
search(struct attempt slot[3], char *args[], const struct options *o,
       int env_job)
{
	struct attempt *a = slot, *eacces = NULL, *found = NULL;
	struct rs_path path;
	int err = rs_path_start(&path, args[0], getenv("PATH"));

	if (err != 0)
		return not_run(a, args, err);
	err = ENOENT; /* what a PATH without a candidate ends with */
	for (;;) {
		a = free_slot(slot, eacces, found);
		if (rs_path_next(&path, a->name) == NULL)
			break;
		a = attempt(a, a->name, args, o, env_job);
		if ((err = a->err) == 0 || !rs_path_goes_on(err))
			return a;
		if (err == EACCES && eacces == NULL)
			eacces = a;
		else if (a->f.fault != RS_FAULT_SCRIPT ||
		         (err != ENOENT && err != ENOTDIR)) {
			/* It exists, and failed for another reason. */
			if (found != NULL)
				rs_plan_release(&found->plan);
			found = a;
		} else
			rs_plan_release(&a->plan);
	}
	if (eacces != NULL)
		return eacces;
	if (found != NULL && found->err == err)
		return found;
	return not_run(a, args, err);
}

/*
 * Runs args[0] with args as execvp(3) would, or returns why not: the plan
 * of an attempt that ends in env, when env_job is set, is left to do.
 */
static struct attempt *
run(struct attempt slot[3], char *args[], const struct options *o, int env_job)
{
	if (strchr(args[0], '/') != NULL)
		return attempt(slot, args[0], args, o, env_job);
	return search(slot, args, o, env_job);
}

/*
 * The argv env would give execvp(3) for an attempt that ends in
 * "#!/usr/bin/env NAME": NAME first. run_command_free() gives it back.
 */
static char **
env_args(struct attempt *a)
{
	size_t n = rs_plan_argv(&a->plan, a->args, NULL);
	char **argv = malloc((n + 1) * sizeof *argv);

	if (argv != NULL)
		rs_plan_argv(&a->plan, a->args, argv);
	return argv;
}

struct attempt *
run_command(struct attempt slot[3], char *args[], const struct options *o)
{
	struct attempt *a = run(slot, args, o, 1), *namer = NULL;

	/*
	 * Doing env's job: execvp(NAME), NAME's own chain resolved afresh,
	 * as the kernel's exec of NAME would, in slots of its own.
	 */
	for (int envs = 1; a->err == 0 && a->plan.run == RS_RUN_ENV; envs++) {
		char **argv = env_args(a);
		struct attempt *next =
		        argv != NULL ? malloc(3 * sizeof *next) : NULL;

		a->env = namer;
		if (next == NULL) {
			free(argv);
			a->err = a->f.err = ENOMEM;
			a->f.fault = RS_FAULT_EXEC;
			a->f.file = a->plan.file;
			return a;
		}
		a->env_args = argv;
		a->env_slots = next;
		namer = a;
		a = run(next, argv, o, envs < RS_MAX_ENV);
	}
	a->env = namer;
	return a;
}

void
run_command_free(struct attempt *a)
{
	/* Each attempt that named a command holds what its job needed. */
	for (struct attempt *n = a->env; n != NULL;) {
		struct attempt *up = n->env;

		free(n->env_args);
		free(n->env_slots);
		n = up;
	}
}
