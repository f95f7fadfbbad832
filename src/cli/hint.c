/*
 * What to say about a failure, and the hints: the messages of a run and the
 * findings of --check, which are the same texts, so that each problem is
 * told one way, run or lint.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "binfmt.h"
#include "hint.h"
#include "path.h"

#ifndef ST_NOEXEC
#define ST_NOEXEC 8 /* Linux's flag; glibc names it only for _GNU_SOURCE. */
#endif

/* Linux's <linux/magic.h>, which a musl tool chain may lack. */
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC      0x62656572

#define STR(x)  #x
#define XSTR(x) STR(x)

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

/* Whether file is on procfs or sysfs, which the kernel never execs from. */
static int
proc_or_sys(const char *file)
{
	struct statfs fs;

	return statfs(file, &fs) == 0 &&
	       (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC);
}

/*
 * Why chmod cannot give file st the execute bit, or NULL when it can: a
 * read-only mount takes no change, and only the owner (or root) may change
 * a file's mode.
 */
static const char *
no_chmod(const struct stat *st, const struct statvfs *vfs)
{
	if (vfs->f_flag & ST_RDONLY)
		return "it is not executable, and chmod cannot make it so on a "
		       "read-only file system";
	if (geteuid() != 0 && st->st_uid != geteuid())
		return "it is not executable, and only its owner can make it "
		       "so";
	return NULL;
}

/* Why a regular file st, whose mount is vfs, may not be exec'd. */
static void
hint_mode(struct diag *d, const char *file, const struct stat *st,
          const struct statvfs *vfs)
{
	const char *why;

	if (vfs->f_flag & ST_NOEXEC)
		diag_say(d, file, DIAG_HINT,
		         "its file system is mounted noexec", NULL);
	else if ((st->st_mode & 0111) != 0)
		return;
	else if ((why = no_chmod(st, vfs)) != NULL)
		diag_say(d, file, DIAG_HINT, why, NULL);
	else
		say_command(d, file, DIAG_HINT,
		            "it is not executable; make it so with: chmod +x");
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
	else if (proc_or_sys(file))
		diag_say(d, file, DIAG_HINT,
		         "the kernel executes no file on /proc or /sys, "
		         "whatever its mode",
		         NULL);
	else if (statvfs(file, &vfs) == 0)
		hint_mode(d, file, &st, &vfs);
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

/* env's command name, on script's #! line, is not on PATH. */
static void
env_missing(struct diag *d, const char *script, const char *env,
            const char *name)
{
	diag_start(d, script, DIAG_ERROR);
	diag_name(d, env);
	diag_put(d, " ");
	diag_name(d, name);
	diag_put(d, ": command not found");
	diag_end(d);
}

int
report_env_words(struct diag *d, const char *script, const char *env,
                 const char *arg)
{
	env_missing(d, script, env, arg);
	diag_start(d, script, DIAG_HINT);
	diag_name(d, env);
	diag_put(d, " looks for one command named '");
	diag_name(d, arg);
	diag_put(d, "', which is not on PATH; to split it into words, run "
	            "runscript -S, or write #!");
	diag_name(d, env);
	diag_put(d, " -S ");
	diag_name(d, arg);
	diag_end(d);
	return RS_EXIT_NOT_FOUND;
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

int
report_failure(struct diag *d, const struct rs_failure *f)
{
	const char *why = strerror(f->err);

	switch (f->fault) {
	case RS_FAULT_SCRIPT:
	case RS_FAULT_EXEC:
		if (f->fault == RS_FAULT_EXEC && f->err == ENOENT &&
		    hint_loader(d, f->file))
			break;
		diag_start(d, f->file, DIAG_ERROR);
		diag_put(d, why);
		if (f->err == ETXTBSY)
			diag_put(d, " (still busy after retrying for 2 s)");
		diag_end(d);
		if (f->err == EACCES)
			hint_access(d, f->file);
		break;
	case RS_FAULT_READ:
		diag_say(d, f->file, DIAG_ERROR, "cannot read the #! line",
		         why);
		break;
	case RS_FAULT_TOO_LONG:
		diag_say(d, f->file, DIAG_ERROR,
		         "#! line longer than " XSTR(SHEBANG_LINE_MAX) " bytes",
		         NULL);
		break;
	case RS_FAULT_INTERP:
		diag_start(d, f->file, DIAG_ERROR);
		diag_put(d, "bad interpreter '");
		diag_name(d, f->interp);
		diag_put(d, "': ");
		diag_put(d, why);
		diag_end(d);
		hint_interp(d, f->file, f->interp, f->err);
		break;
	case RS_FAULT_LOOP:
		diag_say(d, f->file, DIAG_ERROR,
		         "too many levels of nested interpreters", NULL);
		diag_say(
		        d, f->file, DIAG_HINT,
		        "the kernel runs at most " XSTR(
		                RS_MAX_SCRIPTS) " scripts in a chain; does one "
		                                "name itself as its interpreter?",
		        NULL);
		break;
	case RS_FAULT_SELF:
		diag_start(d, f->file, DIAG_ERROR);
		diag_put(d, "its #! line names '");
		diag_name(d, f->interp);
		diag_put(d, "', which is runscript itself: it would run the "
		            "script again, for ever");
		diag_end(d);
		diag_say(d, f->file, DIAG_HINT,
		         "run the script without runscript", NULL);
		break;
	case RS_FAULT_ENV_WORDS:
		return report_env_words(d, f->file, f->interp, f->env_name);
	case RS_FAULT_MISSING:
		diag_say(d, f->file, DIAG_ERROR, "command not found", NULL);
		hint_here(d, f->file);
		break;
	}
	return f->err == ENOENT ? RS_EXIT_NOT_FOUND : RS_EXIT_CANNOT_RUN;
}

int
report_env_failure(struct diag *d, const struct rs_failure *f,
                   const char *script, const char *env, const char *name)
{
	size_t n = strlen(name);
	int status = RS_EXIT_NOT_FOUND;

	if (f->fault == RS_FAULT_MISSING)
		env_missing(d, script, env, name);
	else {
		status = report_failure(d, f);
		diag_start(d, script, DIAG_NOTE);
		diag_put(d, "its #! line runs ");
		diag_name(d, name);
		diag_put(d, " through ");
		diag_name(d, env);
		diag_end(d);
	}
	/* --check reports the carriage return on its own. */
	if (n > 0 && name[n - 1] == '\r' && !d->check)
		hint_crlf(d, script, DIAG_HINT);
	return status;
}
