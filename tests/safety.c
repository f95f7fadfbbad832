/*
 * safety — the calls of tests/safety.bats that tests/bin/launch cannot make
 * in one go: each runs the same way with and without
 * LD_PRELOAD=librunscript.so, and the test compares the two runs.
 *
 * safety vfork-loop N FILE [ARG]...
 *     vfork, then execve FILE ARG... in the child (its output to
 *     /dev/null), N times, waiting for each; prints the parent's VmSize (in
 *     kB, from /proc/self/status) after the first 10 launches and after
 *     all, and how many launches did not exit 0:
 *     "vmsize-first=K vmsize-last=K failures=F".
 * safety dlopen-spawn ROUNDS LIBRARY FILE
 *     a thread loops dlopen(LIBRARY)/dlclose; ROUNDS times, a SIGUSR1
 *     handler, run in that thread and in the main thread by turns, calls
 *     posix_spawn(FILE), its output to /dev/null, and waits for the
 *     child. Prints "spawns=N failures=F" when all rounds are done; a
 *     round that takes over 5 s is hung, and SIGALRM kills the program.
 * safety old-spawn FILE [ARG]...
 *     posix_spawn@GLIBC_2.2.5, the symbol programs linked before glibc
 *     2.15 call; prints "return=NAME" and the child's "status=exit N".
 *     Exits 3 where that symbol version does not exist (not x86-64).
 * safety argmax FILE
 *     the largest N for which execve(FILE, {FILE, "a" x N}, {NULL}) runs
 *     (its child exits 0), by binary search; prints "largest=N". With an
 *     empty environment, so that LD_PRELOAD's own bytes are not counted.
 * safety stack-room BYTES
 *     prints how many bytes of a thread's stack, asked for with BYTES,
 *     lie below the thread's first frame: "room=N".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE       2
#define EXIT_UNSUPPORTED 3
/* The vfork child's status when execve fails. */
#define EXIT_EXEC_FAILED 99
/* A dlopen-spawn round (one spawn) longer than this is hung. */
#define ROUND_SECONDS 5
/* Launches before the first VmSize: what the first calls map for good. */
#define WARM_UP 10

static void
die(const char *msg)
{
	fprintf(stderr, "safety: %s\n", msg);
	exit(EXIT_USAGE);
}

static int
wait_for(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* The VmSize line of /proc/self/status, in kB. */
static long
vmsize(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	const char *v;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		die("cannot read /proc/self/status");
	buf[n] = '\0';
	if ((v = strstr(buf, "VmSize:")) == NULL)
		die("no VmSize in /proc/self/status");
	return strtol(v + strlen("VmSize:"), NULL, 10);
}

static int
vfork_loop(long n, char *argv[])
{
	int out = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
	long first = 0, last, failures = 0;

	/* The children print; the vfork child may only execve or _exit. */
	fflush(stdout);
	if (out < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0)
		die("cannot send the children's output to /dev/null");
	for (long i = 0; i < n; i++) {
		/* The call under test: vfork, as CPython's subprocess. */
		pid_t pid =
		        vfork(); // NOLINT(clang-analyzer-security.insecureAPI.vfork)

		if (pid == 0) {
			execve(argv[0], argv, environ);
			_exit(EXIT_EXEC_FAILED);
		}
		if (pid < 0)
			die("vfork failed");
		if (wait_for(pid) != 0)
			failures++;
		if (i + 1 == WARM_UP)
			first = vmsize();
	}
	last = vmsize();
	dup2(out, STDOUT_FILENO);
	printf("vmsize-first=%ld vmsize-last=%ld failures=%ld\n", first, last,
	       failures);
	return 0;
}

/* What the SIGUSR1 handler of dlopen-spawn runs and counts. */
static const char *spawn_file;
static volatile sig_atomic_t spawned, spawn_failures;

static void
spawn_in_handler(int sig)
{
	int saved = errno;
	char *argv[] = {(char *)spawn_file, NULL};
	pid_t pid;

	(void)sig;
	if (posix_spawn(&pid, spawn_file, NULL, NULL, argv, environ) != 0 ||
	    wait_for(pid) != 0)
		spawn_failures++;
	spawned++;
	errno = saved;
}

static void *
dlopen_loop(void *library)
{
	for (;;) {
		void *h = dlopen(library, RTLD_NOW | RTLD_LOCAL);

		if (h != NULL)
			dlclose(h);
	}
	return NULL;
}

static int
dlopen_spawn(long rounds, char *library, const char *file)
{
	struct sigaction sa;
	pthread_t t;
	struct timespec nap = {0, 200000};
	int out = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);

	/* The children print; only the counts are for the caller. */
	if (out < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0)
		die("cannot send the children's output to /dev/null");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = spawn_in_handler;
	sigemptyset(&sa.sa_mask);
	spawn_file = file;
	if (sigaction(SIGUSR1, &sa, NULL) != 0 ||
	    pthread_create(&t, NULL, dlopen_loop, library) != 0)
		die("cannot start the dlopen thread");
	for (long i = 0; i < rounds; i++) {
		sig_atomic_t before = spawned;

		/* One spawn takes milliseconds: a round this long is hung. */
		alarm(ROUND_SECONDS);
		pthread_kill(i % 2 == 0 ? t : pthread_self(), SIGUSR1);
		while (spawned == before)
			nanosleep(&nap, NULL);
	}
	alarm(0);
	dup2(out, STDOUT_FILENO);
	printf("spawns=%ld failures=%ld\n", (long)spawned,
	       (long)spawn_failures);
	fflush(stdout);
	_exit(0); /* the dlopen thread never ends */
}

