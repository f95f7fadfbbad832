/*
 * librunscript.so: the resolver inside every dynamically linked program of
 * a process tree (runscript --tree). Loaded with LD_PRELOAD, it takes the
 * place of libc's exec and spawn functions: a script runs through its final
 * interpreter, as the runscript binary runs it, so that the script itself
 * is never exec'd; anything else goes on as the real function would take
 * it, each function keeping its own semantics.
 *
 * The exec functions run in children between fork (or vfork) and exec,
 * and posix_spawn in many threads at once, so this file keeps to
 * async-signal-safe calls, stack memory (the resolver maps memory for the
 * rare large case) and no writable static data. The real execve is the
 * system call itself, as libc's own would lead back here; the real
 * posix_spawn is looked up when called, with dlsym(), which is thread-safe
 * and runs only in the parent.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec.h"
#include "path.h"
#include "resolve.h"

/* Only the functions a program calls to run a file are exported. */
#define EXPORT __attribute__((visibility("default")))

typedef int spawn_fn(pid_t *, const char *, const posix_spawn_file_actions_t *,
                     const posix_spawnattr_t *, char *const[], char *const[]);

static int
execve_in_place(void *ctx, const char *file, char *const argv[],
                char *const envp[])
{
	(void)ctx;
	syscall(SYS_execve, file, argv, envp);
	return errno;
}

static const struct rs_starter in_place = {execve_in_place, NULL};

/* What an argv of NULL means to the kernel: none at all. */
static char *const no_args[] = {NULL};

/* The caller's posix_spawn() arguments other than the file and argv. */
struct spawn {
	spawn_fn *real;
	pid_t *pid;
	const posix_spawn_file_actions_t *actions;
	const posix_spawnattr_t *attr;
};

static int
spawn_child(void *ctx, const char *file, char *const argv[], char *const envp[])
{
	const struct spawn *sp = ctx;

	return sp->real(sp->pid, file, sp->actions, sp->attr, argv, envp);
}

/* libc's function of that name: the next one after ours. */
static spawn_fn *
real_spawn(const char *name)
{
	void *sym = dlsym(RTLD_NEXT, name);
	spawn_fn *fn;

	memcpy(&fn, &sym, sizeof fn);
	return fn;
}

/* The value of PATH in an environment, as getenv() reads it. */
static const char *
path_of(char *const env[])
{
	for (; env != NULL && *env != NULL; env++)
		if (strncmp(*env, "PATH=", 5) == 0)
			return *env + 5;
	return NULL;
}

/* One call being served, and how it starts files. */
struct call {
	int dirfd; /* where names resolve: the child's directory */
	enum rs_enoexec enoexec; /* whether ENOEXEC brings /bin/sh */
	const struct rs_starter *start;
	int spawn;   /* a spawn: what is not a #! chain starts as it came */
	int started; /* something was started */
};

static int run_or_search(struct call *c, const char *file, char *const argv[],
                         char *const envp[], const char *path, int envs);

/*
 * Does env's job for a plan that ends in "#!/usr/bin/env NAME", as the
 * runscript binary does: execvp(NAME), with env's own PATH.
 */
static int
env_job(const struct call *c, struct rs_plan *p, char *const argv[],
        char *const envp[], int envs)
{
	char *args[rs_plan_argv(p, argv, NULL) + 1];
	struct call e = *c;

	rs_plan_argv(p, argv, args);
	e.enoexec = RS_ENOEXEC_SHELL;
	e.started = 0;
	/* NOLINTNEXTLINE(misc-no-recursion): at most RS_MAX_ENV deep. */
	return run_or_search(&e, args[0], args, envp, path_of(envp), envs);
}

/*
 * Starts path, relative to the call's directory, as the kernel would, but
 * a script through its final interpreter. What the resolver fails on is
 * left to the kernel, which answers as without us; a file that does not
 * exist is failed on the resolver's word only where no side effect (a
 * spawn's file actions) is missed: in an exec, or in a PATH search.
 */
static int
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

