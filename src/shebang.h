/* Parsing of a #! line, as Linux's fs/binfmt_script.c does it. */
#ifndef SHEBANG_H
#define SHEBANG_H

#include <stddef.h>

/* The kernel reads this many bytes of a file to decide how to run it. */
#define SHEBANG_KERNEL_BUF 256

/* runscript's own limit on a #! line, not counting its newline. */
#define SHEBANG_LINE_MAX 8191

/* Room a caller must give shebang_parse(): the line, its end, padding. */
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
};

/*
 * Whether the first len bytes of a file (read SHEBANG_KERNEL_BUF at a time)
 * leave a #! line unfinished, so that more must be read before parsing.
 */
int shebang_needs_more(const char *buf, size_t len);

/*
 * Parses the first len bytes of a file, held in buf, which has room for
 * SHEBANG_BUF_SIZE bytes. The strings set in sb point into buf.
 */
enum shebang_result shebang_parse(char *buf, size_t len, struct shebang *sb);

/*
 * Splits arg in place at runs of spaces and tabs and stores the fields in
 * fields (when not NULL). Returns the number of fields.
 */
size_t shebang_split(char *arg, char **fields);

#endif
