/*
 * The resolver: what the kernel would run for a file, decided in user space
 * without running anything. Given a file, it returns a plan (the file to
 * exec and the argv it gets) or a failure (what failed, on which file, with
 * which errno). It execs, prints, exits and allocates nothing (memory is
 * the caller's: a struct rs_plan and an arena for the bytes read), keeps
 * no state, and makes only async-signal-safe calls, so that it can run in
 * a child between fork and exec, or in many threads at once.
 */
#ifndef RESOLVE_H
#define RESOLVE_H

#include <stddef.h>

#include "load.h"
#include "runscript.h"

/* How a plan runs. */
enum rs_run {
	RS_RUN_EXEC,   /* exec file, which the kernel loads as it is (ELF) */
	RS_RUN_KERNEL, /* exec file, neither ELF nor #!: binfmt_misc or ENOEXEC
	                */
	RS_RUN_SHELL,  /* the kernel answers ENOEXEC: RS_SHELL SCRIPT ARG... */
	RS_RUN_ENV,    /* file is env, given a command name: execvp() it */
};

struct rs_plan {
	enum rs_run run;
	const char *script; /* the script, as found */
	const char *file;   /* the file to exec: the chain's last */
	size_t depth;       /* #! lines in the chain, each adding to argv */
	size_t lines;       /* #! lines read well, for --check to look at */
	int bom;            /* script has a UTF-8 byte order mark before #! */
	struct rs_level level[RS_MAX_SCRIPTS + 1];
};

/* An arena of this size resolves any chain, long #! lines and all. */
#define RS_RESOLVE_MAX                                                         \
	((size_t)(RS_MAX_SCRIPTS + 2) * (SHEBANG_BUF_SIZE + BINPRM_BUF_SIZE))

/* What failed, named for the message it gets. */
enum rs_fault {
	RS_FAULT_SCRIPT,    /* file, the script itself, cannot be run */
	RS_FAULT_READ,      /* file's #! line cannot be read */
	RS_FAULT_TOO_LONG,  /* file's #! line is over SHEBANG_LINE_MAX */
	RS_FAULT_INTERP,    /* file's #! line names interp, which cannot run */
	RS_FAULT_LOOP,      /* file's interpreter chain is too deep */
	RS_FAULT_EXEC,      /* the exec of file failed */
	RS_FAULT_MISSING,   /* a PATH search for file found nothing */
	RS_FAULT_SELF,      /* file's #! line names runscript itself */
	RS_FAULT_ENV_WORDS, /* file's #! line gives env, interp, one argument
	                       with blanks, env_name, that names no command */
};

struct rs_failure {
	enum rs_fault fault;
	int err;            /* the errno the kernel would give */
	const char *file;   /* the file at fault */
	const char *interp; /* with RS_FAULT_INTERP: the interpreter named */
	/*
	 * Within env's job: the script whose #! line gave env its command,
	 * env, and the command name; NULL otherwise.
	 */
	const char *env_script, *env, *env_name;
};

/* How rs_resolve() goes about it. */
enum {
	RS_SPLIT = 1, /* -S: split each #! argument at blanks */
	RS_LINT = 2,  /* read the script even if it may not be exec'd */
};

/*
 * Resolves path, relative to dirfd (AT_FDCWD: the current directory), as
 * the kernel's execve(2) would run it, as flags say, reading into the
 * arena a. Returns 0 with p set, an errno with f set, or RS_NOROOM when a
 * lent too little (a->need says how much would do); strings in p and f
 * point into path and a.
 */
int rs_resolve(int dirfd, const char *path, unsigned flags, struct rs_plan *p,
               struct rs_failure *f, struct rs_arena *a);

/*
 * Whether interp, named on a #! line, is env(1): where the systems that
 * runscript runs on keep coreutils' env, which runscript may stand in for.
 */
int rs_is_env(const char *interp);

/*
 * The argv the plan's exec gets, for a script run with args (args[0] being
 * the name it was given as): stores it with its NULL in out when out is not
 * NULL, and returns the count of strings. That of an RS_RUN_ENV plan is
 * env's own: env, then what it passes to execvp(3).
 */
size_t rs_plan_argv(struct rs_plan *p, char *const args[], char **out);

/*
 * Makes p a plan that leaves path to the kernel: exec it as it is, for the
 * kernel to answer. For a caller that would rather not report a failure.
 */
void rs_plan_direct(struct rs_plan *p, const char *path);

#endif
