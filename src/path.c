/*
 * The PATH search as glibc's execvp(3) does it (posix/execvpe.c): an unset
 * PATH means /bin:/usr/bin, an empty element means the name as it is (so,
 * relative to the current directory), and the search goes on past a
 * candidate that does not exist or cannot be run, but stops at any other
 * error. A candidate that could not be run for want of permission makes
 * the whole search end with EACCES rather than ENOENT.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

/* glibc's default when PATH is unset (confstr(_CS_PATH)). */
#define DEFAULT_PATH "/bin:/usr/bin"

int
path_search(const char *name, path_try_fn *try, void *ctx)
{
	const char *path = getenv("PATH");
	size_t namelen = strlen(name), maxlen;
	int err = ENOENT, eacces = 0;
	const char *p, *end;
	char *buf;

	if (*name == '\0')
		return ENOENT;
	if (namelen > NAME_MAX)
		return ENAMETOOLONG;
	if (path == NULL)
		path = DEFAULT_PATH;
	maxlen = strnlen(path, PATH_MAX - 1) + 1;
	if ((buf = malloc(strlen(path) + namelen + 2)) == NULL)
		return ENOMEM;
	for (p = path;;) {
		size_t len;

		end = p + strcspn(p, ":");
		len = (size_t)(end - p);
		if (len >= maxlen) {
			/*
			 * glibc skips an element too long for its buffer
			 * and goes on from the ':' after it, which then
			 * reads as an empty element.
			 */
			if (*end == '\0')
				break;
			p = end;
			continue;
		}
		memcpy(buf, p, len);
		if (len > 0)
			buf[len++] = '/';
		memcpy(buf + len, name, namelen + 1);

		switch (err = try(buf, ctx)) {
		case EACCES:
			eacces = 1;
			break;
		case ENOENT:
		case ESTALE:
		case ENOTDIR:
		case ENODEV:
		case ETIMEDOUT:
			break;
		default:
			free(buf);
			return err;
		}
		if (*end == '\0')
			break;
		p = end + 1;
	}
	free(buf);
	return eacces ? EACCES : err;
}
