/*
 * --check: scripts linted without running anything. Each file is resolved
 * as a run resolves it (src/resolve.c), and whatever would make a direct
 * exec fail, or run otherwise than its author meant, is reported in the
 * compilers' layout, FILE:LINE: SEVERITY: MESSAGE, with the texts that a
 * run reports the same problems with (hint.c), on standard output: they
 * are what --check was asked for, to be piped or saved, while standard
 * error stays for runscript's own failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attempt.h"
#include "check.h"
#include "hint.h"
#include "runscript.h"

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
		report_env_words(d, file, sb->interp, sb->arg);
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
	struct diag silent;
	struct options o = {&silent, 1,   (flags & RS_SPLIT) != 0, 0, 1, 1,
	                    0,       NULL};
	struct outcome out = {0};

	diag_init(&silent, STDERR_FILENO, 1, 1);
	run_command(args, &o, &out);
	if (out.err != 0)
		report_env_failure(d, &out.f, level_file(p, p->depth - 1),
		                   p->file, name);
	outcome_free(&out);
}

/*
 * What a run would fail with at the end of the chain: env's command, or
 * a file that the kernel refuses with ENOEXEC, which only execvp(3) and
 * shells take for a shell script. A file that is neither #! nor ELF for
 * this machine is taken to be refused too where binfmt_misc cannot be
 * read (RS_RUN_KERNEL), as it is unless a handler claims it.
 */
static void
lint_end(struct diag *d, const struct rs_plan *p, unsigned flags)
{
	const struct rs_level *l = &p->level[p->lines];
	const char *file = level_file(p, p->lines);

	if (p->run == RS_RUN_ENV)
		lint_env(d, p, flags);
	if ((p->run != RS_RUN_SHELL && p->run != RS_RUN_KERNEL) || p->bom)
		return;
	diag_say(d, file, DIAG_ERROR,
	         l->len >= 2 && memcmp(l->buf, "#!", 2) == 0
	                 ? "the #! line names no interpreter: a direct exec "
	                   "fails (ENOEXEC)"
	                 : "neither #! nor a format the kernel loads: a direct "
	                   "exec fails (ENOEXEC)",
	         NULL);
	if (p->run == RS_RUN_KERNEL)
		diag_say(
		        d, file, DIAG_NOTE,
		        "unless a binfmt_misc handler takes it, which cannot "
		        "be told here: /proc/sys/fs/binfmt_misc cannot be read",
		        NULL);
	diag_say(d, file, DIAG_NOTE,
	         "shells and execvp(3) run it with " RS_SHELL ", other "
	         "launchers fail; begin it with a #! line, such as "
	         "#!" RS_SHELL,
	         NULL);
}

/* Whether file is a regular file without an execute bit at all. */
static int
no_exec_bits(const char *file)
{
	struct stat st;

	return stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
	       (st.st_mode & 0111) == 0;
}

/* Checks one file. */
static void
check_file(struct diag *d, char *file, unsigned flags)
{
	struct rs_failure f = {
	        RS_FAULT_SCRIPT, 0, file, NULL, NULL, NULL, NULL};
	struct rs_plan p;
	char *mem = malloc(RS_RESOLVE_MAX);
	struct rs_arena a = {mem, RS_RESOLVE_MAX, 0, 0};
	int err;

	if (mem == NULL) {
		d->err = ENOMEM;
		return;
	}
	err = rs_resolve(AT_FDCWD, file, flags | RS_LINT, &p, &f, &a);

	/* Not there, not a regular file or not readable: nothing to read. */
	if (err != 0 && f.fault == RS_FAULT_SCRIPT) {
		report_failure(d, &f);
		free(mem);
		return;
	}
	/*
	 * A file without an execute bit at all is not meant to be exec'd (a
	 * module, a library to source): what an exec would meet is told, as
	 * warnings.
	 */
	if ((f.err = rs_check_exec(AT_FDCWD, file)) != 0) {
		struct rs_failure x = {
		        RS_FAULT_SCRIPT, f.err, file, NULL, NULL, NULL, NULL};

		d->demote = no_exec_bits(file);
		report_failure(d, &x);
	}
	if (p.bom)
		hint_bom(d, file, DIAG_ERROR);
	for (size_t i = 0; i < p.lines; i++)
		lint_line(d, level_file(&p, i), &p.level[i]);
	if (err != 0) {
		f.err = err;
		report_failure(d, &f);
	} else
		lint_end(d, &p, flags);
	d->demote = 0;
	free(mem);
}

int
check_files(char *files[], int quiet, int split)
{
	struct diag d;

	diag_init(&d, STDOUT_FILENO, 1, quiet);
	for (; *files != NULL; files++)
		check_file(&d, *files, split ? RS_SPLIT : 0);
	if (d.err != 0)
		return diag_write_error(d.err);
	return d.errors != 0;
}
