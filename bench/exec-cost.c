/*
 * exec-cost — what one invocation of a trivial script costs, run directly
 * and through each alternative, measured alternately in one run so that
 * a noisy machine slows every method alike.
 *
 * usage: exec-cost ROUNDS N SCRIPT RUNSCRIPT FLOOR
 *
 * Each round times N runs of every method (the order rotating from round
 * to round); the table gives each method's median time per run and the
 * median over rounds of its ratio to direct exec in the same round. It
 * also gives runscript's peak resident set, from a dry run (-n), which does
 * all of its work but the exec.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tests/timing.h"

#define NMETHODS   5
#define MAX_ROUNDS 100

extern char **environ;

struct method {
	const char *name;
	char *argv[3];
	double us[MAX_ROUNDS];    /* time per run, each round */
	double ratio[MAX_ROUNDS]; /* to direct exec, each round */
};

/* Microseconds per run of argv, over n runs; exits if a run fails. */
static double
time_runs(char *const argv[], int n)
{
	double us = time_starts(START_SPAWN, argv, environ, n);

	if (us < 0) {
		fprintf(stderr, "exec-cost: %s %s failed\n", argv[0],
		        argv[1] != NULL ? argv[1] : "");
		exit(1);
	}
	return us;
}

/*
 * Peak RSS in KiB of `runscript -n SCRIPT`, read from /proc while its last
 * step, printing the command, blocks on a full pipe: by then it has done
 * all of its work but the exec. (The kernel's per-child figures are not
 * fit for this: they count the parent's pages, or round small ones away.)
 */
static long
dry_run_rss(char *runscript, char *script)
{
	char path[64], line[256], fill[4096] = {0};
	long kib = -1;
	int p[2], status;
	pid_t pid;

	if (pipe(p) == -1)
		return -1;
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], fill, sizeof fill) > 0)
		;
	fcntl(p[1], F_SETFL, 0);
	if ((pid = fork()) == 0) {
		dup2(p[1], 1);
		execl(runscript, runscript, "-n", script, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	for (int tries = 0; tries < 100 && kib == -1; tries++) {
		struct timespec nap = {0, 20000000};
		int sleeping = 0;
		FILE *f;

		nanosleep(&nap, NULL);
		if ((f = fopen(path, "r")) == NULL)
			break;
		while (fgets(line, sizeof line, f) != NULL) {
			if (strncmp(line, "State:", 6) == 0)
				sleeping = strstr(line, "S (sleeping)") != NULL;
			if (sleeping && strncmp(line, "VmHWM:", 6) == 0)
				kib = atol(line + 6);
		}
		fclose(f);
	}
	while (read(p[0], fill, sizeof fill) > 0)
		;
	close(p[0]);
	waitpid(pid, &status, 0);
	return kib;
}

int
main(int argc, char *argv[])
{
	struct method m[NMETHODS] = {
	        {"direct exec", {argv[3], NULL, NULL}, {0}, {0}},
	        {"runscript", {argv[4], argv[3], NULL}, {0}, {0}},
	        {"bash SCRIPT", {"/bin/bash", argv[3], NULL}, {0}, {0}},
	        {"env SCRIPT", {"/usr/bin/env", argv[3], NULL}, {0}, {0}},
	        {"floor: a static exec of /bin/sh",
	         {argv[5], argv[3], NULL},
	         {0},
	         {0}},
	};
	int rounds, n;
	long rss;

	if (argc != 6 || (rounds = atoi(argv[1])) < 1 || rounds > MAX_ROUNDS ||
	    (n = atoi(argv[2])) < 1) {
		fputs("usage: exec-cost ROUNDS N SCRIPT RUNSCRIPT FLOOR\n",
		      stderr);
		return 2;
	}
	rss = dry_run_rss(argv[4], argv[3]);
	for (int i = 0; i < NMETHODS; i++) /* warm the caches */
		time_runs(m[i].argv, n / 10 + 1);
	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < NMETHODS; k++) {
			struct method *x = &m[(r + k) % NMETHODS];

			x->us[r] = time_runs(x->argv, n);
		}
		for (int i = 0; i < NMETHODS; i++)
			m[i].ratio[r] = m[i].us[r] / m[0].us[r];
	}
	printf("| method | median time per run | median ratio to direct exec |\n");
	printf("|---|---:|---:|\n");
	for (int i = 0; i < NMETHODS; i++)
		printf("| %s | %.0f µs | %.2f× |\n", m[i].name,
		       median(m[i].us, rounds), median(m[i].ratio, rounds));
	printf("\nrunscript's peak resident set size (dry run): %ld KiB\n",
	       rss);
	return 0;
}