/* execvp(3) and posix_spawnp(3): a name with no slash is searched. */
static int
run_or_search(struct call *c, const char *file, char *const argv[],
              char *const envp[], const char *path, int envs)
{
	if (file != NULL && strchr(file, '/') == NULL)
		return search(c, file, argv, envp, path, envs);
	return run(c, file, argv, envp, 0, envs);
}

#ifdef __GLIBC__
/*
 * glibc's record of one file action (posix/spawn_int.h), read to learn
 * where the child will be when it execs. Its kinds have only been added to
 * at the end since the chdir ones came, in glibc 2.29.
 */
struct glibc_action {
	enum {
		DO_CLOSE,
		DO_DUP2,
		DO_OPEN,
		DO_CHDIR,
		DO_FCHDIR,
		DO_CLOSEFROM,
		DO_TCSETPGRP,
	} tag;
	union {
		struct {
			int fd;
		} close_action;
		struct {
			int fd;
			int newfd;
		} dup2_action;
		struct {
			int fd;
			char *path;
			int oflag;
			mode_t mode;
		} open_action;
		struct {
			char *path;
		} chdir_action;
		struct {
			int fd;
		} fchdir_action;
		struct {
			int from;
		} closefrom_action;
	} action;
};

/* Whether one of the first n actions makes fd another file in the child. */
static int
child_fd_changed(const struct glibc_action *a, int n, int fd)
{
	for (int i = 0; i < n; i++)
		if ((a[i].tag == DO_CLOSE &&
		     a[i].action.close_action.fd == fd) ||
		    (a[i].tag == DO_DUP2 &&
		     a[i].action.dup2_action.newfd == fd) ||
		    (a[i].tag == DO_OPEN && a[i].action.open_action.fd == fd) ||
		    (a[i].tag == DO_CLOSEFROM &&
		     a[i].action.closefrom_action.from <= fd))
			return 1;
	return 0;
}

/*
 * The directory in which the child of a posix_spawn() will exec: AT_FDCWD
 * for ours, or a descriptor on it, which is the caller's to close when it
 * is also stored in *owned. -1 when that cannot be told from here.
 */
static int
child_dir(const posix_spawn_file_actions_t *fa, int *owned)
{
	const struct glibc_action *a;
	int dir = AT_FDCWD;

	*owned = -1;
	if (fa == NULL)
		return AT_FDCWD;
	if (fa->__used < 0 || fa->__used > fa->__allocated)
		return -1;
	a = (const struct glibc_action *)(const void *)fa->__actions;
	for (int i = 0; i < fa->__used && dir != -1; i++) {
		int next = dir;

		if (a[i].tag == DO_CHDIR)
			next = openat(dir, a[i].action.chdir_action.path,
			              O_PATH | O_DIRECTORY | O_CLOEXEC);
		else if (a[i].tag == DO_FCHDIR)
			next = child_fd_changed(a, i,
			                        a[i].action.fchdir_action.fd)
			               ? -1
			               : a[i].action.fchdir_action.fd;
		else if (a[i].tag > DO_TCSETPGRP)
			next = -1;
		if (next == dir)
			continue;
		if (*owned != -1)
			close(*owned);
		*owned = a[i].tag == DO_CHDIR ? next : -1;
		dir = next;
	}
	return dir;
}
#else
/* Only glibc's file actions can be read: others are left to the real call. */
static int
child_dir(const posix_spawn_file_actions_t *fa, int *owned)
{
	*owned = -1;
	return fa == NULL ? AT_FDCWD : -1;
}
#endif

/*
 * posix_spawn(3), searching PATH as posix_spawnp(3) when search is set. A
 * spawn that starts nothing, as for a name found nowhere, is the real
 * function's to make, so that its file actions and errors are its own.
 */
