/*
 * The #! line, byte for byte as Linux's load_script() (fs/binfmt_script.c)
 * reads it from the first SHEBANG_KERNEL_BUF bytes of a file. Only a line
 * that does not end within those bytes is treated differently: it is read
 * in full, where the kernel would truncate it or refuse it.
 */
#include <string.h>

#include "shebang.h"

static int
blank(char c)
{
	/* The kernel's only blanks: \r, \v and \f are ordinary bytes. */
	return c == ' ' || c == '\t';
}

/* The first byte in [p, last] that is not blank, or NULL. */
static char *
skip_blanks(char *p, const char *last)
{
	for (; p <= last; p++)
		if (!blank(*p))
			return p;
	return NULL;
}

/* The first blank or NUL in [p, last], or NULL. */
static char *
find_end(char *p, const char *last)
{
	for (; p <= last; p++)
		if (blank(*p) || *p == '\0')
			return p;
	return NULL;
}

/* Whether the line ends, at a newline or a NUL, within buf[0, len). */
static int
line_ends(const char *buf, size_t len)
{
	return memchr(buf, '\n', len) != NULL || memchr(buf, '\0', len) != NULL;
}

/*
 * load_script()'s parse of a buffer of n bytes. The kernel looks for the
 * newline with strnchr(), which stops at a NUL: a NUL before the newline
 * sends it down the no-newline path, where trailing blanks are kept.
 */
static enum shebang_result
parse(char *buf, size_t n, struct shebang *sb)
{
	char *last = buf + n - 1;
	char *end, *name, *sep, *arg = NULL;
	size_t len = strnlen(buf, n);

	end = memchr(buf, '\n', len);
	if (end == NULL) {
		end = skip_blanks(buf + 2, last);
		if (end == NULL || find_end(end, last) == NULL)
			return SHEBANG_ENOEXEC; /* a truncated interpreter */
		end = last;
	}
	while (blank(end[-1]))
		end--;
	name = skip_blanks(buf + 2, end);
	if (name == NULL || name == end)
		return SHEBANG_ENOEXEC; /* no interpreter named */
	sep = find_end(name, end);
	if (sep != NULL && *sep != '\0')
		arg = skip_blanks(sep, end);
	*end = '\0';
	if (arg != NULL)
		*sep = '\0';
	sb->interp = name;
	sb->arg = arg;
	return SHEBANG_OK;
}

int
shebang_needs_more(const char *buf, size_t len)
{
	return len == SHEBANG_KERNEL_BUF && buf[0] == '#' && buf[1] == '!' &&
	       !line_ends(buf, len);
}

enum shebang_result
shebang_parse(char *buf, size_t len, struct shebang *sb)
{
	if (len < 2 || buf[0] != '#' || buf[1] != '!')
		return SHEBANG_NONE;
	if (len < SHEBANG_KERNEL_BUF || line_ends(buf, SHEBANG_KERNEL_BUF)) {
		/* The kernel's view: its buffer, zero-padded past the file. */
		if (len < SHEBANG_KERNEL_BUF)
			memset(buf + len, 0, SHEBANG_KERNEL_BUF - len);
		return parse(buf, SHEBANG_KERNEL_BUF, sb);
	}
	/*
	 * A longer line: parsed by the same rules in a buffer that ends two
	 * NULs past it, as a short file's does, so trailing blanks are kept
	 * alike.
	 */
	if (!line_ends(buf, len) && len > SHEBANG_LINE_MAX)
		return SHEBANG_TOO_LONG;
	buf[len] = buf[len + 1] = '\0';
	return parse(buf, len + 2, sb);
}

size_t
shebang_split(char *arg, char **fields)
{
	size_t n = 0;

	for (;;) {
		while (blank(*arg))
			arg++;
		if (*arg == '\0')
			return n;
		if (fields != NULL)
			fields[n] = arg;
		n++;
		while (*arg != '\0' && !blank(*arg))
			arg++;
		if (*arg == '\0')
			return n;
		if (fields != NULL)
			*arg = '\0';
		arg++;
	}
}
