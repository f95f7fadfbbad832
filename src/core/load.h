/*
 * A file opened, checked and read as the kernel's exec does, into memory
 * the caller lends.
 */
#ifndef LOAD_H
#define LOAD_H

#include <stddef.h>

#include "shebang.h"

/*
 * Memory lent for one resolution: what is read and kept of each file goes
 * at used, and what did not fit is counted in need, for a caller to lend
 * that much and try again.
 */
struct rs_arena {
	char *base;
	size_t size;
	size_t used;
	size_t need; /* set with RS_NOROOM: the size that would have done */
};

/* One file of an interpreter chain: its first bytes, maybe a #! line. */
struct rs_level {
	struct shebang sb;
	size_t words;  /* the strings its #! line puts in argv */
	char *buf;     /* its first bytes, in the arena */
	size_t len;    /* bytes read into buf */
	int long_line; /* its #! line does not end within BINPRM_BUF_SIZE */
};

/* rs_load()'s answer for a file that may be exec'd but not read here. */
#define RS_UNREAD (-1)
/* An answer for a caller that lent too little memory: arena.need says. */
#define RS_NOROOM (-2)

/*
 * Checks file, relative to dirfd, as the kernel would before exec'ing it,
 * and reads into the arena what the kernel reads of it (want bytes), and
 * the rest of a long #! line. A file that is not regular is refused before
 * it is opened, as the kernel's may_open() does, so that looking at a FIFO
 * or a device has no side effect; execute permission is then checked on
 * the descriptor opened, so that what is checked is what is read. Returns
 * 0, an errno, RS_UNREAD or RS_NOROOM. With lint set, a file is to be
 * read: even if it may not be exec'd, and one that cannot be read is a
 * failure.
 */
int rs_load(int dirfd, const char *file, struct rs_level *l, struct rs_arena *a,
            size_t want, int lint);

/*
 * The kernel's checks on a file about to be exec'd, relative to dirfd:
 * returns 0, or the errno its exec would fail with.
 */
int rs_check_exec(int dirfd, const char *file);

/* Takes n bytes of the arena, aligned for pointers; NULL, need set, if not. */
void *rs_take(struct rs_arena *a, size_t n);

#endif
