/*
 * tree-cost — what runscript --tree adds to each start of a program: the
 * time a dynamically linked program takes to start a child and wait for
 * it, with librunscript.so preloaded and without, measured alternately in
 * one run so that a noisy machine slows both alike.
 *
 * usage: tree-cost ROUNDS N /LIBRARY SCRIPT
 *
 * There are four cases: SCRIPT or /bin/true, started with posix_spawn() or
 * with fork() and execve(). Each case has two spawners, this program
 * started again and kept running, one with LD_PRELOAD=/LIBRARY in its
 * environment and one without; asked to, a spawner starts its child N
 * times in a row, waiting for each, and answers with the time per start.
 * Each round asks every spawner once, the two of a case one right after
 * the other, their order alternating and that of the cases rotating from
 * round to round. With the library, it is in the spawner, where it takes
 * the place of posix_spawn() and execve(), and in the environment of the
 * child, which loads it too: the whole cost of --tree to a program that
 * starts another. The table gives each median time per start and the
 * median over rounds of the ratio with/without taken in the same round.
 *
 * A spawner: tree-cost -s spawn|fork FILE, reading counts from descriptor
 * 3 and answering on descriptor 4.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tests/timing.h"

#define NCASES     4
#define MAX_ROUNDS 10000
#define SELF       "/proc/self/exe"

extern char **environ;

struct tcase {
	const char *child; /* what the table calls it */
	const char *how;   /* the spawner's first argument */
	const char *file;
	FILE *ask[2], *answer[2]; /* its spawners: without, with */
	double *us[2];            /* time per start, each round */
	double *ratio;            /* with/without, each round */
};

/* Whether this process has the library mapped (so was started with it). */
static int
preloaded(void)
{
	char line[4096];
	int found = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (f == NULL)
		return -1;
	while (!found && fgets(line, sizeof line, f) != NULL)
		found = strstr(line, "/librunscript.so") != NULL;
	fclose(f);
	return found;
}

/*
 * The spawner: for each count n read from descriptor 3, starts file n
 * times, waiting for each, with posix_spawn() or with fork() and execve(),
 * and answers on descriptor 4 with the microseconds per start and whether
 * the library is loaded in it.
 */
static int
spawner(const char *how, char *file)
{
	char *argv[] = {file, NULL};
	int use_fork = strcmp(how, "fork") == 0, n;
	int loaded = preloaded();
	FILE *in, *out;

	/* The children get neither. */
	if (fcntl(3, F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(4, F_SETFD, FD_CLOEXEC) == -1 ||
	    (in = fdopen(3, "r")) == NULL || (out = fdopen(4, "w")) == NULL)
		return 1;
	while (fscanf(in, "%d", &n) == 1 && n > 0) {
		double us = time_starts(use_fork ? START_FORK : START_SPAWN,
		                        argv, environ, n);

		if (us < 0) {
			fprintf(stderr, "tree-cost: %s of %s failed\n", how,
			        file);
			return 1;
		}
		fprintf(out, "%f %d\n", us, loaded);
		if (fflush(out) != 0)
			return 1;
	}
	return 0;
}

/* environ without LD_PRELOAD, and with extra added when not NULL. */
static char **
environment(char *extra)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	if ((env = calloc(n + 2, sizeof *env)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
			env[k++] = environ[i];
	if (extra != NULL)
		env[k++] = extra;
	env[k] = NULL;
	return env;
}

/*
 * fd moved to a close-on-exec descriptor above those a spawner is given,
 * so that no spawner holds another's pipes, nor the write end of its own.
 */
static int
high(int fd)
{
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, 10);

	close(fd);
	return moved;
}

/* Starts the spawner of c with env, as c->ask[w] and c->answer[w]. */
static void
start_spawner(struct tcase *c, int w, char **env)
{
	char *argv[] = {SELF, "-s", (char *)c->how, (char *)c->file, NULL};
	posix_spawn_file_actions_t fa;
	int to[2], from[2];
	pid_t pid;

	if (pipe(to) == -1 || pipe(from) == -1 || (to[0] = high(to[0])) == -1 ||
	    (to[1] = high(to[1])) == -1 || (from[0] = high(from[0])) == -1 ||
	    (from[1] = high(from[1])) == -1 ||
	    posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, to[0], 3) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, from[1], 4) != 0 ||
	    posix_spawn(&pid, SELF, &fa, NULL, argv, env) != 0 ||
	    (c->ask[w] = fdopen(to[1], "w")) == NULL ||
	    (c->answer[w] = fdopen(from[0], "r")) == NULL) {
		perror("tree-cost");
		exit(1);
	}
	posix_spawn_file_actions_destroy(&fa);
	close(to[0]);
	close(from[1]);
}

