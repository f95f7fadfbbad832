/*
 * librunscript.so: the resolver inside every dynamically linked program of
 * a process tree (runscript --tree). Loaded with LD_PRELOAD, it takes the
 * place of libc's exec and spawn functions: a script runs through its final
 * interpreter, as the runscript binary runs it, so that the script itself
 * is never exec'd; anything else goes to libc as it came.
 *
 * The exec functions run in children between fork (or vfork) and exec,
 * posix_spawn in many threads at once, and either from signal handlers and
 * small thread stacks: this file keeps to async-signal-safe calls, at most
 * LIB_STACK_MAX bytes of data on the stack (src/core/run.c), and no
 * writable static data. The real functions are looked up once, when the
 * library is loaded, so that no call takes the dynamic loader's lock, and
 * kept in a page that is then made read-only. The real execve is the
 * system call itself, as libc's own would lead back here.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "run.h"
#include "spawndir.h"

/* Only the functions a program calls to run a file are exported. */
#define EXPORT __attribute__((visibility("default")))

/*
 * glibc declares the arguments of these functions nonnull, and the
 * compiler would delete our tests of them: this hides what a pointer is.
 */
#define OPAQUE(p) __asm__("" : "+r"(p))

/*
 * The most data a call puts on the stack. A call takes under 1 KiB but for
 * a #! line longer than the kernel's 256 bytes, which takes its length, up
 * to the 8 KiB runscript reads, or an argv of many strings. Past this, a
 * spawn maps memory, and an exec in place, where a mapping would outlive
 * the exec (after vfork, in the parent), leaves the call to libc.
 */
#define LIB_STACK_MAX (SHEBANG_BUF_SIZE + 2048)

/*
 * On x86-64, programs linked before glibc 2.15 call posix_spawn of
 * version GLIBC_2.2.5, which runs /bin/sh for a file the kernel refuses
 * with ENOEXEC: that version is kept apart (src/preload/x86_64.map).
 */
#if defined(__x86_64__) && defined(__GLIBC__) && !defined(__ILP32__)
#define OLD_SPAWN     "GLIBC_2.2.5"
#define SPAWN_NAME(f) rs_##f
#else
#define SPAWN_NAME(f) f
#endif

typedef int spawn_fn(pid_t *, const char *, const posix_spawn_file_actions_t *,
                     const posix_spawnattr_t *, char *const[], char *const[]);
typedef int execvpe_fn(const char *, char *const[], char *const[]);

#ifdef OLD_SPAWN
/* Ours, exported under libc's names and versions at the end of this file. */
spawn_fn rs_posix_spawn, rs_posix_spawnp, rs_old_posix_spawn,
        rs_old_posix_spawnp;
#endif

/* libc's functions behind ours, bound at load, then read-only. */
static union {
	struct reals {
		spawn_fn *spawn, *spawnp, *old_spawn, *old_spawnp;
		execvpe_fn *execvpe;
	} r;
	// cppcheck-suppress unusedStructMember
	char page[4096]; /* a page of its own, for mprotect() */
} reals __attribute__((aligned(4096)));

/* libc's function name, of version when it is not NULL. */
static void *
next(const char *name, const char *version)
{
#ifdef OLD_SPAWN
	if (version != NULL)
		return dlvsym(RTLD_NEXT, name, version);
#else
	(void)version;
#endif
	return dlsym(RTLD_NEXT, name);
}

__attribute__((constructor)) static void
bind_reals(void)
{
	void *sym[5] = {next("posix_spawn", NULL), next("posix_spawnp", NULL),
	                NULL, NULL, next("execvpe", NULL)};

#ifdef OLD_SPAWN
	sym[2] = next("posix_spawn", OLD_SPAWN);
	sym[3] = next("posix_spawnp", OLD_SPAWN);
#endif
	memcpy(&reals.r.spawn, &sym[0], sizeof reals.r.spawn);
	memcpy(&reals.r.spawnp, &sym[1], sizeof reals.r.spawnp);
	memcpy(&reals.r.old_spawn, &sym[2], sizeof reals.r.old_spawn);
	memcpy(&reals.r.old_spawnp, &sym[3], sizeof reals.r.old_spawnp);
	memcpy(&reals.r.execvpe, &sym[4], sizeof reals.r.execvpe);
	mprotect(&reals, sizeof reals, PROT_READ);
}

