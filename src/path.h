/* The PATH search of glibc's execvp(3). */
#ifndef PATH_H
#define PATH_H

/* Tries to run one candidate; returns only on failure, with an errno. */
typedef int path_try_fn(const char *path, void *ctx);

/*
 * Calls try for each place execvp(3) would try to execute name, in order,
 * and returns the errno execvp(3) would end with.
 */
int path_search(const char *name, path_try_fn *try, void *ctx);

#endif
