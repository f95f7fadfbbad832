/*
 * spawn-threads — many threads run scripts at once through the preload
 * library's code, for make check-sanitize to watch under ASan/UBSan and
 * under valgrind's helgrind. It is linked with src/preload/preload.c
 * itself, whose posix_spawnp and execv then take the place of libc's in
 * this program.
 *
 * usage: spawn-threads THREADS ROUNDS
 *
 * In a scratch directory put first on PATH: "seven", a #!/bin/sh script
 * that exits 7; "chain", a script whose interpreter is "seven"; "plain",
 * a file without #! (posix_spawnp answers ENOEXEC). Each thread, each
 * round, spawns all three and a name found nowhere, and forks a child that
 * execv's "chain"; every outcome must be the expected one. Exits 0 when
 * all were, 1 otherwise.
 *
 * Under valgrind, whose clone() cannot share memory as glibc's posix_spawn
 * asks, an exec that fails in glibc's child is seen only as its exit
 * status 127; SPAWN_THREADS_VALGRIND=1 expects that for "plain" and the
 * name found nowhere, both of which the library leaves to glibc.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/spawn-threads-XXXXXX";
static long rounds;
static int valgrind;

static void
die(const char *what)
{
	perror(what);
	exit(2);
}

static void
put(const char *name, const char *text)
{
	char path[sizeof dir + 16];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) == EOF || chmod(path, 0755) == -1)
		die(path);
}

/* The exit status of child pid, or -1 if it did not exit. */
static int
status_of(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Whether posix_spawnp(name) returns err and, when 0, the child exits with
 * status.
 */
static int
spawn_gives(const char *name, int err, int status)
{
	char *argv[] = {(char *)name, "arg", NULL};
	pid_t pid;
	int got = posix_spawnp(&pid, name, NULL, NULL, argv, environ);

	if (got != err) {
		fprintf(stderr, "posix_spawnp %s: %s, not %s\n", name,
		        strerror(got), strerror(err));
		return 0;
	}
	if (got == 0 && status_of(pid) != status) {
		fprintf(stderr, "posix_spawnp %s: child did not exit %d\n",
		        name, status);
		return 0;
	}
	return 1;
}

/* Whether a forked child's execv() of chain runs it (exit 7). */
static int
fork_execv_gives_7(void)
{
	char path[sizeof dir + 16];
	pid_t pid;

	snprintf(path, sizeof path, "%s/chain", dir);
	if ((pid = fork()) == -1)
		return 0;
	if (pid == 0) {
		char *argv[] = {path, NULL};

		execv(path, argv);
		_exit(99);
	}
	if (status_of(pid) != 7) {
		fprintf(stderr, "fork+execv chain: child did not exit 7\n");
		return 0;
	}
	return 1;
}

static void *
worker(void *arg)
{
	long ok = 1;

	(void)arg;
	for (long i = 0; i < rounds && ok; i++)
		ok = spawn_gives("seven", 0, 7) && spawn_gives("chain", 0, 7) &&
		     (valgrind ? spawn_gives("plain", 0, 127)
		               : spawn_gives("plain", ENOEXEC, 0)) &&
		     (valgrind ? spawn_gives("nowhere-to-be-found", 0, 127)
		               : spawn_gives("nowhere-to-be-found", ENOENT,
		                             0)) &&
		     fork_execv_gives_7();
	return (void *)ok;
}

int
main(int argc, char *argv[])
{
	char path[sizeof dir + 64];
	pthread_t *t;
	long n, failed = 0;

	if (argc != 3 || (n = atol(argv[1])) < 1 ||
	    (rounds = atol(argv[2])) < 1) {
		fputs("usage: spawn-threads THREADS ROUNDS\n", stderr);
		return 2;
	}
	valgrind = getenv("SPAWN_THREADS_VALGRIND") != NULL;
	if (mkdtemp(dir) == NULL)
		die("mkdtemp");
	put("seven", "#!/bin/sh\nexit 7\n");
	snprintf(path, sizeof path, "#!%s/seven\n", dir);
	put("chain", path);
	put("plain", "exit 7\n");
	snprintf(path, sizeof path, "%s:%s", dir, getenv("PATH"));
	if (setenv("PATH", path, 1) == -1)
		die("setenv");
	if ((t = calloc((size_t)n, sizeof *t)) == NULL)
		die("calloc");
	for (long i = 0; i < n; i++)
		if ((errno = pthread_create(&t[i], NULL, worker, NULL)) != 0)
			die("pthread_create");
	for (long i = 0; i < n; i++) {
		void *ok;

		pthread_join(t[i], &ok);
		failed += ok == NULL;
	}
	free(t);
	for (const char *const *f =
	             (const char *const[]){"seven", "chain", "plain", NULL};
	     *f != NULL; f++) {
		snprintf(path, sizeof path, "%s/%s", dir, *f);
		unlink(path);
	}
	rmdir(dir);
	printf("%ld threads x %ld rounds: %ld failed\n", n, rounds, failed);
	return failed != 0;
}
