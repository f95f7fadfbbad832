/*
 * The log of a tree: each line built whole on the stack and appended with
 * one write(2) to a file opened with O_APPEND, so that the lines of many
 * processes writing at once stay whole. Nothing here changes what the
 * program does: its errno is kept, and a file that cannot be opened or
 * written is passed over.
 *
 * Async-signal-safe and reentrant: open, read, write, close, getpid and
 * prctl, a line on the stack, no static data.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "log.h"

/* The longest line written; a longer one is cut short with "...". */
#define LOG_LINE 512

const char *
rs_log_of(char *const env[])
{
	static const char key[] = RS_LOG_ENV "=";

	for (; env != NULL && *env != NULL; env++)
		if (strncmp(*env, key, sizeof key - 1) == 0)
			return (*env)[sizeof key - 1] != '\0'
			               ? *env + sizeof key - 1
			               : NULL;
	return NULL;
}

char *
rs_decimal(char *buf, unsigned long long n)
{
	char tmp[21];
	size_t i = sizeof tmp;

	do
		tmp[--i] = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	memcpy(buf, tmp + i, sizeof tmp - i);
	buf[sizeof tmp - i] = '\0';
	return buf;
}

/* A line under way: its bytes, and whether it was cut short. */
struct line {
	char buf[LOG_LINE];
	size_t len;
	int cut;
};

/* Adds s, control bytes in caret notation (\n as ^J), so lines stay whole. */
static void
add(struct line *l, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		int control = c < 0x20 || c == 0x7f;

		/* Room is kept for "...\n" at the end. */
		if (l->len + 1 + control > LOG_LINE - 4) {
			l->cut = 1;
			return;
		}
		if (control) {
			l->buf[l->len++] = '^';
			c ^= 0x40;
		}
		l->buf[l->len++] = (char)c;
	}
}

/* The name of process pid, as /proc/PID/comm has it, into name[16]. */
static void
name_of(pid_t pid, char *name)
{
	char path[40] = "/proc/";
	ssize_t n = -1;
	int fd;

	rs_decimal(path + 6, (unsigned long long)pid);
	memcpy(path + strlen(path), "/comm", 6);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, name, 15);
		close(fd);
	}
	name[n > 0 ? n - (name[n - 1] == '\n') : 0] = '\0';
}

void
rs_log(const char *log, pid_t pid, const char *const piece[])
{
	struct line l = {{0}, 0, 0};
	char num[21], name[17] = "";
	int saved = errno, fd;

	if (log == NULL)
		return;
	if (pid == 0) {
		pid = getpid();
		prctl(PR_GET_NAME, name);
	} else
		name_of(pid, name);
	add(&l, "pid ");
	add(&l, rs_decimal(num, (unsigned long long)pid));
	add(&l, " (");
	add(&l, name);
	add(&l, "): ");
	for (size_t i = 0; piece[i] != NULL; i++)
		add(&l, piece[i]);
	if (l.cut) {
		memcpy(l.buf + l.len, "...", 3);
		l.len += 3;
	}
	l.buf[l.len++] = '\n';
	fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
	          0666);
	if (fd != -1) {
		(void)!write(fd, l.buf, l.len);
		close(fd);
	}
	errno = saved;
}
