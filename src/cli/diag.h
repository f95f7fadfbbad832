/*
 * Formatting, the leaf of reporting: a line is built whole in a buffer of
 * the caller's, with the user's bytes (names, option text) in caret
 * notation or shell-quoted, then written with one write(2), so that lines
 * of runs that share a pipe or a file stay whole. A report line is
 * "runscript: FILE: TEXT" as runscript reports, or "FILE:1: SEVERITY: TEXT"
 * as --check reports (compilers' layout). What to say about a failure is
 * hint.h's; this knows nothing of it. Each function that ends runscript
 * returns the exit status to end it with.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>

/*
 * The longest line written, newline included: PIPE_BUF on Linux, the most
 * that one write(2) to a pipe puts there whole, between other writers'.
 */
#define LINE_MAX_BYTES 4096

/* The most bytes a name takes, escaped, before it is cut with LINE_CUT. */
#define LINE_NAME_MAX 1024

/* What stands for the bytes left out of a name or a line. */
#define LINE_CUT "[...]"

/* One line being built, to be written to fd. */
struct line {
	int fd;
	int spill; /* write out a full buffer and go on, rather than cut */
	int cut;   /* bytes were left out: LINE_CUT ends the line */
	int err;   /* the first errno a write failed with, or 0 */
	size_t len;
	char buf[LINE_MAX_BYTES];
};

/*
 * Starts a line for fd. A spilling line may be longer than
 * the buffer and take several writes (-n's command line, on standard
 * output); any other is cut to LINE_MAX_BYTES.
 */
void line_start(struct line *l, int fd, int spill);
void line_put(struct line *l, const char *text);
/* The first len bytes of name, in caret notation, cut past LINE_NAME_MAX. */
void line_name(struct line *l, const char *name, size_t len);
/* word, quoted for a POSIX shell to read back as one word; bare if plain. */
void line_word(struct line *l, const char *word, int bare);
/* Ends the line with a newline and writes it. Returns 0 or an errno. */
int line_end(struct line *l);

/* Where a report goes and how it is laid out: the caller's. */
struct diag {
	int check;  /* lay lines out as --check does */
	int quiet;  /* write nothing (--check -q) */
	int demote; /* report errors as warnings: a file not meant to be run */
	int errors; /* error lines so far, written or not */
	int err;    /* the first errno a write failed with, or 0 */
	struct line line;
};

enum diag_kind {
	DIAG_ERROR,   /* what fails, or would */
	DIAG_WARNING, /* what runs, but not as its author meant */
	DIAG_HINT,    /* what to do about the line before */
	DIAG_NOTE,    /* more about the line before */
};

/* Sets d up to report to fd, in --check's layout when check is set. */
void diag_init(struct diag *d, int fd, int check, int quiet);

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

#endif
