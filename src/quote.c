/*
 * Shell quoting for --dry-run, whose line must paste back into a shell as
 * the very same words and stay on one line: plain words go bare, others in
 * single quotes, and words with control bytes in $'...' (POSIX.1-2024).
 */
#include <string.h>

#include "quote.h"

static const char plain[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        "0123456789_@%+=:,./-";

static int
control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static void
dollar_quote(FILE *out, const char *s)
{
	fputs("$'", out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c == '\\' || c == '\'')
			fprintf(out, "\\%c", c);
		else if (control(c))
			fprintf(out, "\\%03o", c);
		else
			putc(c, out);
	}
	putc('\'', out);
}

void
quote_word(FILE *out, const char *s)
{
	const char *p;

	if (*s != '\0' && strspn(s, plain) == strlen(s)) {
		fputs(s, out);
		return;
	}
	for (p = s; *p != '\0'; p++)
		if (control((unsigned char)*p)) {
			dollar_quote(out, s);
			return;
		}
	putc('\'', out);
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			fputs("'\\''", out);
		else
			putc(*p, out);
	putc('\'', out);
}
