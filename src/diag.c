/*
 * Diagnostics: the one place that writes to standard error, so that every
 * message has the same prefix and the user's bytes are escaped alike.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "binfmt.h"
#include "diag.h"
#include "quote.h"

#ifndef ST_NOEXEC
#define ST_NOEXEC 8 /* Linux's flag; glibc names it only for _GNU_SOURCE. */
#endif

#define STR(x)  #x
#define XSTR(x) STR(x)

static void
put(const char *s)
{
	fputs(s, stderr);
}

/*
 * The first len bytes of s, with control bytes in caret notation (\r as
 * ^M), so that a name can neither forge a line nor reach the terminal.
 */
static void
put_escaped(const char *s, size_t len)
{
	for (; len > 0 && *s != '\0'; s++, len--) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			putc('^', stderr);
			putc(c ^ 0x40, stderr);
		} else
			putc(c, stderr);
	}
}

/* Starts a message about file: "runscript: FILE: ". */
static void
about(const char *file)
{
	put("runscript: ");
	put_escaped(*file != '\0' ? file : "''", (size_t)-1);
	put(": ");
}

/* A whole line about file: "runscript: FILE: TEXT[: DETAIL]". */
static void
say(const char *file, const char *text, const char *detail)
{
	about(file);
	put(text);
	if (detail != NULL) {
		put(": ");
		put(detail);
	}
	putc('\n', stderr);
}

/* A hint naming a command to type: "runscript: FILE: hint: TEXT 'FILE'". */
static void
hint_command(const char *file, const char *text)
{
	about(file);
	put("hint: ");
	put(text);
	putc(' ', stderr);
	quote_word(stderr, file);
	putc('\n', stderr);
}

