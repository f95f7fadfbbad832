/*
 * What --dry-run prints: the command a plan runs, on one line that pastes
 * back into a shell as the very same words: plain words go bare, others in
 * single quotes, and words with control bytes in $'...' (POSIX.1-2024).
 */
#include <errno.h>
#include <stdlib.h>
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

/* Whether a shell reads s, as a command's first word, as an assignment. */
static int
assignment(const char *s)
{
	size_t n =
	        strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                  "0123456789_");

	return n > 0 && (*s < '0' || *s > '9') && s[n] == '=';
}

/* quote_word(), with quotes even for a plain word when bare is not set. */
static void
quote(FILE *out, const char *s, int bare)
{
	const char *p;

	if (bare && *s != '\0' && strspn(s, plain) == strlen(s)) {
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

void
quote_word(FILE *out, const char *s)
{
	quote(out, s, 1);
}

int
print_plan(const char *file, char *const argv[], int preload)
{
	const char *value;

	if (preload && (value = getenv("LD_PRELOAD")) != NULL) {
		fputs("LD_PRELOAD=", stdout);
		quote_word(stdout, value);
		putchar(' ');
	}
	/*
	 * Pasted into a shell, a bare name would be searched on PATH, and
	 * NAME=... would be an assignment.
	 */
	if (strchr(file, '/') == NULL)
		fputs("./", stdout);
	quote(stdout, file, !assignment(file));
	for (size_t i = 1; argv[0] != NULL && argv[i] != NULL; i++) {
		putchar(' ');
		quote_word(stdout, argv[i]);
	}
	putchar('\n');
	if (fflush(stdout) == EOF || ferror(stdout))
		return errno != 0 ? errno : EIO;
	return 0;
}
