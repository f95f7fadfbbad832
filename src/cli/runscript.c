/*
 * runscript — run a script through the interpreter on its #! line, exactly
 * as the kernel would, without ever exec'ing the script itself.
 *
 * main() reads the options, refuses to run set-id, then runs SCRIPT as
 * execvp(3) would (src/cli/attempt.c, over the core's src/core/run.c),
 * which returns only for a dry run, whose command it prints (-n,
 * src/cli/quote.c), or to report why SCRIPT could not run (hint.c,
 * through diag.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "attempt.h"
#include "check.h"
#include "diag.h"
#include "hint.h"
#include "logname.h"
#include "quote.h"
#include "supervise.h"
#include "tree.h"

/* Long options without a letter, valued past any char getopt returns. */
enum { OPT_TREE = UCHAR_MAX + 1, OPT_CHECK, OPT_SUPERVISE, OPT_LOG };

static const char usage_text[] =
        "Usage: runscript [OPTION]... [--] SCRIPT [ARG]...\n"
        "  or:  runscript --tree [OPTION]... [--] COMMAND [ARG]...\n"
        "  or:  runscript [--tree] --supervise [OPTION]... [--] COMMAND [ARG]...\n"
        "  or:  runscript --check [-qS] [--] FILE...\n"
        "Run SCRIPT through the interpreter named on its #! line, exactly as the\n"
        "kernel would, but without the kernel exec'ing SCRIPT itself, so that a\n"
        "script still open for writing somewhere cannot fail with \"Text file busy\".\n"
        "\n"
        "  -n, --dry-run  Print the command that would run, shell-quoted, and exit.\n"
        "  -S, --split    Split each #! argument at spaces and tabs into several.\n"
        "      --tree     Run COMMAND so that every program it starts, and so on\n"
        "                 down the tree, runs its scripts this way too.\n"
        "      --supervise  Run COMMAND under a supervisor that holds each exec\n"
        "                 of the tree while its file is open for writing. It\n"
        "                 reaches what --tree cannot: Go and static programs.\n"
        "      --log FILE Append one line to FILE for each exec held. The same\n"
        "                 as RUNSCRIPT_LOG=FILE; --supervise adds a summary.\n"
        "      --check    Run nothing: report on standard output what would make\n"
        "                 each FILE fail to run, or run otherwise than meant, as\n"
        "                 FILE:LINE: lines.\n"
        "  -q, --quiet    With --check, report nothing: the exit status tells.\n"
        "  -h, --help     Display this help and exit.\n"
        "  -V, --version  Output version information and exit.\n"
        "\n"
        "A SCRIPT without a slash is searched for in PATH, as execvp(3) does.\n"
        "Exit status: that of SCRIPT; 125 if runscript itself fails, 126 if SCRIPT\n"
        "or its interpreter cannot be run, 127 if either is not found. With\n"
        "--check: 0 if no FILE has an error (warnings aside), 1 if one has.\n"
        "\n"
        "Under --supervise the whole tree runs with NO_NEW_PRIVS: set-user-ID\n"
        "programs such as sudo run without their privileges. COMMAND's parent\n"
        "is runscript, and /proc/PID/status shows a seccomp filter. It needs\n"
        "Linux 5.9 or later with seccomp user notification.\n";

static const char version_text[] =
        "runscript " RS_VERSION "\n"
        "Copyright (C) 2026 The runscript authors.\n"
        "License ISC: <https://opensource.org/license/isc-license-txt>.\n"
        "This is free software: you are free to change and redistribute it.\n"
        "There is NO WARRANTY, to the extent permitted by law.\n";

static void
print_and_exit(const char *text)
{
	if (fputs(text, stdout) == EOF || fflush(stdout) == EOF)
		exit(diag_write_error(errno));
	exit(0);
}

/*
 * getopt_long() leaves optopt at 0 for an unknown long option and at the
 * option's own value for a known long option given an argument; any
 * other letter is an unknown short option. No short option takes an
 * argument, so a known letter in optopt is a long option's.
 */
