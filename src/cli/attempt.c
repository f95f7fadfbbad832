/*
 * Running a command as execvp(3) would, for the runscript binary: the
 * core's run (src/core/run.c), which searches PATH, does env's job and
 * execs, given what the binary adds: warnings before the exec, the refusal
 * to exec runscript itself, a dry run that records the command instead of
 * running it, and the failure to report, copied before the core's memory
 * is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attempt.h"
#include "hint.h"
#include "log.h"
#include "run.h"

extern char **environ;

/* The most data of a run on the stack, past which it is mapped. */
#define CLI_STACK_MAX ((size_t)64 * 1024)

/* A run under way: the options and what it leaves. */
struct ctx {
	const struct options *o;
	struct outcome *out;
};

static int
execve_in_place(void *ctx, const char *file, char *const argv[],
                char *const envp[])
{
	(void)ctx;
	execve(file, argv, envp);
	return errno;
}

/* A dry run's start: the command is copied, to be printed, and not run. */
static int
record(void *ctx, const char *file, char *const argv[], char *const envp[])
{
	struct outcome *out = ((struct ctx *)ctx)->out;
	size_t n = 0;

	(void)envp;
	while (argv[n] != NULL)
		n++;
	if ((out->argv = calloc(n + 1, sizeof *out->argv)) == NULL ||
	    (out->file = strdup(file)) == NULL)
		return ENOMEM;
	for (size_t i = 0; i < n; i++)
		if ((out->argv[i] = strdup(argv[i])) == NULL)
			return ENOMEM;
	return 0;
}

/* Whether file is this very program, however it is named. */
static int
is_self(const char *file)
{
	struct stat self, st;

	return stat("/proc/self/exe", &self) == 0 && stat(file, &st) == 0 &&
	       self.st_dev == st.st_dev && self.st_ino == st.st_ino;
}

/*
 * Whether the plan ends in env given one argument with blanks that names
 * no command, "#!/usr/bin/env python3 -u" without -S: env would look for a
 * command of that whole name and fail with 127. runscript fails as env
 * would, in its own words and then with the hint, rather than exec env to
 * fail, as the hint could not come after env's message.
 */
static int
env_words_fail(const struct rs_plan *p, struct rs_failure *f)
{
	const struct shebang *sb;

	if (p->run != RS_RUN_EXEC || p->depth == 0 ||
	    !env_words(sb = &p->level[p->depth - 1].sb))
		return 0;
	f->fault = RS_FAULT_ENV_WORDS;
	f->err = ENOENT;
	f->file = p->script;
	f->interp = sb->interp;
	f->env_script = f->env = NULL;
	f->env_name = sb->arg;
	return ENOENT;
}

/* What the binary adds before a plan is started, or why it is not. */
static int
review(void *ctx, struct rs_plan *p, const char *env, struct rs_failure *f)
{
	const struct options *o = ((struct ctx *)ctx)->o;
	struct outcome *out = ((struct ctx *)ctx)->out;
	int err;

	if (p->bom)
		hint_bom(o->diag, p->script, DIAG_WARNING);
	/*
	 * A #! line that names runscript itself, as /proc/self/exe does once
	 * runscript execs it, would have it run the script again, for ever.
	 */
	if (p->depth > 0 && p->run != RS_RUN_SHELL && is_self(p->file)) {
		f->fault = RS_FAULT_SELF;
		f->err = ELOOP;
		f->file = p->depth == 1 ? p->script
		                        : p->level[p->depth - 2].sb.interp;
		f->interp = p->file;
		f->env_script = f->env = f->env_name = NULL;
		return ELOOP;
	}
	if ((err = env_words_fail(p, f)) != 0)
		return err;
	free(out->env);
	out->env = env != NULL ? strdup(env) : NULL;
	/*
	 * A dry run cannot ask the kernel what it makes of a file that is
	 * neither ELF nor a script: it shows what ENOEXEC would bring.
	 */
	if (o->dry_run && p->run == RS_RUN_KERNEL)
		p->run = RS_RUN_SHELL;
	return 0;
}

/* Copies s to the end of buf, advancing it; returns the copy. */
static const char *
copy(char **buf, const char *s)
{
	char *at = *buf;
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	memcpy(at, s, n);
	*buf += n;
	return at;
}

static size_t
size(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

/* The failure to report, so far: copied, as the core's memory goes. */
static void
keep(void *ctx, const struct rs_failure *f)
{
	struct outcome *out = ((struct ctx *)ctx)->out;
	char *buf =
	        malloc(size(f->file) + size(f->interp) + size(f->env_script) +
	               size(f->env) + size(f->env_name) + 1);

	if (buf == NULL)
		return;
	free(out->strings);
	out->strings = buf;
	out->f = *f;
	out->f.file = copy(&buf, f->file);
	out->f.interp = copy(&buf, f->interp);
	out->f.env_script = copy(&buf, f->env_script);
	out->f.env = copy(&buf, f->env);
	out->f.env_name = copy(&buf, f->env_name);
}

void
run_command(char *args[], const struct options *o, struct outcome *out)
{
	struct ctx ctx = {o, out};
	struct rs_starter s = {o->dry_run ? record : execve_in_place, &ctx};
	struct rs_call c = {AT_FDCWD,
	                    RS_SEARCH | RS_REPORT | RS_MAY_MAP |
	                            (o->split ? RS_SPLIT : 0),
	                    RS_ENOEXEC_SHELL,
	                    getenv("PATH"),
	                    &s,
	                    CLI_STACK_MAX,
	                    o->dry_run ? NULL : getenv(RS_LOG_ENV),
	                    NULL,
	                    review,
	                    keep,
	                    &ctx};

	memset(out, 0, sizeof *out);
	out->f = (struct rs_failure){RS_FAULT_EXEC, ENOMEM, args[0], NULL,
	                             NULL,          NULL,   NULL};
	out->err = rs_run(&c, args[0], args, environ);
	/* No failure kept: memory was short before any could be. */
	if (out->err != 0 && out->strings == NULL)
		out->f.err = out->err;
}

void
outcome_free(struct outcome *out)
{
	for (size_t i = 0; out->argv != NULL && out->argv[i] != NULL; i++)
		free(out->argv[i]);
	free(out->argv);
	free(out->file);
	free(out->env);
	free(out->strings);
}
