/*
 * The log of a tree, as the supervisor writes it. Each line is built in
 * full and written with one write(2) to a descriptor opened with
 * O_APPEND, so that lines from many writers never interleave.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "log.h"

int
log_name(const char *file)
{
	char cwd[PATH_MAX], *value = NULL;
	int err = 0;

	if (*file == '\0')
		return diag_usage("option ", "--log", 5, " needs a FILE");
	if (*file == '/')
		value = strdup(file);
	else if (getcwd(cwd, sizeof cwd) != NULL &&
	         (value = malloc(strlen(cwd) + 1 + strlen(file) + 1)) != NULL)
		sprintf(value, "%s/%s", cwd, file);
	if (value == NULL || setenv(LOG_ENV, value, 1) != 0)
		err = errno;
	free(value);
	return err == 0 ? 0 : diag_cancel(file, "cannot name the log", err);
}

int
log_open(void)
{
	const char *file = getenv(LOG_ENV);

	if (file == NULL || *file == '\0')
		return -1;
	return open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
	            0666);
}

/* Appends s to the line at *end, escaped, leaving room for the rest. */
static char *
put_escaped(char *end, const char *limit, const char *s)
{
	for (; *s != '\0' && end + 2 < limit; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			*end++ = '^';
			*end++ = (char)(c ^ 0x40);
		} else
			*end++ = (char)c;
	}
	return end;
}

void
log_held(int fd, long pid, const char *file, unsigned long ms)
{
	char line[2 * PATH_MAX + 96], *end = line;
	const char *limit;
	int n;

	if (fd == -1)
		return;
	limit = line + sizeof line - 64;
	n = snprintf(line, sizeof line, "pid %ld: ", pid);
	end += n;
	end = put_escaped(end, limit, file);
	n = snprintf(end, (size_t)(line + sizeof line - end),
	             " was busy: held the exec for %lu ms\n", ms);
	end += n;
	if (write(fd, line, (size_t)(end - line)) == -1)
		errno = 0; /* The log never changes what runs. */
}
