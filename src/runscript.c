/*
 * runscript — run a script through the interpreter on its #! line, exactly
 * as the kernel would, without ever exec'ing the script itself.
 *
 * main() reads the options, refuses to run set-id, then resolves SCRIPT
 * (src/resolve.c, through the PATH search of src/path.c for a bare name)
 * and either prints the plan (-n, src/quote.c) or execs it (src/exec.c);
 * what is left to do is to report why not (src/diag.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "exec.h"
#include "path.h"
#include "quote.h"
#include "resolve.h"
#include "tree.h"

extern char **environ;

struct options {
	int dry_run; /* -n: print the plan instead of running it */
	int split;   /* -S: split #! arguments at blanks */
	int tree;    /* --tree: preload librunscript.so for the whole tree */
};

/* One try at running a file: its plan, or why it failed. */
struct attempt {
	int err;
	struct rs_failure f;
	struct rs_plan plan;
	char name[RS_CANDIDATE_MAX]; /* the candidate of a PATH search */
};

static const char usage_text[] =
        "Usage: runscript [OPTION]... [--] SCRIPT [ARG]...\n"
        "  or:  runscript --tree [OPTION]... [--] COMMAND [ARG]...\n"
        "Run SCRIPT through the interpreter named on its #! line, exactly as the\n"
        "kernel would, but without the kernel exec'ing SCRIPT itself, so that a\n"
        "script still open for writing somewhere cannot fail with \"Text file busy\".\n"
        "\n"
        "  -n, --dry-run  Print the command that would run, shell-quoted, and exit.\n"
        "  -S, --split    Split each #! argument at spaces and tabs into several.\n"
        "      --tree     Run COMMAND so that every program it starts, and so on\n"
        "                 down the tree, runs its scripts this way too.\n"
        "  -h, --help     Display this help and exit.\n"
        "  -V, --version  Output version information and exit.\n"
        "\n"
        "A SCRIPT without a slash is searched for in PATH, as execvp(3) does.\n"
        "Exit status: that of SCRIPT; 125 if runscript itself fails, 126 if SCRIPT\n"
        "or its interpreter cannot be run, 127 if either is not found.\n";

static void
print_and_exit(const char *text)
{
	if (fputs(text, stdout) == EOF || fflush(stdout) == EOF)
		exit(diag_write_error(errno));
	exit(0);
}

/*
 * getopt_long() leaves optopt at 0 for an unknown long option and at the
 * option's own letter for a known long option given an argument; any
 * other letter is an unknown short option.
 */
static void
bad_option(const char *arg)
{
	char c = (char)optopt;

	if (optopt == 0)
		exit(diag_usage("unrecognized option ", arg, strlen(arg), ""));
	if (strchr("nSThV", optopt) != NULL)
		exit(diag_usage("option ", arg, strcspn(arg, "="),
		                " doesn't allow an argument"));
	exit(diag_usage("invalid option -- ", &c, 1, ""));
}

/* Parses the options and returns the index of the SCRIPT operand. */
static int
parse_options(int argc, char *argv[], struct options *o)
{
	/* The leading '+' stops at SCRIPT: what follows is the script's. */
	static const char shortopts[] = "+nShV";
	static const struct option longopts[] = {
	        {"dry-run", no_argument, NULL, 'n'},
	        {"split", no_argument, NULL, 'S'},
	        {"tree", no_argument, NULL, 'T'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, 'V'},
	        {NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->dry_run = 1;
			break;
		case 'S':
			o->split = 1;
			break;
		case 'T':
			o->tree = 1;
			break;
		case 'h':
			print_and_exit(usage_text);
			break;
		case 'V':
			print_and_exit("runscript " RS_VERSION "\n");
			break;
		default:
			bad_option(argv[optind - 1]);
		}
	}
	if (optind == argc)
		exit(diag_usage("missing SCRIPT operand", NULL, 0, ""));
	return optind;
}

static int
execve_in_place(void *ctx, const char *file, char *const argv[],
                char *const envp[])
{
	(void)ctx;
	execve(file, argv, envp);
	return errno;
}

/*
 * Resolves file and, unless this is a dry run, execs what it resolves to.
 * Returns with a plan to print (err 0) or a failure.
 */
static struct attempt *
attempt(struct attempt *a, const char *file, char *args[],
        const struct options *o)
{
	static const struct rs_starter in_place = {execve_in_place, NULL};

	a->err = rs_resolve(AT_FDCWD, file, o->split, &a->plan, &a->f);
	if (a->err == 0 && a->plan.bom)
		diag_bom(file);
	if (a->err == 0 && !o->dry_run)
		a->err = rs_exec(&a->plan, args, environ, RS_ENOEXEC_SHELL,
		                 &in_place, &a->f);
	return a;
}

/* The one slot of three that neither kept failure holds. */
static struct attempt *
free_slot(struct attempt slot[3], const struct attempt *x,
          const struct attempt *y)
{
	struct attempt *a = slot;

	while (a == x || a == y)
		a++;
	return a;
}

/* A search for name that ends with err and no candidate to blame. */
static struct attempt *
not_run(struct attempt *a, const char *name, int err)
{
	a->err = err;
	a->f.fault = err == ENOENT ? RS_FAULT_MISSING : RS_FAULT_SCRIPT;
	a->f.err = err;
	a->f.file = name;
	a->f.interp = NULL;
	return a;
}

/*
 * execvp(3)'s PATH search (glibc's posix/execvpe.c): each candidate is
 * attempted in turn, past those that do not exist or may not be run. The
 * search fails as execvp does: with the first candidate refused for
 * permission, else the last one's errno. It is reported with the last
 * candidate that exists, which failed that way, if any.
 */
static struct attempt *
search(struct attempt slot[3], char *args[], const struct options *o)
{
	struct attempt *a = slot, *eacces = NULL, *found = NULL;
	struct rs_path path;
	int err = rs_path_start(&path, args[0], getenv("PATH"));

	if (err != 0)
		return not_run(a, args[0], err);
	err = ENOENT; /* what a PATH without a candidate ends with */
	for (;;) {
		a = free_slot(slot, eacces, found);
		if (rs_path_next(&path, a->name) == NULL)
			break;
		err = attempt(a, a->name, args, o)->err;
		if (err == 0 || !rs_path_goes_on(err))
			return a;
		if (err == EACCES && eacces == NULL)
			eacces = a;
		else if (a->f.fault != RS_FAULT_SCRIPT ||
		         (err != ENOENT && err != ENOTDIR)) {
			/* It exists, and failed for another reason. */
			if (found != NULL)
				rs_plan_release(&found->plan);
			found = a;
		} else
			rs_plan_release(&a->plan);
	}
	if (eacces != NULL)
		return eacces;
	if (found != NULL && found->err == err)
		return found;
	return not_run(a, args[0], err);
}

int
main(int argc, char *argv[])
{
	struct options o = {0, 0, 0};
	struct attempt slot[3], *a;
	char **args = argv + parse_options(argc, argv, &o);
	int err;

	/*
	 * Set-uid or set-gid, runscript would run any interpreter a script
	 * names with privileges the caller does not have.
	 */
	if (getuid() != geteuid() || getgid() != getegid())
		return diag_setid();
	if (o.tree && (err = tree_preload()) != 0)
		return err;
	if (strchr(args[0], '/') != NULL)
		a = attempt(slot, args[0], args, &o);
	else
		a = search(slot, args, &o);
	/* Only a dry run gets here with a plan. */
	if (a->err == 0) {
		err = print_plan(&a->plan, args, o.tree);
		return err == 0 ? 0 : diag_write_error(err);
	}
	return diag_failure(&a->f);
}
