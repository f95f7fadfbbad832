/*
 * Formatting: every line runscript writes, built whole and written once,
 * so that every message has the same prefix, the user's bytes are escaped
 * alike, and no line of ours is split between other writers' (as skalibs'
 * strerr builds its line before the one write). What the lines say about a
 * failure is in hint.c.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "runscript.h"

/* Room kept at the end of a line for LINE_CUT and the newline. */
#define LINE_RESERVE (sizeof LINE_CUT)

/* Writes out what l holds, all of it unless a write fails. */
static void
flush(struct line *l)
{
	size_t done = 0;

	while (done < l->len) {
		ssize_t n = write(l->fd, l->buf + done, l->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (l->err == 0)
				l->err = n < 0 ? errno : EIO;
			break;
		}
		done += (size_t)n;
	}
	l->len = 0;
}

/* Appends the n bytes at s, as many as fit unless the line spills. */
static void
add(struct line *l, const char *s, size_t n)
{
	while (n > 0 && !l->cut) {
		size_t room = sizeof l->buf - LINE_RESERVE - l->len;
		size_t k = n < room ? n : room;

		memcpy(l->buf + l->len, s, k);
		l->len += k;
		s += k;
		n -= k;
		if (n > 0 && l->spill)
			flush(l);
		else if (n > 0)
			l->cut = 1;
	}
}

static void
add_byte(struct line *l, char c)
{
	add(l, &c, 1);
}

void
line_start(struct line *l, int fd, int spill)
{
	l->fd = fd;
	l->spill = spill;
	l->cut = 0;
	l->err = 0;
	l->len = 0;
}

void
line_put(struct line *l, const char *text)
{
	add(l, text, strlen(text));
}

static int
control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/*
 * Control bytes in caret notation (\r as ^M), so that a name can neither
 * forge a line nor reach the terminal; a name longer than LINE_NAME_MAX
 * escaped bytes is cut there, so that the rest of the line still fits.
 */
void
line_name(struct line *l, const char *name, size_t len)
{
	size_t used = 0;

	for (; len > 0 && *name != '\0'; name++, len--) {
		unsigned char c = (unsigned char)*name;

		if ((used += 1 + control(c)) > LINE_NAME_MAX) {
			line_put(l, LINE_CUT);
			return;
		}
		if (control(c)) {
			add_byte(l, '^');
			add_byte(l, (char)(c ^ 0x40));
		} else
			add_byte(l, (char)c);
	}
}

static const char plain[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        "0123456789_@%+=:,./-";

/* word in $'...' (POSIX.1-2024), for a word with control bytes. */
static void
dollar_quote(struct line *l, const char *s)
{
	line_put(l, "$'");
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char octal[] = {'\\', (char)('0' + (c >> 6)),
		                (char)('0' + ((c >> 3) & 7)),
		                (char)('0' + (c & 7)), '\0'};

		if (c == '\n')
			line_put(l, "\\n");
		else if (c == '\t')
			line_put(l, "\\t");
		else if (c == '\r')
			line_put(l, "\\r");
		else if (c == '\\' || c == '\'') {
			add_byte(l, '\\');
			add_byte(l, (char)c);
		} else if (control(c))
			line_put(l, octal);
		else
			add_byte(l, (char)c);
	}
	add_byte(l, '\'');
}

void
line_word(struct line *l, const char *word, int bare)
{
	const char *p;

	if (bare && *word != '\0' && strspn(word, plain) == strlen(word)) {
		line_put(l, word);
		return;
	}
	for (p = word; *p != '\0'; p++)
		if (control((unsigned char)*p)) {
			dollar_quote(l, word);
			return;
		}
	add_byte(l, '\'');
	for (p = word; *p != '\0'; p++)
		if (*p == '\'')
			line_put(l, "'\\''");
		else
			add_byte(l, *p);
	add_byte(l, '\'');
}

int
line_end(struct line *l)
{
	/* LINE_RESERVE keeps room for both. */
	if (l->cut) {
		memcpy(l->buf + l->len, LINE_CUT, sizeof LINE_CUT - 1);
		l->len += sizeof LINE_CUT - 1;
	}
	l->buf[l->len++] = '\n';
	flush(l);
	return l->err;
}

void
diag_init(struct diag *d, int fd, int check, int quiet)
{
	d->check = check;
	d->quiet = quiet;
	d->demote = 0;
	d->errors = 0;
	d->err = 0;
	line_start(&d->line, fd, 0);
}

void
diag_put(struct diag *d, const char *text)
{
	if (!d->quiet)
		line_put(&d->line, text);
}

void
diag_name(struct diag *d, const char *name)
{
	if (!d->quiet)
		line_name(&d->line, name, (size_t)-1);
}

void
diag_word(struct diag *d, const char *word)
{
	if (!d->quiet)
		line_word(&d->line, word, 1);
}

void
diag_end(struct diag *d)
{
	if (!d->quiet && line_end(&d->line) != 0 && d->err == 0)
		d->err = d->line.err;
}

void
diag_start(struct diag *d, const char *file, enum diag_kind kind)
{
	static const char *const run[] = {"", "warning: ", "hint: ", ""};
	static const char *const check[] = {
	        "error: ", "warning: ", "note: ", "note: "};

	if (kind == DIAG_ERROR && d->demote)
		kind = DIAG_WARNING;
	d->errors += kind == DIAG_ERROR;
	line_start(&d->line, d->line.fd, 0);
	if (!d->check)
		diag_put(d, "runscript: ");
	diag_name(d, *file != '\0' ? file : "''");
	diag_put(d, d->check ? ":1: " : ": ");
	diag_put(d, (d->check ? check : run)[kind]);
}

void
diag_say(struct diag *d, const char *file, enum diag_kind kind,
         const char *text, const char *detail)
{
	diag_start(d, file, kind);
	diag_put(d, text);
	if (detail != NULL) {
		diag_put(d, ": ");
		diag_put(d, detail);
	}
	diag_end(d);
}

int
diag_usage(const char *before, const char *word, size_t len, const char *after)
{
	struct line l;

	line_start(&l, STDERR_FILENO, 0);
	line_put(&l, "runscript: ");
	line_put(&l, before);
	if (word != NULL) {
		line_put(&l, "'");
		line_name(&l, word, len);
		line_put(&l, "'");
	}
	line_put(&l, after);
	line_end(&l);
	line_start(&l, STDERR_FILENO, 0);
	line_put(&l, "Try 'runscript --help' for more information.");
	line_end(&l);
	return RS_EXIT_CANCELED;
}

int
diag_cancel(const char *what, const char *text, int err)
{
	struct diag d;

	diag_init(&d, STDERR_FILENO, 0, 0);
	diag_say(&d, what, DIAG_ERROR, text, err != 0 ? strerror(err) : NULL);
	return RS_EXIT_CANCELED;
}

int
diag_setid(void)
{
	struct line l;

	line_start(&l, STDERR_FILENO, 0);
	line_put(&l, "runscript: refusing to run with privileges that the "
	             "caller may lack (set-user-ID, set-group-ID or file "
	             "capabilities)");
	line_end(&l);
	return RS_EXIT_CANCELED;
}

int
diag_write_error(int err)
{
	struct line l;

	line_start(&l, STDERR_FILENO, 0);
	line_put(&l, "runscript: write error: ");
	line_put(&l, strerror(err));
	line_end(&l);
	return RS_EXIT_CANCELED;
}
