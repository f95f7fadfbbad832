/*
 * Every byte runscript writes to standard error: "runscript: " first, the
 * user's bytes (file names, option text) with control bytes in caret
 * notation, hints where a user would otherwise be lost. Each function
 * that ends runscript returns the exit status to end it with.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>

#include "resolve.h"

/*
 * "runscript: BEFORE'WORD'AFTER" for the first len bytes of word (none
 * when word is NULL), then the line that points to --help. Returns
 * RS_EXIT_CANCELED.
 */
int diag_usage(const char *before, const char *word, size_t len,
               const char *after);

/* Why f failed, and a hint when one helps. Returns 126 or 127. */
int diag_failure(const struct rs_failure *f);

/*
 * Why f failed, for the command name that the #! line of script gave to
 * env, which runscript ran for env. Returns 126 or 127, as env would.
 */
int diag_env_failure(const struct rs_failure *f, const char *script,
                     const char *env, const char *name);

/*
 * Warns that env, named on script's #! line, is to look for one command
 * whose name has blanks, which is nowhere on PATH.
 */
void diag_env_words(const char *script, const char *env, const char *arg);

/* Warns that file's #! line is hidden behind a byte order mark. */
void diag_bom(const char *file);

/*
 * "runscript: WHAT: TEXT", then ": " and strerror(err) when err is not 0,
 * for a failure of runscript's own. Returns RS_EXIT_CANCELED.
 */
int diag_cancel(const char *what, const char *text, int err);

/* The refusal to run set-uid or set-gid. Returns RS_EXIT_CANCELED. */
int diag_setid(void);

/* Writing standard output failed with err. Returns RS_EXIT_CANCELED. */
int diag_write_error(int err);

#endif
