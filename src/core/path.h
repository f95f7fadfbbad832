/*
 * The candidates of glibc's execvp(3) PATH search, one at a time, so that
 * the caller writes the search as a plain loop. Reentrant and
 * async-signal-safe: the state is the caller's.
 */
#ifndef PATH_H
#define PATH_H

#include <stddef.h>

struct rs_path {
	const char *next; /* the rest of PATH, or NULL once it is used up */
	const char *name;
	size_t namelen;
	size_t maxlen; /* an element this long or longer is skipped */
	size_t room;   /* the size of a buffer for the longest candidate */
};

/*
 * Starts a search for name through path, PATH's value (NULL when unset).
 * Returns 0, or the errno with which execvp(3) fails before any search.
 * Then s->room is the size of a buffer that holds every candidate.
 */
int rs_path_start(struct rs_path *s, const char *name, const char *path);

/*
 * Writes the next candidate into buf, of s->room bytes, and returns buf;
 * returns NULL when no candidate is left.
 */
char *rs_path_next(struct rs_path *s, char *buf);

/* Whether execvp(3) goes on to the next candidate after one fails so. */
int rs_path_goes_on(int err);

/*
 * Whether execvp(3) of name, searching path (PATH's value, or NULL), would
 * find a file that the kernel's checks let it exec.
 */
int rs_path_find(const char *name, const char *path);

#endif
