/*
 * The kernel, done in user space: each file of a script's interpreter chain
 * is checked as fs/exec.c's open_exec() does and its #! line read as
 * fs/binfmt_script.c does, so that only the end of the chain need be
 * exec'd: the scripts themselves are only read, and so never refused for
 * being open for writing somewhere (ETXTBSY).
 *
 * Async-signal-safe and reentrant: only system calls (fstatat, faccessat,
 * openat, read, close, mmap), the caller's memory, no writable static data.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "binfmt.h"
#include "load.h"
#include "resolve.h"

static int
fail(struct rs_failure *f, enum rs_fault fault, int err, const char *at_fault,
     const char *named)
{
	f->fault = fault;
	f->err = err;
	f->file = at_fault;
	f->interp = named;
	return err;
}

static int
plan(struct rs_plan *p, enum rs_run run, const char *file)
{
	p->run = run;
	p->file = file;
	return 0;
}

static int
starts_with(const struct rs_level *l, const char *magic, size_t n)
{
	return l->len >= n && memcmp(l->buf, magic, n) == 0;
}

/*
 * Whether a #! line runs env on a plain command name: no option, no
 * assignment, no blank but those -S split at. That runscript can run as
 * env would, with execvp(3), sparing an exec; env runs anything else.
 */
static int
env_command(const struct rs_level *l)
{
	const char *name = l->sb.arg;

	if (strcmp(l->sb.interp, "/usr/bin/env") != 0 &&
	    strcmp(l->sb.interp, "/bin/env") != 0)
		return 0;
	return name != NULL && *name != '\0' && *name != '-' &&
	       strpbrk(name, " \t=") == NULL;
}

/*
 * The end of the chain: a file without #!, which the kernel loads itself
 * or refuses with ENOEXEC, when that can be told without exec'ing it.
 */
static int
end_of_chain(struct rs_plan *p, const struct rs_level *l, const char *file)
{
	p->bom = p->depth == 0 && starts_with(l, "\357\273\277#!", 5);
	switch (binfmt_of(file, l->buf, l->len)) {
	case BINFMT_LOADED:
		return plan(p, RS_RUN_EXEC, file);
	case BINFMT_ENOEXEC:
		return plan(p, RS_RUN_SHELL, p->script);
	default:
		return plan(p, RS_RUN_KERNEL, file);
	}
}

/*
 * The file a #! line names after the last the kernel would load: checked,
 * as the kernel opens it, then ELOOP.
 */
static int
too_deep(int dirfd, struct rs_plan *p, struct rs_failure *f, const char *by,
         const char *file)
{
	struct rs_level next;
	int err = rs_load(dirfd, file, &next, 0, 0);

	if (err != 0 && err != RS_UNREAD)
		return fail(f, RS_FAULT_INTERP, err, by, file);
	return fail(f, RS_FAULT_LOOP, ELOOP, p->script, NULL);
}

/* A chain that ends in env, given a command name: env is checked only. */
static int
env_plan(int dirfd, struct rs_plan *p, struct rs_failure *f, const char *by,
         const char *file)
{
	struct rs_level next;
	int err = rs_load(dirfd, file, &next, 0, 0);

	if (err != 0 && err != RS_UNREAD)
		return fail(f, RS_FAULT_INTERP, err, by, file);
	p->depth++;
	return plan(p, RS_RUN_ENV, file);
}

int
rs_resolve(int dirfd, const char *path, unsigned flags, struct rs_plan *p,
           struct rs_failure *f)
{
	const char *file = path, *by = NULL; /* by: whose #! line names file */

