/*
 * Diagnostics: the one place that writes to standard error, so that every
 * message has the same prefix and the user's bytes are escaped alike.
 * Texts shared by the run and --check are in hint.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "quote.h"

#define STR(x)  #x
#define XSTR(x) STR(x)

void
diag_put(struct diag *d, const char *text)
{
	if (!d->quiet)
		fputs(text, stderr);
}

/*
 * The first len bytes of s, with control bytes in caret notation (\r as
 * ^M), so that a name can neither forge a line nor reach the terminal.
 */
static void
put_escaped(struct diag *d, const char *s, size_t len)
{
	for (; len > 0 && *s != '\0' && !d->quiet; s++, len--) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			putc('^', stderr);
			putc(c ^ 0x40, stderr);
		} else
			putc(c, stderr);
	}
}

void
diag_name(struct diag *d, const char *name)
{
	put_escaped(d, name, (size_t)-1);
}

void
diag_word(struct diag *d, const char *word)
{
	if (!d->quiet)
		quote_word(stderr, word);
}

void
diag_end(struct diag *d)
{
	diag_put(d, "\n");
}

void
diag_start(struct diag *d, const char *file, enum diag_kind kind)
{
	static const char *const run[] = {"", "warning: ", "hint: ", ""};
	static const char *const check[] = {
	        "error: ", "warning: ", "note: ", "note: "};

	d->errors += kind == DIAG_ERROR;
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
	struct diag d = {0, 0, 0};

	diag_put(&d, "runscript: ");
	diag_put(&d, before);
	if (word != NULL) {
		diag_put(&d, "'");
		put_escaped(&d, word, len);
		diag_put(&d, "'");
	}
	diag_put(&d, after);
	diag_put(&d, "\nTry 'runscript --help' for more information.\n");
	return RS_EXIT_CANCELED;
}

int
diag_cancel(const char *what, const char *text, int err)
{
	struct diag d = {0, 0, 0};

	diag_say(&d, what, DIAG_ERROR, text, err != 0 ? strerror(err) : NULL);
	return RS_EXIT_CANCELED;
}

int
diag_setid(void)
{
	struct diag d = {0, 0, 0};

	diag_put(&d, "runscript: refusing to run with privileges that the "
	             "caller may lack (set-user-ID, set-group-ID or file "
	             "capabilities)\n");
	return RS_EXIT_CANCELED;
}

int
diag_write_error(int err)
{
	struct diag d = {0, 0, 0};

	diag_put(&d, "runscript: write error: ");
	diag_put(&d, strerror(err));
	diag_end(&d);
	return RS_EXIT_CANCELED;
}

int
diag_failure(struct diag *d, const struct rs_failure *f)
{
	const char *why = strerror(f->err);

	switch (f->fault) {
	case RS_FAULT_SCRIPT:
	case RS_FAULT_EXEC:
		if (f->fault == RS_FAULT_EXEC && f->err == ENOENT &&
		    hint_loader(d, f->file))
			break;
		diag_start(d, f->file, DIAG_ERROR);
		diag_put(d, why);
		if (f->err == ETXTBSY)
			diag_put(d, " (still busy after retrying for 2 s)");
		diag_end(d);
		if (f->err == EACCES)
			hint_access(d, f->file);
		break;
	case RS_FAULT_READ:
		diag_say(d, f->file, DIAG_ERROR, "cannot read the #! line",
		         why);
		break;
	case RS_FAULT_TOO_LONG:
		diag_say(d, f->file, DIAG_ERROR,
		         "#! line longer than " XSTR(SHEBANG_LINE_MAX) " bytes",
		         NULL);
		break;
	case RS_FAULT_INTERP:
		diag_start(d, f->file, DIAG_ERROR);
		diag_put(d, "bad interpreter '");
		diag_name(d, f->interp);
		diag_put(d, "': ");
		diag_put(d, why);
		diag_end(d);
		hint_interp(d, f->file, f->interp, f->err);
		break;
	case RS_FAULT_LOOP:
		diag_say(d, f->file, DIAG_ERROR,
		         "too many levels of nested interpreters", NULL);
		diag_say(
		        d, f->file, DIAG_HINT,
		        "the kernel runs at most " XSTR(
		                RS_MAX_SCRIPTS) " scripts in a chain; does one "
		                                "name itself as its interpreter?",
		        NULL);
		break;
	case RS_FAULT_SELF:
		diag_start(d, f->file, DIAG_ERROR);
		diag_put(d, "its #! line names '");
		diag_name(d, f->interp);
		diag_put(d, "', which is runscript itself: it would run the "
		            "script again, for ever");
		diag_end(d);
		diag_say(d, f->file, DIAG_HINT,
		         "run the script without runscript", NULL);
		break;
	case RS_FAULT_MISSING:
		diag_say(d, f->file, DIAG_ERROR, "command not found", NULL);
		hint_here(d, f->file);
		break;
	}
	return f->err == ENOENT ? RS_EXIT_NOT_FOUND : RS_EXIT_CANNOT_RUN;
}

int
diag_env_failure(struct diag *d, const struct rs_failure *f, const char *script,
                 const char *env, const char *name)
{
	size_t n = strlen(name);
	int status = RS_EXIT_NOT_FOUND;

	if (f->fault == RS_FAULT_MISSING) {
		diag_start(d, script, DIAG_ERROR);
		diag_name(d, env);
		diag_put(d, " ");
		diag_name(d, name);
		diag_put(d, ": command not found");
		diag_end(d);
	} else {
		status = diag_failure(d, f);
		diag_start(d, script, DIAG_NOTE);
		diag_put(d, "its #! line runs ");
		diag_name(d, name);
		diag_put(d, " through ");
		diag_name(d, env);
		diag_end(d);
	}
	/* --check reports the carriage return on its own. */
	if (n > 0 && name[n - 1] == '\r' && !d->check)
		hint_crlf(d, script, DIAG_HINT);
	return status;
}
