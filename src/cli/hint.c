/*
 * Hints: what to do about a failure, and the findings of --check, which
 * are the same texts, so that each problem is told one way, run or lint.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "binfmt.h"
#include "diag.h"
#include "path.h"

#ifndef ST_NOEXEC
#define ST_NOEXEC 8 /* Linux's flag; glibc names it only for _GNU_SOURCE. */
#endif

/* A line of kind about file: TEXT, then file, shell-quoted. */
static void
say_command(struct diag *d, const char *file, enum diag_kind kind,
            const char *text)
{
	diag_start(d, file, kind);
	diag_put(d, text);
	diag_put(d, " ");
	diag_word(d, file);
	diag_end(d);
}

void
hint_access(struct diag *d, const char *file)
{
	struct stat st;
	struct statvfs vfs;

	if (stat(file, &st) == -1)
		return;
	if (S_ISDIR(st.st_mode))
		diag_say(d, file, DIAG_HINT, "it is a directory", NULL);
	else if (!S_ISREG(st.st_mode))
		diag_say(d, file, DIAG_HINT, "it is not a regular file", NULL);
	else if (statvfs(file, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		diag_say(d, file, DIAG_HINT,
		         "its file system is mounted noexec", NULL);
	else if ((st.st_mode & 0111) == 0)
		say_command(d, file, DIAG_HINT,
		            "it is not executable; make it so with: chmod +x");
}

void
hint_crlf(struct diag *d, const char *file, enum diag_kind kind)
{
	say_command(d, file, kind,
	            "the #! line ends in a carriage return (DOS line "
	            "endings); convert the file with: sed -i 's/\\r$//'");
}

void
hint_relative(struct diag *d, const char *file, const char *interp,
              enum diag_kind kind)
{
	int bare = strchr(interp, '/') == NULL;

	diag_start(d, file, kind);
	diag_put(d, "the kernel looks for '");
	diag_name(d, interp);
	diag_put(d, bare ? "' in the current directory, not on PATH"
	                 : "' from the current directory, not the script's");
	diag_put(d, "; write its absolute path");
	if (bare) {
		diag_put(d, ", or #!/usr/bin/env ");
		diag_name(d, interp);
	}
	diag_end(d);
}

void
hint_interp(struct diag *d, const char *file, const char *interp, int err)
{
	size_t n = strlen(interp);

	if (n == 0)
		diag_say(d, file, DIAG_HINT, "the #! line names no interpreter",
		         NULL);
	else if (interp[n - 1] == '\r') {
		/* --check reports the carriage return on its own. */
		if (!d->check)
			hint_crlf(d, file, DIAG_HINT);
	} else if (err == ENOENT && strchr(interp, '/') == NULL)
		hint_relative(d, file, interp, DIAG_HINT);
	else if (err == EACCES)
		hint_access(d, interp);
}

void
hint_here(struct diag *d, const char *name)
{
	if (access(name, F_OK) != 0)
		return;
	diag_start(d, name, DIAG_HINT);
	diag_put(d, "to run the file in the current directory, write ./");
	diag_word(d, name);
	diag_end(d);
}

int
hint_loader(struct diag *d, const char *file)
{
	char loader[PATH_MAX];

	if (elf_interp(file, loader, sizeof loader) == NULL ||
	    access(loader, F_OK) == 0)
		return 0;
	diag_start(d, file, DIAG_ERROR);
	diag_put(d, "ELF interpreter '");
	diag_name(d, loader);
	diag_put(d, "': ");
	diag_put(d, strerror(ENOENT));
	diag_end(d);
	return 1;
}

int
env_words(const struct shebang *sb)
{
	const char *arg = sb->arg;
	size_t word;

	if (!rs_is_env(sb->interp) || arg == NULL || arg[0] == '-' ||
	    arg[(word = strcspn(arg, " \t"))] == '\0')
		return 0;
	/* NAME=value first: env takes an assignment, not a command. */
	if (memchr(arg, '=', word) != NULL)
		return 0;
	return !rs_path_find(arg, getenv("PATH"));
}

void
hint_env_words(struct diag *d, const char *script, const char *env,
               const char *arg, enum diag_kind kind)
{
	diag_start(d, script, kind);
	diag_name(d, env);
	diag_put(d, " will look for one command named '");
	diag_name(d, arg);
	diag_put(d, "', which is not on PATH; to split it into words, run "
	            "runscript -S, or write #!");
	diag_name(d, env);
	diag_put(d, " -S ");
	diag_name(d, arg);
	diag_end(d);
}

void
hint_bom(struct diag *d, const char *file, enum diag_kind kind)
{
	diag_say(d, file, kind,
	         "a UTF-8 byte order mark precedes '#!', so the #! line is "
	         "ignored and " RS_SHELL " runs it",
	         NULL);
	say_command(d, file, DIAG_HINT,
	            "remove the mark with: sed -i '1s/^\\xEF\\xBB\\xBF//'");
}