static int
execve_in_place(void *ctx, const char *file, char *const argv[],
                char *const envp[])
{
	(void)ctx;
	syscall(SYS_execve, file, argv, envp);
	return errno;
}

static const struct rs_starter in_place = {execve_in_place, NULL};

/* The caller's posix_spawn() arguments other than the file and argv. */
struct spawn {
	spawn_fn *real;
	spawn_fn *
	        whole; /* real, or the real posix_spawnp: the call as it came */
	pid_t *pid;
	const posix_spawn_file_actions_t *actions;
	const posix_spawnattr_t *attr;
	int *owned; /* our descriptor on the child's directory, or -1 */
};

/*
 * The one real spawn. Our descriptor is closed first, so that the child
 * and the caller's file actions see the descriptors they would without us.
 */
static int
spawn_child(void *ctx, const char *file, char *const argv[], char *const envp[])
{
	const struct spawn *sp = ctx;

	if (*sp->owned != -1) {
		close(*sp->owned);
		*sp->owned = -1;
	}
	return sp->real(sp->pid, file, sp->actions, sp->attr, argv, envp);
}

/* The call as it came, to the real function that takes it whole. */
static int
spawn_whole(void *ctx, const char *file, char *const argv[], char *const envp[])
{
	const struct spawn *sp = ctx;

	return sp->whole(sp->pid, file, sp->actions, sp->attr, argv, envp);
}

/*
 * posix_spawn(3), searching PATH as posix_spawnp(3) when search is set,
 * with real: a spawn that is not a #! chain's, as for a name found
 * nowhere, is whole's to make as it came, so that its file actions and
 * errors are its own, again while the file is busy if the actions can run
 * twice. errno is left as libc leaves it: where its child, which shares
 * our memory, left the errno of the last candidate it failed to exec.
 */
static int
spawn(spawn_fn *real, spawn_fn *whole, int search, enum rs_enoexec enoexec,
      pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
      const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	int saved = errno, owned = -1, missed = 0, err = RS_DECLINE;
	int repeatable = spawn_repeatable(fa);
	struct spawn sp = {real, whole, pid, fa, attr, &owned};
	struct rs_starter s = {spawn_child, &sp}, w = {spawn_whole, &sp};
	const char *log = rs_log_of(environ);
	struct rs_call c = {AT_FDCWD,
	                    RS_SPAWN | RS_MAY_MAP | (search ? RS_SEARCH : 0) |
	                            (repeatable ? 0 : RS_ONCE),
	                    enoexec,
	                    rs_path_of(environ),
	                    &s,
	                    LIB_STACK_MAX,
	                    log,
	                    &missed,
	                    NULL,
	                    NULL,
	                    NULL};

	if (real == NULL || whole == NULL)
		return ENOSYS;
	if ((c.dirfd = spawn_dir(fa, &owned)) != -1)
		err = rs_run(&c, file, argv, envp);
	if (owned != -1)
		close(owned);
	errno = err == 0 && missed != 0 ? missed : saved;
	if (err != RS_DECLINE)
		return err;
	if (!repeatable || file == NULL)
		return whole(pid, file, fa, attr, argv, envp);
	err = rs_start_busy(&w, file, argv, envp, 1, log);
	/* What the retries' sleeps did to errno, libc's child would not. */
	if (err == 0)
		errno = saved;
	return err;
}

/* The real function, bound at load, or looked up now if we are early. */
static spawn_fn *
real_spawn(spawn_fn *bound, const char *name, const char *version)
{
	void *sym;
	spawn_fn *fn = bound;

	if (fn == NULL) {
		sym = next(name, version);
		memcpy(&fn, &sym, sizeof fn);
	}
	return fn;
}

EXPORT int
SPAWN_NAME(posix_spawn)(pid_t *pid, const char *path,
                        const posix_spawn_file_actions_t *file_actions,
                        const posix_spawnattr_t *attrp, char *const argv[],
                        char *const envp[])
{
	spawn_fn *real = real_spawn(reals.r.spawn, "posix_spawn", NULL);

	OPAQUE(path);
	OPAQUE(argv);
	return spawn(real, real, 0, RS_ENOEXEC_FAIL, pid, path, file_actions,
	             attrp, argv, envp);
}

