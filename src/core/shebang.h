/*
 * Parsing of a #! line, as Linux's fs/binfmt_script.c does it. Pure: bytes
 * in, an interpreter and an optional argument out, in the caller's buffer.
 */
#ifndef SHEBANG_H
#define SHEBANG_H

#include <stddef.h>

/* The kernel reads this many bytes of a file to decide how to run it. */
#define BINPRM_BUF_SIZE 256

/* runscript's own limit on a #! line, not counting its newline. */
#define SHEBANG_LINE_MAX 8191

/* Room for a #! line that does not end within BINPRM_BUF_SIZE bytes. */
#define SHEBANG_BUF_SIZE (SHEBANG_LINE_MAX + 1 + 2)

enum shebang_result {
	SHEBANG_OK,       /* interp and maybe arg are set */
	SHEBANG_NONE,     /* the file does not start with #! */
	SHEBANG_ENOEXEC,  /* the kernel would refuse the line with ENOEXEC */
	SHEBANG_TOO_LONG, /* the line is longer than SHEBANG_LINE_MAX */
};

struct shebang {
	char *interp; /* the interpreter as written; may be empty */
	char *arg;    /* the optional argument, or NULL */
	char *end;    /* where the line ends, past trailing blanks */
};

/*
 * Whether the first len bytes of a file (read BINPRM_BUF_SIZE at a time)
 * leave a #! line unfinished, so that more must be read before parsing.
 */
int shebang_needs_more(const char *buf, size_t len);

/*
 * Parses the first len bytes of a file, held in buf. buf has room for
 * BINPRM_BUF_SIZE bytes, or for len + 2 when the line does not end within
 * BINPRM_BUF_SIZE bytes. The strings set in sb point into buf.
 */
enum shebang_result shebang_parse(char *buf, size_t len, struct shebang *sb);

/*
 * Splits arg in place at runs of spaces and tabs, ending each field with a
 * NUL, and returns the number of fields.
 */
size_t shebang_split(char *arg);

/*
 * The field that starts at p or after the blanks there: the first of a
 * split argument arg is shebang_field(arg), the one after field f is
 * shebang_field(f + strlen(f) + 1).
 */
char *shebang_field(char *p);

#endif