/* Why the kernel would refuse to exec file with EACCES, when we can tell. */
static void
hint_access(const char *file)
{
	struct stat st;
	struct statvfs vfs;

	if (stat(file, &st) == -1)
		return;
	if (S_ISDIR(st.st_mode))
		say(file, "hint: it is a directory", NULL);
	else if (!S_ISREG(st.st_mode))
		say(file, "hint: it is not a regular file", NULL);
	else if (statvfs(file, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		say(file, "hint: its file system is mounted noexec", NULL);
	else if ((st.st_mode & 0111) == 0)
		hint_command(file,
		             "it is not executable; make it so with: chmod +x");
}

static const char crlf_hint[] =
        "the #! line ends in a carriage return (DOS line endings); convert "
        "the file with: sed -i 's/\\r$//'";

/* The hints for an interpreter that cannot be run. */
static void
hint_interp(const char *file, const char *interp, int err)
{
	size_t n = strlen(interp);

	if (n == 0)
		say(file, "hint: the #! line names no interpreter", NULL);
	else if (interp[n - 1] == '\r')
		hint_command(file, crlf_hint);
	else if (err == ENOENT && strchr(interp, '/') == NULL) {
		about(file);
		put("hint: the kernel does not search PATH for '");
		put_escaped(interp, (size_t)-1);
		put("': write its absolute path, or #!/usr/bin/env ");
		put_escaped(interp, (size_t)-1);
		putc('\n', stderr);
	} else if (err == EACCES)
		hint_access(interp);
}

/* The hint to write ./name for a name that PATH lacks but "." has. */
static void
hint_here(const char *name)
{
	if (access(name, F_OK) != 0)
		return;
	about(name);
	put("hint: to run the file in the current directory, write ./");
	quote_word(stderr, name);
	putc('\n', stderr);
}

/* A failure to exec file, for want of the ELF interpreter it names. */
static int
missing_loader(const char *file)
{
	char loader[PATH_MAX];

	if (elf_interp(file, loader, sizeof loader) == NULL ||
	    access(loader, F_OK) == 0)
		return 0;
	about(file);
	put("ELF interpreter '");
	put_escaped(loader, (size_t)-1);
	put("': ");
	put(strerror(ENOENT));
	putc('\n', stderr);
	return 1;
}

int
diag_usage(const char *before, const char *word, size_t len, const char *after)
{
	put("runscript: ");
	put(before);
	if (word != NULL) {
		putc('\'', stderr);
		put_escaped(word, len);
		putc('\'', stderr);
	}
	put(after);
	put("\nTry 'runscript --help' for more information.\n");
	return RS_EXIT_CANCELED;
}

static const char loop_hint[] = "hint: the kernel runs at most " XSTR(
        RS_MAX_SCRIPTS) " scripts in a "
                        "chain; does one name itself as its interpreter?";

int
diag_failure(const struct rs_failure *f)
{
	const char *why = strerror(f->err);

	switch (f->fault) {
	case RS_FAULT_SCRIPT:
	case RS_FAULT_EXEC:
		if (f->fault == RS_FAULT_EXEC && f->err == ENOENT &&
		    missing_loader(f->file))
			break;
		about(f->file);
		put(why);
		if (f->err == ETXTBSY)
			put(" (still busy after retrying for 2 s)");
		putc('\n', stderr);
		if (f->err == EACCES)
			hint_access(f->file);
		break;
	case RS_FAULT_READ:
		say(f->file, "cannot read the #! line", why);
		break;
	case RS_FAULT_TOO_LONG:
		say(f->file,
		    "#! line longer than " XSTR(SHEBANG_LINE_MAX) " bytes",
		    NULL);
		break;
	case RS_FAULT_INTERP:
		about(f->file);
		put("bad interpreter '");
		put_escaped(f->interp, (size_t)-1);
		put("': ");
		put(why);
		putc('\n', stderr);
		hint_interp(f->file, f->interp, f->err);
		break;
	case RS_FAULT_LOOP:
		say(f->file, "too many levels of nested interpreters", NULL);
		say(f->file, loop_hint, NULL);
		break;
	case RS_FAULT_MISSING:
		say(f->file, "command not found", NULL);
		hint_here(f->file);
		break;
	}
	return f->err == ENOENT ? RS_EXIT_NOT_FOUND : RS_EXIT_CANNOT_RUN;
}

int
diag_env_failure(const struct rs_failure *f, const char *script,
                 const char *env, const char *name)
{
	size_t n = strlen(name);
	int status = RS_EXIT_NOT_FOUND;

	if (f->fault == RS_FAULT_MISSING) {
		about(script);
		put(env);
		putc(' ', stderr);
		put_escaped(name, n);
		put(": command not found\n");
	} else {
		status = diag_failure(f);
		about(script);
		put("its #! line runs ");
		put_escaped(name, n);
		put(" through ");
		put_escaped(env, (size_t)-1);
		putc('\n', stderr);
	}
	if (n > 0 && name[n - 1] == '\r')
		hint_command(script, crlf_hint);
	return status;
}

void
diag_env_words(const char *script, const char *env, const char *arg)
{
	about(script);
	put("hint: ");
	put_escaped(env, (size_t)-1);
	put(" will look for one command named '");
	put_escaped(arg, (size_t)-1);
	put("', which is not on PATH; to split it into words, run runscript "
	    "-S, or write #!");
	put_escaped(env, (size_t)-1);
	put(" -S ");
	put_escaped(arg, (size_t)-1);
	putc('\n', stderr);
}

void
diag_bom(const char *file)
{
	say(file,
	    "warning: a UTF-8 byte order mark precedes '#!', so the #! line "
	    "is ignored and " RS_SHELL " runs it",
	    NULL);
	hint_command(file,
	             "remove the mark with: sed -i '1s/^\\xEF\\xBB\\xBF//'");
}

int
diag_cancel(const char *what, const char *text, int err)
{
	say(what, text, err != 0 ? strerror(err) : NULL);
	return RS_EXIT_CANCELED;
}

int
diag_setid(void)
{
	put("runscript: refusing to run set-uid or set-gid: real and "
	    "effective ids differ\n");
	return RS_EXIT_CANCELED;
}

int
diag_write_error(int err)
{
	put("runscript: write error: ");
	put(strerror(err));
	putc('\n', stderr);
	return RS_EXIT_CANCELED;
}