#if defined(__x86_64__)
int old_posix_spawn(pid_t *, const char *, const posix_spawn_file_actions_t *,
                    const posix_spawnattr_t *, char *const[], char *const[]);
__asm__(".symver old_posix_spawn, posix_spawn@GLIBC_2.2.5");

static int
old_spawn(char *argv[])
{
	pid_t pid;
	int rc = old_posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
	int status;

	if (rc != 0) {
		printf("return=%s\n", strerrorname_np(rc));
		return 0;
	}
	status = wait_for(pid);
	printf("return=0\n");
	if (WIFEXITED(status))
		printf("status=exit %d\n", WEXITSTATUS(status));
	else
		printf("status=other %d\n", status);
	return 0;
}
#else
static int
old_spawn(char *argv[])
{
	(void)argv;
	fprintf(stderr, "safety: posix_spawn@GLIBC_2.2.5 is x86-64's only\n");
	return EXIT_UNSUPPORTED;
}
#endif

/* Whether FILE runs, exiting 0, with N arguments "a" after argv[0]. */
static int
runs_with(char **v, const char *file, long n)
{
	static char *const empty_env[] = {NULL};
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	char *saved = v[n + 1];
	pid_t pid;
	int status;

	if (null < 0)
		die("cannot open /dev/null");
	v[n + 1] = NULL;
	pid = fork();
	if (pid == 0) {
		dup2(null, STDOUT_FILENO);
		execve(file, v, empty_env);
		_exit(EXIT_EXEC_FAILED);
	}
	v[n + 1] = saved;
	close(null);
	if (pid < 0)
		die("fork failed");
	status = wait_for(pid);
	return status == 0;
}

static int
argmax(const char *file)
{
	static char a[] = "a";
	long lo = 0, hi = 1024, cap = 16L * 1024 * 1024;
	char **v = malloc((size_t)(cap + 2) * sizeof *v);

	if (v == NULL)
		die("out of memory");
	v[0] = (char *)file;
	for (long i = 1; i <= cap + 1; i++)
		v[i] = a;
	if (!runs_with(v, file, 0))
		die("the file does not run even without arguments");
	/* Find a count that fails, then the boundary between. */
	while (runs_with(v, file, hi)) {
		lo = hi;
		hi *= 2;
		if (hi > cap)
			die("no argument count up to 16 M fails");
	}
	while (hi - lo > 1) {
		long mid = lo + (hi - lo) / 2;

		if (runs_with(v, file, mid))
			lo = mid;
		else
			hi = mid;
	}
	printf("largest=%ld\n", lo);
	free(v);
	return 0;
}

static void *
measure_room(void *out)
{
	pthread_attr_t a;
	void *low;
	size_t size;
	char here;

	if (pthread_getattr_np(pthread_self(), &a) != 0 ||
	    pthread_attr_getstack(&a, &low, &size) != 0)
		die("cannot read the thread's stack");
	*(long *)out = (long)((uintptr_t)&here - (uintptr_t)low);
	return NULL;
}

static int
stack_room(size_t bytes)
{
	pthread_attr_t a;
	pthread_t t;
	long room = 0;

	if (pthread_attr_init(&a) != 0 ||
	    pthread_attr_setstacksize(&a, bytes) ||
	    pthread_create(&t, &a, measure_room, &room) != 0)
		die("cannot start a thread with that stack size");
	pthread_join(t, NULL);
	printf("room=%ld\n", room);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc >= 4 && strcmp(argv[1], "vfork-loop") == 0)
		return vfork_loop(strtol(argv[2], NULL, 10), argv + 3);
	if (argc == 5 && strcmp(argv[1], "dlopen-spawn") == 0)
		return dlopen_spawn(strtol(argv[2], NULL, 10), argv[3],
		                    argv[4]);
	if (argc >= 3 && strcmp(argv[1], "old-spawn") == 0)
		return old_spawn(argv + 2);
	if (argc == 3 && strcmp(argv[1], "argmax") == 0)
		return argmax(argv[2]);
	if (argc == 3 && strcmp(argv[1], "stack-room") == 0)
		return stack_room((size_t)strtoul(argv[2], NULL, 10));
	die("usage: safety vfork-loop N FILE [ARG]... | dlopen-spawn ROUNDS "
	    "LIBRARY FILE | old-spawn FILE [ARG]... | argmax FILE | "
	    "stack-room BYTES");
	return EXIT_USAGE;
}
