/* A file opened, checked and read as the kernel's exec does. */
#ifndef LOAD_H
#define LOAD_H

#include <stddef.h>

#include "shebang.h"

/* One file of an interpreter chain: its first bytes, maybe a #! line. */
struct rs_level {
	struct shebang sb;
	size_t words;  /* the strings its #! line puts in argv */
	char *buf;     /* head, or a mapping for a #! line longer than head */
	size_t len;    /* bytes read into buf */
	size_t mapped; /* the size of buf's mapping, or 0 */
	char head[BINPRM_BUF_SIZE];
};

/* rs_load()'s answer for a file that may be exec'd but not read here. */
#define RS_UNREAD (-1)

/*
 * Checks file, relative to dirfd, as the kernel would before exec'ing it,
 * and reads into l what the kernel reads of it (want bytes), and the rest
 * of a long #! line, into a mapping that rs_plan_release() gives back. It
 * is opened first and then checked, so that what is checked is what is
 * read, and opened without waiting, as a FIFO would have it wait for a
 * writer. Returns 0, an errno, or RS_UNREAD. With lint set, a file is to
 * be read: even if it may not be exec'd, and one that cannot be read is a
 * failure.
 */
int rs_load(int dirfd, const char *file, struct rs_level *l, size_t want,
            int lint);

/*
 * The kernel's checks on a file about to be exec'd, relative to dirfd:
 * returns 0, or the errno its exec would fail with.
 */
int rs_check_exec(int dirfd, const char *file);

#endif
