/*
 * Every byte runscript writes to standard error goes through here: lines
 * about a file, "runscript: FILE: TEXT" as runscript reports, or
 * "FILE:1: SEVERITY: TEXT" as --check reports (compilers' layout), with
 * the user's bytes (names, option text) in caret notation. Each function
 * that ends runscript returns the exit status to end it with.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>

#include "resolve.h"

/* Where a report goes and how it is laid out: the caller's. */
struct diag {
	int check;  /* lay lines out as --check does */
	int quiet;  /* write nothing (--check -q) */
	int errors; /* error lines so far, written or not */
};

enum diag_kind {
	DIAG_ERROR,   /* what fails, or would */
	DIAG_WARNING, /* what runs, but not as its author meant */
	DIAG_HINT,    /* what to do about the line before */
	DIAG_NOTE,    /* more about the line before */
};

/* A line about file, of kind, made of the pieces below. */
void diag_start(struct diag *d, const char *file, enum diag_kind kind);
void diag_put(struct diag *d, const char *text);
void diag_name(struct diag *d, const char *name); /* escaped */
void diag_word(struct diag *d, const char *word); /* shell-quoted */
void diag_end(struct diag *d);

/* A whole line: TEXT, then ": " and DETAIL when DETAIL is not NULL. */
void diag_say(struct diag *d, const char *file, enum diag_kind kind,
              const char *text, const char *detail);

/*
 * "runscript: BEFORE'WORD'AFTER" for the first len bytes of word (none
 * when word is NULL), then the line that points to --help. Returns
 * RS_EXIT_CANCELED.
 */
int diag_usage(const char *before, const char *word, size_t len,
               const char *after);

/*
 * "runscript: WHAT: TEXT", then ": " and strerror(err) when err is not 0,
 * for a failure of runscript's own. Returns RS_EXIT_CANCELED.
 */
int diag_cancel(const char *what, const char *text, int err);

/* The refusal to run with privileges. Returns RS_EXIT_CANCELED. */
int diag_setid(void);

/* Writing standard output failed with err. Returns RS_EXIT_CANCELED. */
int diag_write_error(int err);

/* Why f failed, and a hint when one helps. Returns 126 or 127. */
int diag_failure(struct diag *d, const struct rs_failure *f);

/*
 * Why f failed, for the command name that the #! line of script gave to
 * env, which runscript ran for env. Returns 126 or 127, as env would.
 */
int diag_env_failure(struct diag *d, const struct rs_failure *f,
                     const char *script, const char *env, const char *name);

/* The hints of hint.c, shared by the run and --check. */

/* Why the kernel would refuse to exec file with EACCES, when we can tell. */
void hint_access(struct diag *d, const char *file);

/* The hints for an interpreter that file's #! line names and that fails. */
void hint_interp(struct diag *d, const char *file, const char *interp, int err);

/* The hint to write ./name, for a name that PATH lacks but "." has. */
void hint_here(struct diag *d, const char *name);

/* A failure to exec file for want of its ELF interpreter, if that is it. */
int hint_loader(struct diag *d, const char *file);

/* file's #! line ends in a carriage return: of kind, and the fix. */
void hint_crlf(struct diag *d, const char *file, enum diag_kind kind);

/* file's #! line names interp, a relative name: of kind, and the fix. */
void hint_relative(struct diag *d, const char *file, const char *interp,
                   enum diag_kind kind);

/*
 * Whether a #! line gives env one argument with blanks, neither an option
 * nor an assignment, that names no command on PATH: env will look for a
 * command of that whole name and fail.
 */
int env_words(const struct shebang *sb);

/*
 * env, on script's #! line, is given one argument with blanks, arg, which
 * names no command: it will fail. Of kind, and the fix.
 */
void hint_env_words(struct diag *d, const char *script, const char *env,
                    const char *arg, enum diag_kind kind);

/* A byte order mark hides file's #! line: of kind, and the fix. */
void hint_bom(struct diag *d, const char *file, enum diag_kind kind);

#endif