static int
spawn(int search, pid_t *pid, const char *file,
      const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
      char *const argv[], char *const envp[])
{
	struct spawn sp = {real_spawn("posix_spawn"), pid, fa, attr};
	struct rs_starter s = {spawn_child, &sp};
	struct call c = {AT_FDCWD, RS_ENOEXEC_FAIL, &s, 1, 0};
	spawn_fn *whole = real_spawn(search ? "posix_spawnp" : "posix_spawn");
	int owned, err;

	if (sp.real == NULL || whole == NULL)
		return ENOSYS;
	if ((c.dirfd = child_dir(fa, &owned)) == -1)
		return whole(pid, file, fa, attr, argv, envp);
	if (argv == NULL)
		argv = no_args;
	if (search)
		err = run_or_search(&c, file, argv, envp, path_of(environ), 0);
	else
		err = run(&c, file, argv, envp, 0, 0);
	if (owned != -1)
		close(owned);
	if (err != 0 && !c.started)
		return whole(pid, file, fa, attr, argv, envp);
	return err;
}

EXPORT int
posix_spawn(pid_t *pid, const char *path,
            const posix_spawn_file_actions_t *file_actions,
            const posix_spawnattr_t *attrp, char *const argv[],
            char *const envp[])
{
	return spawn(0, pid, path, file_actions, attrp, argv, envp);
}

EXPORT int
posix_spawnp(pid_t *pid, const char *file,
             const posix_spawn_file_actions_t *file_actions,
             const posix_spawnattr_t *attrp, char *const argv[],
             char *const envp[])
{
	return spawn(1, pid, file, file_actions, attrp, argv, envp);
}

/* The exec functions: -1 with errno set, as they return on failure. */
static int
fail(int err)
{
	errno = err;
	return -1;
}

/* An exec in place: execvp's kind when shell is set. */
static int
exec_call(const char *file, char *const argv[], char *const envp[], int shell)
{
	struct call c = {AT_FDCWD, RS_ENOEXEC_FAIL, &in_place, 0, 0};

	if (argv == NULL)
		argv = no_args;
	if (!shell)
		return run(&c, file, argv, envp, 0, 0);
	c.enoexec = RS_ENOEXEC_SHELL;
	return run_or_search(&c, file, argv, envp, path_of(environ), 0);
}

EXPORT int
execve(const char *path, char *const argv[], char *const envp[])
{
	return fail(exec_call(path, argv, envp, 0));
}

EXPORT int
execv(const char *path, char *const argv[])
{
	return fail(exec_call(path, argv, environ, 0));
}

EXPORT int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	return fail(exec_call(file, argv, envp, 1));
}

EXPORT int
execvp(const char *file, char *const argv[])
{
	return fail(exec_call(file, argv, environ, 1));
}

/* How an execl(3) function takes its list and runs it. */
enum list {
	LIST_EXECV,  /* execl: as execv */
	LIST_EXECVE, /* execle: as execve, with envp after the list */
	LIST_EXECVP, /* execlp: as execvp */
};

/*
 * Runs what an execl(3) function was given: arg and the rest of its list
 * up to a NULL, copied to the stack as glibc copies them.
 */
static int
exec_list(const char *file, const char *arg, va_list *ap, enum list how)
{
	size_t n = 0;
	va_list count;

	va_copy(count, *ap);
	while (arg != NULL && va_arg(count, char *) != NULL)
		n++;
	va_end(count);
	{
		char *argv[n + 2];
		char *const *envp = environ;

		argv[0] = (char *)arg;
		for (size_t i = 1; arg != NULL && i <= n + 1; i++)
			argv[i] = va_arg(*ap, char *);
		if (how == LIST_EXECVE)
			envp = va_arg(*ap, char *const *);
		return exec_call(file, argv, envp, how == LIST_EXECVP);
	}
}

EXPORT int
execl(const char *path, const char *arg, ...)
{
	va_list ap;
	int err;

	va_start(ap, arg);
	err = exec_list(path, arg, &ap, LIST_EXECV);
	va_end(ap);
	return fail(err);
}

EXPORT int
execle(const char *path, const char *arg, ...)
{
	va_list ap;
	int err;

	va_start(ap, arg);
	err = exec_list(path, arg, &ap, LIST_EXECVE);
	va_end(ap);
	return fail(err);
}

EXPORT int
execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	int err;

	va_start(ap, arg);
	err = exec_list(file, arg, &ap, LIST_EXECVP);
	va_end(ap);
	return fail(err);
}
