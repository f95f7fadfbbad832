/*
 * Reading an exec's path out of another process: process_vm_readv(2),
 * or /proc/PID/mem where that is refused, both of which need ptrace
 * access (the supervisor is an ancestor of every process of the tree,
 * which Yama's level 1 asks for). The path is then reached through
 * /proc/PID/root, /proc/PID/cwd or /proc/PID/fd/N, so that a process in
 * another root or directory is probed on its own file.
 */
/* process_vm_readv(2) */
#define _GNU_SOURCE // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "target.h"

/*
 * Reads up to size bytes at addr in pid into buf; a read that crosses into
 * an unmapped page stops there. Returns the bytes read, or -1.
 */
static ssize_t
read_memory(pid_t pid, unsigned long long addr, char *buf, size_t size)
{
	struct iovec local = {buf, size};
	struct iovec remote = {(void *)(uintptr_t)addr, size};
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	char mem[64];
	int fd;

	if (n > 0 || (n == -1 && errno == EFAULT))
		return n;
	/* Where process_vm_readv(2) is refused, /proc/PID/mem may not be. */
	snprintf(mem, sizeof mem, "/proc/%ld/mem", (long)pid);
	if ((fd = open(mem, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = pread(fd, buf, size, (off_t)addr);
	close(fd);
	return n;
}

/* Reads the NUL-terminated string at addr in pid into buf, PATH_MAX. */
static int
read_path(pid_t pid, unsigned long long addr, char *buf)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t got = 0;

	/*
	 * Page by page, so that a path near the end of a mapping is read
	 * whole without touching the unmapped page after it.
	 */
	while (got < PATH_MAX) {
		size_t chunk = page - (size_t)((addr + got) % page);
		ssize_t n;

		if (chunk > PATH_MAX - got)
			chunk = PATH_MAX - got;
		if ((n = read_memory(pid, addr + got, buf + got, chunk)) <= 0)
			return errno != 0 ? errno : EFAULT;
		if (memchr(buf + got, '\0', (size_t)n) != NULL)
			return 0;
		got += (size_t)n;
	}
	return ENAMETOOLONG;
}

int
target_read(struct target *t, pid_t pid, int execveat,
            const unsigned long long args[6])
{
	int dirfd = execveat ? (int)args[0] : AT_FDCWD;
	int flags = execveat ? (int)args[4] : 0;
	int err, n;

	t->pid = pid;
	errno = 0;
	if ((err = read_path(pid, execveat ? args[1] : args[0], t->path)) != 0)
		return err;
	if (t->path[0] == '/')
		n = snprintf(t->reach, sizeof t->reach, "/proc/%ld/root%s",
		             (long)pid, t->path);
	else if (t->path[0] == '\0' && (flags & AT_EMPTY_PATH) &&
	         dirfd != AT_FDCWD)
		n = snprintf(t->reach, sizeof t->reach, "/proc/%ld/fd/%d",
		             (long)pid, dirfd);
	else if (dirfd == AT_FDCWD)
		n = snprintf(t->reach, sizeof t->reach, "/proc/%ld/cwd/%s",
		             (long)pid, t->path);
	else
		n = snprintf(t->reach, sizeof t->reach, "/proc/%ld/fd/%d/%s",
		             (long)pid, dirfd, t->path);
	return n > 0 && (size_t)n < sizeof t->reach ? 0 : ENAMETOOLONG;
}

int
target_interp(pid_t pid, const char *interp, char *buf)
{
	int n = snprintf(buf, TARGET_MAX, "/proc/%ld/%s%s%s", (long)pid,
	                 interp[0] == '/' ? "root" : "cwd",
	                 interp[0] == '/' ? "" : "/", interp);

	return n > 0 && n < TARGET_MAX ? 0 : ENAMETOOLONG;
}