/*
 * Asks spawner w of c for n starts; returns its microseconds per start,
 * or exits if it fails or has the library where it should not, or not
 * where it should.
 */
static double
ask(const struct tcase *c, int w, int n)
{
	double us;
	int loaded = -1;

	if (fprintf(c->ask[w], "%d\n", n) < 0 || fflush(c->ask[w]) != 0 ||
	    fscanf(c->answer[w], "%lf %d", &us, &loaded) != 2 || loaded != w) {
		fprintf(stderr,
		        "tree-cost: the %s spawner of %s %s the "
		        "library failed%s\n",
		        c->how, c->file, w ? "with" : "without",
		        loaded != -1 && loaded != w
		                ? " (LD_PRELOAD did not take)"
		                : "");
		exit(1);
	}
	return us;
}

/* Whether a child started with env loads the library: /bin/sh, here. */
static int
child_loads(char **env)
{
	char *argv[] = {"/bin/sh", "-c",
	                "grep -q /librunscript.so /proc/$$/maps", NULL};
	int status;
	pid_t pid;

	return posix_spawn(&pid, argv[0], NULL, NULL, argv, env) == 0 &&
	       waitpid(pid, &status, 0) != -1 && status == 0;
}

int
main(int argc, char *argv[])
{
	static struct tcase c[NCASES] = {
	        {.child = "trivial script", .how = "spawn"},
	        {.child = "/bin/true", .how = "spawn", .file = "/bin/true"},
	        {.child = "trivial script", .how = "fork"},
	        {.child = "/bin/true", .how = "fork", .file = "/bin/true"},
	};
	char **env[2], *preload;
	size_t size;
	int rounds, n;

	if (argc == 4 && strcmp(argv[1], "-s") == 0)
		return spawner(argv[2], argv[3]);
	if (argc != 5 || (rounds = atoi(argv[1])) < 1 || rounds > MAX_ROUNDS ||
	    (n = atoi(argv[2])) < 1 || argv[3][0] != '/') {
		fputs("usage: tree-cost ROUNDS N /LIBRARY SCRIPT\n", stderr);
		return 2;
	}
	size = strlen(argv[3]) + sizeof "LD_PRELOAD=";
	if ((preload = malloc(size)) == NULL ||
	    (env[0] = environment(NULL)) == NULL ||
	    (env[1] = environment(preload)) == NULL) {
		perror("tree-cost");
		return 1;
	}
	snprintf(preload, size, "LD_PRELOAD=%s", argv[3]);
	if (child_loads(env[0]) || !child_loads(env[1])) {
		fputs("tree-cost: a child does not load the library as it "
		      "should\n",
		      stderr);
		return 1;
	}
	c[0].file = c[2].file = argv[4];
	for (int i = 0; i < NCASES; i++) {
		if ((c[i].us[0] = calloc((size_t)rounds, sizeof(double))) ==
		            NULL ||
		    (c[i].us[1] = calloc((size_t)rounds, sizeof(double))) ==
		            NULL ||
		    (c[i].ratio = calloc((size_t)rounds, sizeof(double))) ==
		            NULL) {
			perror("tree-cost");
			return 1;
		}
		for (int w = 0; w < 2; w++) {
			start_spawner(&c[i], w, env[w]);
			ask(&c[i], w, n); /* warm the caches */
		}
	}
	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < NCASES; k++) {
			struct tcase *x = &c[(r + k) % NCASES];

			for (int j = 0; j < 2; j++) {
				int w = (r + k + j) % 2;

				x->us[w][r] = ask(x, w, n);
			}
			x->ratio[r] = x->us[1][r] / x->us[0][r];
		}
	}
	printf("| child | started with | without the library | with it | "
	       "median ratio |\n");
	printf("|---|---|---:|---:|---:|\n");
	for (int i = 0; i < NCASES; i++)
		printf("| %s | %s | %.0f µs | %.0f µs | %.2f× |\n", c[i].child,
		       strcmp(c[i].how, "fork") == 0 ? "fork + execve"
		                                     : "posix_spawn",
		       median(c[i].us[0], rounds), median(c[i].us[1], rounds),
		       median(c[i].ratio, rounds));
	for (int i = 0; i < NCASES; i++) /* the spawners end at EOF */
		for (int w = 0; w < 2; w++) {
			fclose(c[i].ask[w]);
			fclose(c[i].answer[w]);
		}
	while (wait(NULL) > 0)
		;
	return 0;
}
