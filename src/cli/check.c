/*
 * --check: scripts linted without running anything. Each file is resolved
 * as a run resolves it (src/resolve.c), and whatever would make a direct
 * exec fail, or run otherwise than its author meant, is reported in the
 * compilers' layout, FILE:LINE: SEVERITY: MESSAGE, with the texts that a
 * run reports the same problems with (src/diag.c, src/hint.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attempt.h"
#include "check.h"

/* What the kernel, reading BINPRM_BUF_SIZE bytes, makes of a long line. */
static void
long_line(struct diag *d, const char *file, const struct rs_level *l)
{
	const char *name_end = l->sb.interp + strlen(l->sb.interp);

	if (!l->long_line)
		return;
	diag_say(d, file, DIAG_ERROR,
	         name_end - l->buf >= BINPRM_BUF_SIZE
	                 ? "the #! line is longer than the kernel's 256 "
	                   "bytes, which cut its interpreter short: a direct "
	                   "exec fails (ENOEXEC)"
	                 : "the #! line is longer than the kernel's 256 "
	                   "bytes, which cut its argument short",
	         NULL);
}

/* The #! line of file, level l of a chain. */
static void
lint_line(struct diag *d, const char *file, const struct rs_level *l)
{
	const struct shebang *sb = &l->sb;

	if (sb->end[-1] == '\r')
		hint_crlf(d, file, DIAG_ERROR);
	long_line(d, file, l);
	if (sb->interp[0] != '/' && rs_check_exec(AT_FDCWD, sb->interp) == 0)
		hint_relative(d, file, sb->interp, DIAG_WARNING);
	if (env_words(sb))
		hint_env_words(d, file, sb->interp, sb->arg, DIAG_ERROR);
}

/* The file that level i of p's chain was read from. */
static const char *
level_file(const struct rs_plan *p, size_t i)
{
	return i == 0 ? p->script : p->level[i - 1].sb.interp;
}

/*
 * env's command, found on PATH as env's execvp() would find it, and its
 * own chain: reported as a run reports them, when it fails. It is run as
 * a dry run is, whose own warnings are not --check's to give.
 */
static void
lint_env(struct diag *d, const struct rs_plan *p, unsigned flags)
{
	char *name = p->level[p->depth - 1].sb.arg;
	char *args[] = {name, NULL};
	struct diag silent = {1, 1, 0};
	struct options o = {&silent, 1, (flags & RS_SPLIT) != 0, 0, 1, 1};
	struct outcome out = {0,
	                      NULL,
	                      NULL,
	                      {RS_FAULT_EXEC, 0, NULL, NULL, NULL, NULL, NULL},
	                      NULL};

	run_command(args, &o, &out);
	if (out.err != 0)
		diag_env_failure(d, &out.f, level_file(p, p->depth - 1),
		                 p->file, name);
	outcome_free(&out);
}

/*
 * What a run would fail with at the end of the chain: env's command, or
 * a #! line that the kernel refuses.
 */
static void
lint_end(struct diag *d, const struct rs_plan *p, unsigned flags)
{
	if (p->run == RS_RUN_ENV)
		lint_env(d, p, flags);
	else if (p->run == RS_RUN_SHELL && p->level[p->lines].len >= 2 &&
	         memcmp(p->level[p->lines].buf, "#!", 2) == 0)
		diag_say(
		        d, level_file(p, p->lines), DIAG_ERROR,
		        "the #! line names no interpreter: a direct exec fails "
		        "(ENOEXEC)",
		        NULL);
}

/*
 * Checks one file; returns 0, or runscript's own exit status when the
 * file cannot be checked at all.
 */
static int
check_file(struct diag *d, char *file, unsigned flags)
{
	struct rs_failure f = {
	        RS_FAULT_SCRIPT, 0, file, NULL, NULL, NULL, NULL};
	struct rs_plan p;
	char *mem = malloc(RS_RESOLVE_MAX);
	struct rs_arena a = {mem, RS_RESOLVE_MAX, 0, 0};
	int err;

	if (mem == NULL)
		return diag_cancel(file, "cannot be checked", ENOMEM);
	err = rs_resolve(AT_FDCWD, file, flags | RS_LINT, &p, &f, &a);
	/* Not there, or not readable: nothing to check, our own failure. */
	if (err != 0 && f.fault == RS_FAULT_SCRIPT) {
		struct diag own = {0, d->quiet, 0};

		free(mem);
		return diag_failure(&own, &f);
	}
	if ((f.err = rs_check_exec(AT_FDCWD, file)) != 0) {
		struct rs_failure x = {
		        RS_FAULT_SCRIPT, f.err, file, NULL, NULL, NULL, NULL};

		diag_failure(d, &x);
	}
	if (p.bom)
		hint_bom(d, file, DIAG_ERROR);
	for (size_t i = 0; i < p.lines; i++)
		lint_line(d, level_file(&p, i), &p.level[i]);
	if (err != 0) {
		f.err = err;
		diag_failure(d, &f);
	} else
		lint_end(d, &p, flags);
	free(mem);
	return 0;
}

int
check_files(char *files[], int quiet, int split)
{
	struct diag d = {1, quiet, 0};
	int status = 0;

	for (; *files != NULL; files++) {
		int own = check_file(&d, *files, split ? RS_SPLIT : 0);

		if (own > status)
			status = own;
	}
	return status != 0 ? status : d.errors != 0;
}