static void
bad_option(const char *arg)
{
	char c = (char)optopt;

	if (optopt == 0)
		exit(diag_usage("unrecognized option ", arg, strlen(arg), ""));
	if (optopt == OPT_LOG)
		exit(diag_usage("option ", arg, strlen(arg),
		                " requires an argument"));
	if (optopt > UCHAR_MAX || strchr("nSqhV", optopt) != NULL)
		exit(diag_usage("option ", arg, strcspn(arg, "="),
		                " doesn't allow an argument"));
	exit(diag_usage("invalid option -- ", &c, 1, ""));
}

/* Parses the options and returns the index of the SCRIPT operand. */
static int
parse_options(int argc, char *argv[], struct options *o)
{
	/* The leading '+' stops at SCRIPT: what follows is the script's. */
	static const char shortopts[] = "+nSqhV";
	static const struct option longopts[] = {
	        {"dry-run", no_argument, NULL, 'n'},
	        {"split", no_argument, NULL, 'S'},
	        {"tree", no_argument, NULL, OPT_TREE},
	        {"supervise", no_argument, NULL, OPT_SUPERVISE},
	        {"log", required_argument, NULL, OPT_LOG},
	        {"check", no_argument, NULL, OPT_CHECK},
	        {"quiet", no_argument, NULL, 'q'},
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
		case OPT_TREE:
			o->tree = 1;
			break;
		case OPT_SUPERVISE:
			o->supervise = 1;
			break;
		case OPT_LOG:
			o->log = optarg;
			break;
		case OPT_CHECK:
			o->check = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			print_and_exit(usage_text);
			break;
		case 'V':
			print_and_exit(version_text);
			break;
		default:
			bad_option(argv[optind - 1]);
		}
	}
	if (o->quiet && !o->check)
		exit(diag_usage("option ", "-q", 2, " goes with --check only"));
	if (o->check && (o->dry_run || o->tree || o->supervise))
		exit(diag_usage("option ", "--check", 7,
		                " runs nothing: it takes no -n, --tree or "
		                "--supervise"));
	if (o->supervise && o->dry_run)
		exit(diag_usage("option ", "--supervise", 11,
		                " runs COMMAND: it takes no -n"));
	if (optind == argc)
		exit(diag_usage(o->check ? "missing FILE operand"
		                : o->tree || o->supervise
		                        ? "missing COMMAND operand"
		                        : "missing SCRIPT operand",
		                NULL, 0, ""));
	return optind;
}

int
main(int argc, char *argv[])
{
	struct diag diag;
	struct options o = {&diag, 0, 0, 0, 0, 0, 0, NULL};
	struct outcome out = {0};
	char **args = argv + parse_options(argc, argv, &o);
	int err;

	/*
	 * Set-uid, set-gid or given file capabilities, runscript would run
	 * any interpreter a script names with privileges the caller does not
	 * have. AT_SECURE is the kernel's word for all of them.
	 */
	if (getauxval(AT_SECURE) || getuid() != geteuid() ||
	    getgid() != getegid())
		return diag_setid();
	diag_init(&diag, STDERR_FILENO, 0, 0);
	if (o.check)
		return check_files(args, o.quiet, o.split);
	if (o.log != NULL && (err = log_name(o.log)) != 0)
		return err;
	if (o.tree && (err = tree_preload()) != 0)
		return err;
	/* What the library cannot reach, the supervisor can. */
	if (o.tree && !o.supervise)
		tree_warn_unreached(args[0]);
	/* Returns here in COMMAND's process only, under the filter. */
	if (o.supervise && (err = supervise_tree(&o)) != 0)
		return err;
	run_command(args, &o, &out);
	/* Only a dry run gets here with a command. */
	if (out.err == 0) {
		err = print_plan(out.file, out.argv, o.tree,
		                 out.env != NULL ? out.env : "env");
		if (err != 0)
			err = diag_write_error(err);
	} else if (out.f.env != NULL)
		err = report_env_failure(&diag, &out.f, out.f.env_script,
		                         out.f.env, out.f.env_name);
	else
		err = report_failure(&diag, &out.f);
	outcome_free(&out);
	return err;
}