EXPORT int
SPAWN_NAME(posix_spawnp)(pid_t *pid, const char *file,
                         const posix_spawn_file_actions_t *file_actions,
                         const posix_spawnattr_t *attrp, char *const argv[],
                         char *const envp[])
{
	spawn_fn *real = real_spawn(reals.r.spawn, "posix_spawn", NULL);
	spawn_fn *whole = real_spawn(reals.r.spawnp, "posix_spawnp", NULL);

	OPAQUE(file);
	OPAQUE(argv);
	return spawn(real, whole, 1, RS_ENOEXEC_FAIL, pid, file, file_actions,
	             attrp, argv, envp);
}

#ifdef OLD_SPAWN
/* The versions before glibc 2.15: /bin/sh runs what ENOEXEC refuses. */
EXPORT int
rs_old_posix_spawn(pid_t *pid, const char *path,
                   const posix_spawn_file_actions_t *file_actions,
                   const posix_spawnattr_t *attrp, char *const argv[],
                   char *const envp[])
{
	spawn_fn *real =
	        real_spawn(reals.r.old_spawn, "posix_spawn", OLD_SPAWN);

	OPAQUE(path);
	OPAQUE(argv);
	return spawn(real, real, 0, RS_ENOEXEC_SHELL, pid, path, file_actions,
	             attrp, argv, envp);
}

EXPORT int
rs_old_posix_spawnp(pid_t *pid, const char *file,
                    const posix_spawn_file_actions_t *file_actions,
                    const posix_spawnattr_t *attrp, char *const argv[],
                    char *const envp[])
{
	spawn_fn *real =
	        real_spawn(reals.r.old_spawn, "posix_spawn", OLD_SPAWN);
	spawn_fn *whole =
	        real_spawn(reals.r.old_spawnp, "posix_spawnp", OLD_SPAWN);

	OPAQUE(file);
	OPAQUE(argv);
	return spawn(real, whole, 1, RS_ENOEXEC_SHELL, pid, file, file_actions,
	             attrp, argv, envp);
}

__asm__(".symver rs_posix_spawn, posix_spawn@@GLIBC_2.15");
__asm__(".symver rs_posix_spawnp, posix_spawnp@@GLIBC_2.15");
__asm__(".symver rs_old_posix_spawn, posix_spawn@GLIBC_2.2.5");
__asm__(".symver rs_old_posix_spawnp, posix_spawnp@GLIBC_2.2.5");
#endif

/* The exec functions: -1 with errno set, as they return on failure. */
static int
fail(int err)
{
	errno = err;
	return -1;
}

/* An exec in place: execvp's kind, with its PATH search, when search. */
static int
exec_call(const char *file, char *const argv[], char *const envp[], int search)
{
	struct rs_call c = {AT_FDCWD,
	                    search ? RS_SEARCH : 0,
	                    search ? RS_ENOEXEC_SHELL : RS_ENOEXEC_FAIL,
	                    search ? rs_path_of(environ) : NULL,
	                    &in_place,
	                    LIB_STACK_MAX,
	                    rs_log_of(environ),
	                    NULL,
	                    NULL,
	                    NULL,
	                    NULL};
	int err = rs_run(&c, file, argv, envp);

	if (err != RS_DECLINE)
		return err;
	if (!search || reals.r.execvpe == NULL)
		return execve_in_place(NULL, file, argv, envp);
	reals.r.execvpe(file, argv, envp);
	return errno;
}

EXPORT int
execve(const char *path, char *const argv[], char *const envp[])
{
	OPAQUE(path);
	OPAQUE(argv);
	return fail(exec_call(path, argv, envp, 0));
}

EXPORT int
execv(const char *path, char *const argv[])
{
	OPAQUE(path);
	OPAQUE(argv);
	return fail(exec_call(path, argv, environ, 0));
}

EXPORT int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	OPAQUE(file);
	OPAQUE(argv);
	return fail(exec_call(file, argv, envp, 1));
}

EXPORT int
execvp(const char *file, char *const argv[])
{
	OPAQUE(file);
	OPAQUE(argv);
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

	OPAQUE(path);
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

	OPAQUE(path);
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

	OPAQUE(file);
	va_start(ap, arg);
	err = exec_list(file, arg, &ap, LIST_EXECVP);
	va_end(ap);
	return fail(err);
}
