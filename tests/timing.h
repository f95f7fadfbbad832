/*
 * timing.h — the clock, the pause, the median and the timed start of a
 * child, shared by the race harness (tests/race.c) and the benchmarks
 * (bench/exec-cost.c, bench/tree-cost.c), so that every figure they print
 * is taken the same way.
 *
 * Each of those programs is built from its one .c file, for musl and for
 * the system's libc alike, so this header holds the code itself: static
 * inline functions, which a program that does not call them does without.
 */
#ifndef RS_TIMING_H
#define RS_TIMING_H

#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock, which no change of the date moves. */
static inline double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleeps ms milliseconds in all, however often a signal interrupts it. */
static inline void
nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static inline int
median_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of v's n values, which it sorts. */
static inline double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, median_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* How time_starts starts each child. */
enum start_with { START_SPAWN, START_FORK };

/*
 * Starts argv[0] with argv and env n times in a row with posix_spawn(), or
 * with fork() and execve(), waiting for each, and returns the microseconds
 * per start; -1 as soon as one cannot be started or does not exit 0.
 */
static inline double
time_starts(enum start_with how, char *const argv[], char *const env[], int n)
{
	double t0 = now();

	for (int i = 0; i < n; i++) {
		pid_t pid;
		int status, err = 0;

		if (how == START_FORK) {
			if ((pid = fork()) == 0) {
				execve(argv[0], argv, env);
				_exit(127);
			}
			err = pid == -1;
		} else {
			err = posix_spawn(&pid, argv[0], NULL, NULL, argv,
			                  env) != 0;
		}
		if (err || waitpid(pid, &status, 0) == -1 || status != 0)
			return -1;
	}
	return (now() - t0) / n * 1e6;
}

#endif
