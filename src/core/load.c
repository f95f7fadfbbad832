/*
 * The kernel's open_exec() and kernel_read(), in user space: a file is
 * opened as exec would open it, checked as exec checks it (a regular
 * file, which the effective ids may execute, not on a noexec mount), and
 * its first bytes read, as much as the kernel reads and the rest of a long
 * #! line.
 *
 * Async-signal-safe and reentrant: only system calls (openat, fstat,
 * faccessat2, read, close, mmap) and the caller's memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "load.h"

/*
 * Whether the caller may exec file as the kernel's exec checks it: with
 * the effective ids and capabilities (faccessat2's AT_EACCESS), where
 * access(2) would take the real ones. Kernels before 5.8 lack faccessat2:
 * access(2) is the nearest there. A noexec mount answers EACCES.
 */
static int
may_exec(int dirfd, const char *file)
{
#ifdef SYS_faccessat2
	if (syscall(SYS_faccessat2, dirfd, file, X_OK, AT_EACCESS) == 0)
		return 0;
	if (errno != ENOSYS)
		return errno;
#endif
	return faccessat(dirfd, file, X_OK, 0) == 0 ? 0 : errno;
}

/* The checks of the kernel's open_exec(), on what st describes. */
static int
check_exec(int dirfd, const char *file, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return EACCES;
	return may_exec(dirfd, file);
}

int
rs_check_exec(int dirfd, const char *file)
{
	struct stat st;

	if (fstatat(dirfd, file, &st, 0) == -1)
		return errno;
	return check_exec(dirfd, file, &st);
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

/* The rest of a #! line that does not end within the kernel's buffer. */
static int
read_long_line(int fd, struct rs_level *l)
{
	void *m = mmap(NULL, SHEBANG_BUF_SIZE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return errno;
	memcpy(m, l->head, l->len);
	l->buf = m;
	l->mapped = SHEBANG_BUF_SIZE;
	return read_upto(fd, l, SHEBANG_LINE_MAX + 1);
}

int
rs_load(int dirfd, const char *file, struct rs_level *l, size_t want, int lint)
{
	struct stat st;
	int fd, err;

	l->buf = l->head;
	l->len = 0;
	/*
	 * The kernel takes an empty interpreter name as it is, and its
	 * lookup ends at the current directory, which cannot be exec'd.
	 */
	if (*file == '\0')
		file = ".";
	fd = openat(dirfd, file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		/* Unreadable, or no descriptor left: the kernel may still. */
		err = errno;
		if ((err != EACCES && err != EMFILE && err != ENFILE) || lint)
			return err;
		if (fstatat(dirfd, file, &st, 0) == -1)
			return errno;
		err = check_exec(dirfd, file, &st);
		return err != 0 ? err : RS_UNREAD;
	}
	if (fstat(fd, &st) == -1)
		err = errno;
	else if ((err = check_exec(dirfd, file, &st)) == EACCES && lint &&
	         S_ISREG(st.st_mode))
		err = 0;
	if (err == 0 && want > 0 && (err = read_upto(fd, l, want)) == 0 &&
	    shebang_needs_more(l->buf, l->len))
		err = read_long_line(fd, l);
	close(fd);
	return err;
}
