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

#include "libcall.h"
#include "spawndir.h"

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
	spawn_fn *whole = search ? real_spawn("posix_spawnp") : sp.real;
	int owned, err;

	if (sp.real == NULL || whole == NULL)
		return ENOSYS;
	if ((c.dirfd = spawn_dir(fa, &owned)) == -1)
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
