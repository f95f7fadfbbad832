/*
 * argv — the tests' interpreter: prints every argument it receives, byte
 * for byte in an unambiguous escaped form, and the descriptors it holds, so
 * that a run through runscript can be compared with a direct run.
 *
 * Environment knobs (read, never printed):
 *   ARGV_EXIT=N     exit with status N instead of 0
 *   ARGV_SIGNAL=N   kill itself with signal N after printing
 *   ARGV_PID=1      also print its process id
 *   ARGV_ENV=NAME   also print the value of the environment variable NAME
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
print_escaped(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p > ' ' && *p < 0x7f && *p != '\\')
			putchar(*p);
		else
			printf("\\x%02x", *p);
	}
}

static void
print_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self;
	char seen[1024] = {0};

	if (d == NULL) {
		printf("fds: unknown\n");
		return;
	}
	self = dirfd(d);
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd != self && fd >= 0 && fd < 1024)
			seen[fd] = 1;
	}
	closedir(d);
	printf("fds:");
	for (int fd = 0; fd < 1024; fd++)
		if (seen[fd])
			printf(" %d", fd);
	putchar('\n');
}

int
main(int argc, char *argv[])
{
	const char *v;

	printf("argc: %d\n", argc);
	for (int i = 0; i < argc; i++) {
		printf("argv[%d]: ", i);
		print_escaped(argv[i]);
		putchar('\n');
	}
	print_fds();
	if ((v = getenv("ARGV_PID")) != NULL && strcmp(v, "1") == 0)
		printf("pid: %ld\n", (long)getpid());
	if ((v = getenv("ARGV_ENV")) != NULL) {
		const char *val = getenv(v);
		printf("env %s: ", v);
		if (val == NULL)
			printf("(unset)");
		else
			print_escaped(val);
		putchar('\n');
	}
	fflush(stdout);
	if ((v = getenv("ARGV_SIGNAL")) != NULL) {
		signal(atoi(v), SIG_DFL);
		raise(atoi(v));
	}
	if ((v = getenv("ARGV_EXIT")) != NULL)
		return atoi(v);
	return 0;
}
