/*
 * The library's core: one call to an exec or spawn function served as the
 * runscript binary runs a command: each file resolved (src/resolve.c) and,
 * when it is a script, its plan started (src/exec.c), in place or as a
 * spawn; a PATH search as glibc's; env's job for #!/usr/bin/env NAME.
 *
 * Runs in children between fork (or vfork) and exec, and in many threads
 * at once: only async-signal-safe calls, the stack (or a mapping for a
 * large argv), the caller's struct call, no static data.
 */
#include <errno.h>
#include <string.h>

#include "libcall.h"
#include "path.h"

/* The value of PATH in an environment, as getenv() reads it. */
const char *
path_of(char *const env[])
{
	for (; env != NULL && *env != NULL; env++)
		if (strncmp(*env, "PATH=", 5) == 0)
			return *env + 5;
	return NULL;
}

/*
 * run() and env_job() call each other: env's job nests at most RS_MAX_ENV
 * deep, as run() counts.
 */
// NOLINTBEGIN(misc-no-recursion)

/*
 * Does env's job for a plan that ends in "#!/usr/bin/env NAME", as the
 * runscript binary does: execvp(NAME), with env's own PATH.
 */
static int
env_job(const struct call *c, struct rs_plan *p, char *const argv[],
        char *const envp[], int envs)
{
	struct rs_argv_room r;
	char **args = rs_argv(p, argv, &r);
	struct call e = *c;
	int err;

	if (args == NULL)
		return errno;
	e.enoexec = RS_ENOEXEC_SHELL;
	e.started = 0;
	err = run_or_search(&e, args[0], args, envp, path_of(envp), envs);
	rs_argv_free(args, &r);
	return err;
}

/*
 * What the resolver fails on is left to the kernel, which answers as
 * without us; a file that does not exist is failed on the resolver's word
 * only where no side effect (a spawn's file actions) is missed: in an
 * exec, or in a PATH search.
 */
int
run(struct call *c, const char *path, char *const argv[], char *const envp[],
    int in_search, int envs)
{
	struct rs_plan p;
	struct rs_failure f;
	int err;

	if (path == NULL) /* the kernel's EFAULT */
		return rs_start(c->start, path, argv, envp);
	err = rs_resolve(c->dirfd, path, 0, &p, &f);
	if (err != 0 && f.fault == RS_FAULT_SCRIPT &&
	    (err == ENOENT || err == ENOTDIR) && (!c->spawn || in_search)) {
		rs_plan_release(&p);
		return err;
	}
	if (err != 0 || (c->spawn && (p.depth == 0 || p.run == RS_RUN_SHELL)))
		rs_plan_direct(&p, path);
	/* env's job, or env runs, as it would without us, to fail. */
	if (p.run == RS_RUN_ENV && envs < RS_MAX_ENV &&
	    env_job(c, &p, argv, envp, envs + 1) == 0) {
		rs_plan_release(&p);
		return 0;
	}
	c->started = 1;
	err = rs_exec(&p, argv, envp, c->enoexec, c->start, &f);
	rs_plan_release(&p);
	return err;
}

/* glibc's execvp(3) PATH search, candidate by candidate. */
static int
search(struct call *c, const char *name, char *const argv[], char *const envp[],
       const char *path, int envs)
{
	char buf[RS_CANDIDATE_MAX];
	struct rs_path it;
	int eacces = 0, err = rs_path_start(&it, name, path);

	if (err != 0)
		return err;
	err = ENOENT;
	while (rs_path_next(&it, buf) != NULL) {
		err = run(c, buf, argv, envp, 1, envs);
		if (err == 0 || !rs_path_goes_on(err))
			return err;
		eacces |= err == EACCES;
	}
	return eacces ? EACCES : err;
}

int
run_or_search(struct call *c, const char *file, char *const argv[],
              char *const envp[], const char *path, int envs)
{
	if (file != NULL && strchr(file, '/') == NULL)
		return search(c, file, argv, envp, path, envs);
	return run(c, file, argv, envp, 0, envs);
}

// NOLINTEND(misc-no-recursion)
