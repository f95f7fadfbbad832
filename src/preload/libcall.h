/* The library's core: one exec or spawn call served as runscript would. */
#ifndef LIBCALL_H
#define LIBCALL_H

#include "exec.h"

/* One call being served, and how it starts files. */
struct call {
	int dirfd; /* where names resolve: the child's directory */
	enum rs_enoexec enoexec; /* whether ENOEXEC brings /bin/sh */
	const struct rs_starter *start;
	int spawn;   /* a spawn: what is not a #! chain starts as it came */
	int started; /* set once anything was started */
};

/* The value of PATH in an environment, as getenv() reads it. */
const char *path_of(char *const env[]);

/*
 * Starts path, relative to the call's directory, as the kernel would, but
 * a script through its final interpreter. Returns 0 once a spawn runs, or
 * an errno. in_search is set within a PATH search; envs counts env's jobs
 * done so far.
 */
int run(struct call *c, const char *path, char *const argv[],
        char *const envp[], int in_search, int envs);

/*
 * execvp(3) and posix_spawnp(3): a name with no slash is searched in
 * path, PATH's value (NULL when unset); others are run().
 */
int run_or_search(struct call *c, const char *file, char *const argv[],
                  char *const envp[], const char *path, int envs);

#endif
