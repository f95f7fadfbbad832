/*
 * Running a command as execvp(3) would, for the runscript binary: each
 * file resolved (src/resolve.c) and exec'd (src/exec.c) in turn, PATH
 * candidate by candidate, keeping the failure to report.
 */
#ifndef ATTEMPT_H
#define ATTEMPT_H

#include "diag.h"
#include "path.h"
#include "resolve.h"

struct options {
	struct diag *diag; /* where to report */
	int dry_run;       /* -n: print the plan instead of running it */
	int split;         /* -S: split #! arguments at blanks */
	int tree;          /* --tree: preload librunscript.so below */
	int check;         /* --check: lint the operands, run nothing */
	int quiet;         /* -q: with --check, the exit status only */
};

/*
 * An attempt's err when its plan runs env on one argument with blanks that
 * names no command (env_words()): to report as env's command not found.
 */
#define ATTEMPT_ENV_WORDS (-1)

/* One try at running a file: its plan, or why it failed. */
struct attempt {
	int err;
	char **args;               /* the argv it runs with */
	struct attempt *env;       /* whose #!/usr/bin/env named it, if any */
	char **env_args;           /* for env's job: its argv... */
	struct attempt *env_slots; /* ...and its attempts */
	struct rs_failure f;
	struct rs_plan plan;
	char name[RS_CANDIDATE_MAX]; /* the candidate of a PATH search */
};

/*
 * Runs args[0] with args as execvp(3) would, unless o asks for a dry run;
 * returns the attempt with the plan to print (err 0) or the failure to
 * report. slot is room for three attempts.
 */
struct attempt *run_command(struct attempt slot[3], char *args[],
                            const struct options *o);

/* Gives back what run_command() allocated for env's jobs, once done. */
void run_command_free(struct attempt *a);

#endif
