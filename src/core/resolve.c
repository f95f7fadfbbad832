/*
 * The kernel, done in user space: each file of a script's interpreter chain
 * is checked as fs/exec.c's open_exec() does and its #! line read as
 * fs/binfmt_script.c does, so that only the end of the chain need be
 * exec'd: the scripts themselves are only read, and so never refused for
 * being open for writing somewhere (ETXTBSY).
 *
 * Async-signal-safe and reentrant: only system calls (fstatat, faccessat2,
 * openat, read, close), the caller's memory, no writable static data.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "binfmt.h"
#include "resolve.h"

static int
fail(struct rs_failure *f, enum rs_fault fault, int err, const char *at_fault,
     const char *named)
{
	f->fault = fault;
	f->err = err;
	f->file = at_fault;
	f->interp = named;
	f->env_script = f->env = f->env_name = NULL;
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
int
rs_is_env(const char *interp)
{
	return strcmp(interp, "/usr/bin/env") == 0 ||
	       strcmp(interp, "/bin/env") == 0;
}

static int
env_command(const struct rs_level *l)
{
	const char *name = l->sb.arg;

	return rs_is_env(l->sb.interp) && name != NULL && *name != '\0' &&
	       *name != '-' && strpbrk(name, " \t=") == NULL;
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
         const char *file, struct rs_arena *a)
{
	struct rs_level next;
	int err = rs_load(dirfd, file, &next, a, 0, 0);

	if (err != 0 && err != RS_UNREAD)
		return fail(f, RS_FAULT_INTERP, err, by, file);
	return fail(f, RS_FAULT_LOOP, ELOOP, p->script, NULL);
}

/* A chain that ends in env, given a command name: env is checked only. */
static int
env_plan(int dirfd, struct rs_plan *p, struct rs_failure *f, const char *by,
         const char *file, struct rs_arena *a)
{
	struct rs_level next;
	int err = rs_load(dirfd, file, &next, a, 0, 0);

	if (err != 0 && err != RS_UNREAD)
		return fail(f, RS_FAULT_INTERP, err, by, file);
	p->depth++;
	return plan(p, RS_RUN_ENV, file);
}

int
rs_resolve(int dirfd, const char *path, unsigned flags, struct rs_plan *p,
           struct rs_failure *f, struct rs_arena *a)
{
	const char *file = path, *by = NULL; /* by: whose #! line names file */

	p->script = path;
	p->bom = 0;
	p->lines = 0;
	/* execve(2) takes no empty name, where a #! line may give one. */
	if (*path == '\0')
		return fail(f, RS_FAULT_SCRIPT, ENOENT, path, NULL);
	for (p->depth = 0;; p->depth++) {
		struct rs_level *l = &p->level[p->depth];
		int err = rs_load(dirfd, file, l, a, BINPRM_BUF_SIZE,
		                  by == NULL && (flags & RS_LINT));

		if (err == RS_NOROOM)
			return err;
		/* The kernel loads a file it may exec but we cannot read. */
		if (err == RS_UNREAD)
			return plan(p, RS_RUN_EXEC, file);
		if (err != 0 && by == NULL)
			return fail(f, RS_FAULT_SCRIPT, err, path, NULL);
		if (err != 0)
			return fail(f, RS_FAULT_INTERP, err, by, file);
		/* What is read stays, for the end of the chain to look at. */
		a->used += l->len;
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
		/* Of a #! line, only the line stays: its words are in it. */
		a->used = (size_t)(l->sb.end + 1 - a->base);
		p->lines++;
		l->words = 1 + (l->sb.arg != NULL);
		if ((flags & RS_SPLIT) && l->sb.arg != NULL)
			l->words = 1 + shebang_split(l->sb.arg);
		by = file;
		file = l->sb.interp;
		if (p->depth == RS_MAX_SCRIPTS)
			return too_deep(dirfd, p, f, by, file, a);
		if (env_command(l))
			return env_plan(dirfd, p, f, by, file, a);
	}
}

/*
 * The strings a #! line puts in front: its interpreter, then its argument,
 * or its fields after -S.
 */
static size_t
line_words(struct rs_level *l, char **out)
{
	size_t n = 1;
	char *w = l->sb.arg;

	if (out != NULL)
		out[0] = l->sb.interp;
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
		/* Each level's line goes in front of the one below it. */
		for (size_t d = p->depth; d-- > 0;)
			n += line_words(&p->level[d],
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
	p->script = path;
	p->depth = 0;
	p->bom = 0;
	plan(p, RS_RUN_KERNEL, path);
}
