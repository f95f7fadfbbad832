/*
 * The PATH search as glibc's execvp(3) does it (posix/execvpe.c): an unset
 * PATH means /bin:/usr/bin, an empty element means the name as it is (so,
 * relative to the current directory), and the search goes on past a
 * candidate that does not exist or cannot be run, but stops at any other
 * error. Async-signal-safe: string functions on the caller's memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "load.h"
#include "path.h"

/* glibc's default when PATH is unset (confstr(_CS_PATH)). */
#define DEFAULT_PATH "/bin:/usr/bin"

int
rs_path_start(struct rs_path *s, const char *name, const char *path)
{
	size_t longest = 0;

	if (*name == '\0')
		return ENOENT;
	s->namelen = strlen(name);
	if (s->namelen > NAME_MAX)
		return ENAMETOOLONG;
	if (path == NULL)
		path = DEFAULT_PATH;
	s->next = path;
	s->name = name;
	/* glibc's buffer: an element of up to PATH_MAX - 2 bytes fits. */
	s->maxlen = strnlen(path, PATH_MAX - 1) + 1;
	for (const char *p = path; *p != '\0';) {
		size_t len = strcspn(p, ":");

		if (len < s->maxlen && len > longest)
			longest = len;
		p += len + (p[len] == ':');
	}
	s->room = longest + 1 + s->namelen + 1;
	return 0;
}

char *
rs_path_next(struct rs_path *s, char *buf)
{
	const char *p;

	while ((p = s->next) != NULL) {
		const char *end = p + strcspn(p, ":");
		size_t len = (size_t)(end - p);

		s->next = *end != '\0' ? end + 1 : NULL;
		if (len >= s->maxlen) {
			/*
			 * glibc skips an element too long for its buffer
			 * and goes on from the ':' after it, which then
			 * reads as an empty element.
			 */
			if (*end != '\0')
				s->next = end;
			continue;
		}
		memcpy(buf, p, len);
		if (len > 0)
			buf[len++] = '/';
		memcpy(buf + len, s->name, s->namelen + 1);
		return buf;
	}
	return NULL;
}

int
rs_path_goes_on(int err)
{
	switch (err) {
	case EACCES:
	case ENOENT:
	case ESTALE:
	case ENOTDIR:
	case ENODEV:
	case ETIMEDOUT:
		return 1;
	default:
		return 0;
	}
}

int
rs_path_find(const char *name, const char *path)
{
	struct rs_path s;

	if (strchr(name, '/') != NULL)
		return rs_check_exec(AT_FDCWD, name) == 0;
	if (rs_path_start(&s, name, path) != 0)
		return 0;
	{
		char buf[s.room];

		while (rs_path_next(&s, buf) != NULL)
			if (rs_check_exec(AT_FDCWD, buf) == 0)
				return 1;
	}
	return 0;
}
