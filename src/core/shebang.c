/*
 * The #! line, byte for byte as Linux's load_script() (fs/binfmt_script.c)
 * reads it from the first BINPRM_BUF_SIZE bytes of a file, under the
 * kernel's own names, so that the two can be read side by side. Only a line
 * that does not end within those bytes is treated differently: it is read
 * in full, where the kernel would truncate it or refuse it.
 *
 * Async-signal-safe: no state, no allocation, only the caller's buffer.
 */
#include <string.h>

#include "shebang.h"

/* The kernel's only blanks: \r, \v and \f are ordinary bytes. */
static int
spacetab(char c)
{
	return c == ' ' || c == '\t';
}

static char *
next_non_spacetab(char *first, const char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

static char *
next_terminator(char *first, const char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || *first == '\0')
			return first;
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
load_script(char *buf, size_t n, struct shebang *sb)
{
	const char *buf_end = buf + n - 1;
	char *i_end, *i_name, *i_sep, *i_arg = NULL;

	i_end = memchr(buf, '\n', strnlen(buf, n));
	if (i_end == NULL) {
		i_end = next_non_spacetab(buf + 2, buf_end);
		if (i_end == NULL)
			return SHEBANG_ENOEXEC; /* Entire buf is spaces/tabs */
		/* No later blank or NUL: the interpreter may be cut short. */
		if (next_terminator(i_end, buf_end) == NULL)
			return SHEBANG_ENOEXEC;
		i_end = buf + n - 1;
	}
	while (spacetab(i_end[-1]))
		i_end--;
	i_name = next_non_spacetab(buf + 2, i_end);
	if (i_name == NULL || i_name == i_end)
		return SHEBANG_ENOEXEC; /* No interpreter name found */
	i_sep = next_terminator(i_name, i_end);
	if (i_sep != NULL && *i_sep != '\0')
		i_arg = next_non_spacetab(i_sep, i_end);
	*i_end = '\0';
	if (i_arg != NULL)
		*i_sep = '\0';
	sb->interp = i_name;
	sb->arg = i_arg;
	sb->end = i_end;
	return SHEBANG_OK;
}

int
shebang_needs_more(const char *buf, size_t len)
{
	return len == BINPRM_BUF_SIZE && buf[0] == '#' && buf[1] == '!' &&
	       !line_ends(buf, len);
}

enum shebang_result
shebang_parse(char *buf, size_t len, struct shebang *sb)
{
	if (len < 2 || buf[0] != '#' || buf[1] != '!')
		return SHEBANG_NONE;
	if (len < BINPRM_BUF_SIZE || line_ends(buf, BINPRM_BUF_SIZE)) {
		/* The kernel's view: its buffer, zero-padded past the file. */
		if (len < BINPRM_BUF_SIZE)
			memset(buf + len, 0, BINPRM_BUF_SIZE - len);
		return load_script(buf, BINPRM_BUF_SIZE, sb);
	}
	/*
	 * A longer line: parsed by the same rules in a buffer that ends two
	 * NULs past it, as a short file's does, so trailing blanks are kept
	 * alike.
	 */
	if (!line_ends(buf, len) && len > SHEBANG_LINE_MAX)
		return SHEBANG_TOO_LONG;
	buf[len] = buf[len + 1] = '\0';
	return load_script(buf, len + 2, sb);
}

char *
shebang_field(char *p)
{
	while (spacetab(*p))
		p++;
	return p;
}

size_t
shebang_split(char *arg)
{
	size_t n = 0;

	for (char *p = shebang_field(arg); *p != '\0'; p = shebang_field(p)) {
		n++;
		while (*p != '\0' && !spacetab(*p))
			p++;
		if (*p == '\0')
			break;
		*p++ = '\0';
	}
	return n;
}
