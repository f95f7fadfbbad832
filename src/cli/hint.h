/*
 * What to say about a failure, and the hints: the texts that a run and
 * --check share, so that each problem is told one way, run or lint. Lines
 * are laid out and written by diag.h.
 */
#ifndef HINT_H
#define HINT_H

#include "diag.h"
#include "resolve.h"

/* Why f failed, and a hint when one helps. Returns 126 or 127. */
int report_failure(struct diag *d, const struct rs_failure *f);

/*
 * Why f failed, for the command name that the #! line of script gave to
 * env, which runscript ran for env. Returns 126 or 127, as env would.
 */
int report_env_failure(struct diag *d, const struct rs_failure *f,
                       const char *script, const char *env, const char *name);

/*
 * env, on script's #! line, was given one argument with blanks, arg, which
 * names no command: the failure, as env's command not found, then the
 * hint. Returns 127, as env would.
 */
int report_env_words(struct diag *d, const char *script, const char *env,
                     const char *arg);

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

/* A byte order mark hides file's #! line: of kind, and the fix. */
void hint_bom(struct diag *d, const char *file, enum diag_kind kind);

#endif
