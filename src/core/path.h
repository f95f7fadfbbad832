/*
 * The candidates of glibc's execvp(3) PATH search, one at a time, so that
 * the caller writes the search as a plain loop. Reentrant and
 * async-signal-safe: the state is the caller's.
 */
#ifndef PATH_H
#define PATH_H

#include <limits.h>
#include <stddef.h>

/* glibc's bound on a candidate: an element under PATH_MAX, '/', a name. */
#define RS_CANDIDATE_MAX (PATH_MAX + NAME_MAX + 1)

struct rs_path {
	const char *next; /* the rest of PATH, or NULL once it is used up */
	const char *name;
	size_t namelen;
	size_t maxlen; /* an element this long or longer is skipped */
};

/*
 * Starts a search for name through path, PATH's value (NULL when unset).
 * Returns 0, or the errno with which execvp(3) fails before any search.
 */
int rs_path_start(struct rs_path *s, const char *name, const char *path);

/*
 * Writes the next candidate into buf, which has room for RS_CANDIDATE_MAX
 * bytes, and returns buf; returns NULL when no candidate is left.
 */
char *rs_path_next(struct rs_path *s, char *buf);

/*
 * Whether execvp(3) of name, searching path (PATH's value, or NULL), would
 * find a file it may execute.
 */
int rs_path_has(const char *name, const char *path);

/* Whether execvp(3) goes on to the next candidate after one fails so. */
int rs_path_goes_on(int err);

#endif
