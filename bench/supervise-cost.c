/*
 * supervise-cost — the time of one operation, for bench.sh to compare a
 * run directly and under runscript --supervise, alternately.
 *
 * usage: supervise-cost fork|spawn|thread N
 *
 * fork: fork(), execve() of /bin/true and waitpid(); spawn: posix_spawn()
 * of /bin/true and waitpid(); thread: pthread_create() and pthread_join()
 * of a thread that does nothing. Prints the mean time of one operation
 * over N, in microseconds, after one untimed warm-up.
 */
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char *const true_argv[] = {"/bin/true", NULL};

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static void
one_fork(void)
{
	int status;
	pid_t pid = fork();

	if (pid == -1)
		die("fork");
	if (pid == 0) {
		execve(true_argv[0], true_argv, environ);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || status != 0)
		die("/bin/true");
}

static void
one_spawn(void)
{
	int status;
	pid_t pid;

	if (posix_spawn(&pid, true_argv[0], NULL, NULL, true_argv, environ) !=
	    0)
		die("posix_spawn");
	if (waitpid(pid, &status, 0) != pid || status != 0)
		die("/bin/true");
}

static void *
nothing(void *arg)
{
	return arg;
}

static void
one_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, nothing, NULL) != 0 ||
	    pthread_join(t, NULL) != 0)
		die("pthread");
}

int
main(int argc, char *argv[])
{
	void (*op)(void);
	long n;
	double start;

	if (argc != 3 || (n = atol(argv[2])) < 1) {
		fputs("usage: supervise-cost fork|spawn|thread N\n", stderr);
		return 2;
	}
	if (strcmp(argv[1], "fork") == 0)
		op = one_fork;
	else if (strcmp(argv[1], "spawn") == 0)
		op = one_spawn;
	else if (strcmp(argv[1], "thread") == 0)
		op = one_thread;
	else {
		fputs("usage: supervise-cost fork|spawn|thread N\n", stderr);
		return 2;
	}
	op();
	start = now();
	for (long i = 0; i < n; i++)
		op();
	printf("%.2f\n", (now() - start) / (double)n * 1e6);
	return 0;
}
