/*
 * Running a command as execvp(3) would, for the runscript binary: the core's
 * run (src/core/run.c) with an exec in place, or a dry run's record, and
 * the failure kept to report.
 */
#ifndef ATTEMPT_H
#define ATTEMPT_H

#include "diag.h"
#include "resolve.h"

struct options {
	struct diag *diag; /* where to report */
	int dry_run;       /* -n: print the plan instead of running it */
	int split;         /* -S: split #! arguments at blanks */
	int tree;          /* --tree: preload librunscript.so below */
	int check;         /* --check: lint the operands, run nothing */
	int quiet;         /* -q: with --check, the exit status only */
	int supervise;     /* --supervise: hold busy execs of the tree */
	const char *log;   /* --log FILE, or NULL */
};

/* What a run that returns leaves: a dry run's command, or a failure. */
struct outcome {
	int err;     /* 0: a dry run's command is in file and argv */
	char *file;  /* the file it would exec */
	char **argv; /* and the argv it would get */
	char *env;   /* the env whose job found file, or NULL */
	struct rs_failure f;
	char *strings; /* what f's strings point into */
};

/*
 * Runs args[0] with args as execvp(3) would, unless o asks for a dry run,
 * and returns only if it cannot, or for a dry run: out says what to print.
 * The failure's strings are kept for as long as out is.
 */
void run_command(char *args[], const struct options *o, struct outcome *out);

/* Gives back what run_command() kept in out. */
void outcome_free(struct outcome *out);

#endif