	p->script = path;
	p->bom = 0;
	p->lines = 0;
	for (size_t d = 0; d <= RS_MAX_SCRIPTS; d++)
		p->level[d].mapped = 0;
	/* execve(2) takes no empty name, where a #! line may give one. */
	if (*path == '\0')
		return fail(f, RS_FAULT_SCRIPT, ENOENT, path, NULL);
	for (p->depth = 0;; p->depth++) {
		struct rs_level *l = &p->level[p->depth];
		int err = rs_load(dirfd, file, l, BINPRM_BUF_SIZE,
		                  by == NULL && (flags & RS_LINT));

		/* The kernel loads a file it may exec but we cannot read. */
		if (err == RS_UNREAD)
			return plan(p, RS_RUN_EXEC, file);
		if (err != 0 && by == NULL)
			return fail(f, RS_FAULT_SCRIPT, err, path, NULL);
		if (err != 0)
			return fail(f, RS_FAULT_INTERP, err, by, file);
		switch (shebang_parse(l->buf, l->len, &l->sb)) {
		case SHEBANG_OK:
			break;
		case SHEBANG_NONE:
			return end_of_chain(p, l, file);
		case SHEBANG_ENOEXEC:
			return plan(p, RS_RUN_SHELL, path);
		case SHEBANG_TOO_LONG:
			return fail(f, RS_FAULT_TOO_LONG, ENOEXEC, file, NULL);
		}
		p->lines++;
		l->words = 1 + (l->sb.arg != NULL);
		if ((flags & RS_SPLIT) && l->sb.arg != NULL)
			l->words = 1 + shebang_split(l->sb.arg);
		by = file;
		file = l->sb.interp;
		if (p->depth == RS_MAX_SCRIPTS)
			return too_deep(dirfd, p, f, by, file);
		if (env_command(l))
			return env_plan(dirfd, p, f, by, file);
	}
}

/*
 * The strings a #! line puts in front: its interpreter, unless skip is
 * set, then its argument, or its fields after -S.
 */
static size_t
line_words(struct rs_level *l, int skip, char **out)
{
	size_t n = 0;
	char *w = l->sb.arg;

	if (!skip && out != NULL)
		out[n] = l->sb.interp;
	n += !skip;
	for (size_t i = 1; i < l->words; i++, n++) {
		if (i > 1)
			w += strlen(w) + 1;
		w = shebang_field(w);
		if (out != NULL)
			out[n] = w;
	}
	return n;
}

size_t
rs_plan_argv(struct rs_plan *p, char *const args[], char **out)
{
	size_t n = 0, nargs = 0;
	char *const *rest;

	while (args[nargs] != NULL)
		nargs++;
	/* The script's own arguments after its name; an argv may be empty. */
	rest = nargs > 0 ? args + 1 : args;
	if (p->run == RS_RUN_SHELL) {
		if (out != NULL) {
			out[0] = (char *)RS_SHELL;
			out[1] = (char *)p->script;
		}
		n = 2;
	} else if (p->depth == 0) {
		/* The file is exec'd as it is, under the name it was given. */
		rest = args;
	} else {
		/*
		 * Each level's line goes in front of the one below it; env,
		 * which the last names, passes on what follows its name.
		 */
		for (size_t d = p->depth; d-- > 0;)
			n += line_words(&p->level[d],
			                p->run == RS_RUN_ENV &&
			                        d == p->depth - 1,
			                out != NULL ? out + n : NULL);
		if (out != NULL)
			out[n] = (char *)p->script;
		n++;
	}
	nargs -= (size_t)(rest - args);
	if (out != NULL)
		memcpy(out + n, rest, (nargs + 1) * sizeof *out);
	return n + nargs;
}

void
rs_plan_direct(struct rs_plan *p, const char *path)
{
	rs_plan_release(p);
	p->script = path;
	p->depth = 0;
	p->bom = 0;
	plan(p, RS_RUN_KERNEL, path);
}

void
rs_plan_release(struct rs_plan *p)
{
	for (size_t d = 0; d <= RS_MAX_SCRIPTS; d++)
		if (p->level[d].mapped != 0) {
			munmap(p->level[d].buf, p->level[d].mapped);
			p->level[d].mapped = 0;
		}
}
