/*
 * The kernel's open_exec() and kernel_read(), in user space: a file is
 * checked as exec checks it (a regular file, which the effective ids may
 * execute, not on a noexec mount) and its first bytes read, as much as the
 * kernel reads and the rest of a long #! line.
 *
 * Async-signal-safe and reentrant: only system calls (fstatat, openat,
 * fstat, faccessat2, read, close) and the caller's memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "load.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000 /* Linux's; glibc names it for _GNU_SOURCE. */
#endif

/*
 * Whether the caller may exec what fd (with AT_EMPTY_PATH) or file names,
 * as the kernel's exec checks it: with the effective ids and capabilities
 * (faccessat2's AT_EACCESS), where access(2) would take the real ones.
 * Kernels before 5.8 lack faccessat2: access(2) by name is the nearest
 * there. A noexec mount answers EACCES.
 */
static int
may_exec(int dirfd, const char *file, int fd)
{
#ifdef SYS_faccessat2
	long r = fd != -1 ? syscall(SYS_faccessat2, fd, "", X_OK,
	                            AT_EACCESS | AT_EMPTY_PATH)
	                  : syscall(SYS_faccessat2, dirfd, file, X_OK,
	                            AT_EACCESS);

	if (r == 0)
		return 0;
	if (errno != ENOSYS)
		return errno;
#else
	(void)fd;
#endif
	return faccessat(dirfd, file, X_OK, 0) == 0 ? 0 : errno;
}

int
rs_check_exec(int dirfd, const char *file)
{
	struct stat st;

	if (fstatat(dirfd, file, &st, 0) == -1)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	return may_exec(dirfd, file, -1);
}

void *
rs_take(struct rs_arena *a, size_t n)
{
	uintptr_t at = (uintptr_t)(a->base + a->used);
	size_t pad = (size_t)(-at & (sizeof(void *) - 1));

	if (a->size - a->used < pad + n) {
		a->need = a->used + pad + n;
		return NULL;
	}
	a->used += pad;
	at = (uintptr_t)(a->base + a->used);
	a->used += n;
	return (void *)at;
}

/*
 * One read, as the kernel's kernel_read(): from a regular file it gives
 * all there is, so a short count means the end of the file.
 */
static int
read_upto(int fd, struct rs_level *l, size_t want)
{
	ssize_t n = read(fd, l->buf + l->len, want - l->len);

	if (n == -1)
		return errno;
	l->len += (size_t)n;
	return 0;
}

/*
 * The first bytes of fd into the arena, and the rest of a #! line that
 * does not end within the kernel's buffer: at most SHEBANG_LINE_MAX + 1
 * bytes, and two more for the parser's NULs.
 */
static int
read_head(int fd, const struct stat *st, struct rs_level *l, struct rs_arena *a,
          size_t want)
{
	size_t room = a->size - a->used, line;
	int err;

	if (room < want) {
		a->need = a->used + want;
		return RS_NOROOM;
	}
	l->buf = a->base + a->used;
	if ((err = read_upto(fd, l, want)) != 0 ||
	    !shebang_needs_more(l->buf, l->len))
		return err;
	line = (size_t)st->st_size < SHEBANG_LINE_MAX + 1
	               ? (size_t)st->st_size
	               : SHEBANG_LINE_MAX + 1;
	if (line < l->len)
		line = l->len;
	if (room < line + 2) {
		a->need = a->used + line + 2;
		return RS_NOROOM;
	}
	l->long_line = 1;
	return read_upto(fd, l, line);
}

/* Whether a and b are the same file. */
static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int
rs_load(int dirfd, const char *file, struct rs_level *l, struct rs_arena *a,
        size_t want, int lint)
{
	struct stat st, opened;
	int fd, err;

	l->buf = a->base + a->used;
	l->len = 0;
	l->long_line = 0;
	/*
	 * The kernel takes an empty interpreter name as it is, and its
	 * lookup ends at the current directory, which cannot be exec'd.
	 */
	if (*file == '\0')
		file = ".";
	if (fstatat(dirfd, file, &st, 0) == -1)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	fd = openat(dirfd, file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		/* Unreadable, or no descriptor left: the kernel may still. */
		err = errno;
		if ((err != EACCES && err != EMFILE && err != ENFILE) || lint)
			return err;
		err = may_exec(dirfd, file, -1);
		return err != 0 ? err : RS_UNREAD;
	}
	/* Replaced since it was looked at: the kernel is to judge it. */
	if (fstat(fd, &opened) == -1 || !same_file(&st, &opened) ||
	    !S_ISREG(opened.st_mode))
		err = lint ? EAGAIN : RS_UNREAD;
	else if ((err = may_exec(dirfd, file, fd)) == EACCES && lint)
		err = 0;
	if (err == 0 && want > 0)
		err = read_head(fd, &opened, l, a, want);
	close(fd);
	return err;
}
