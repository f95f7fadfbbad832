/*
 * runscript — run a script through the interpreter on its #! line, exactly
 * as the kernel would, without ever exec'ing the script itself.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "runscript.h"

static const char usage_text[] =
        "Usage: runscript [OPTION]... [--] SCRIPT [ARG]...\n"
        "Run SCRIPT through the interpreter named on its #! line, exactly as the\n"
        "kernel would, but without the kernel exec'ing SCRIPT itself, so that a\n"
        "script still open for writing somewhere cannot fail with \"Text file busy\".\n"
        "\n"
        "  -n, --dry-run  print the command that would run, shell-quoted, and exit\n"
        "  -S, --split    split the #! argument at spaces and tabs into several\n"
        "  -h, --help     display this help and exit\n"
        "  -V, --version  output version information and exit\n"
        "\n"
        "A SCRIPT without a slash is searched for in PATH, as execvp(3) does.\n"
        "Exit status: that of SCRIPT; 125 if runscript itself fails, 126 if SCRIPT\n"
        "or its interpreter cannot be run, 127 if either is not found.\n";

/* Ends a usage error, whose message the caller has begun on stderr. */
static void
usage_error(void)
{
	fputs("\nTry 'runscript --help' for more information.\n", stderr);
	exit(RS_EXIT_USAGE);
}

static void
print_and_exit(const char *text)
{
	if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
		perror("runscript: write error");
		exit(RS_EXIT_USAGE);
	}
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
	if (optopt == 0)
		fprintf(stderr, "runscript: unrecognized option '%s'", arg);
	else if (strchr("nShV", optopt) != NULL)
		fprintf(stderr,
		        "runscript: option '%.*s' doesn't allow an argument",
		        (int)strcspn(arg, "="), arg);
	else
		fprintf(stderr, "runscript: invalid option -- '%c'", optopt);
	usage_error();
}

/* Parses the options and returns the index of the SCRIPT operand. */
static int
parse_options(int argc, char *argv[], struct rs_options *o)
{
	/* The leading '+' stops at SCRIPT: what follows is the script's. */
	static const char shortopts[] = "+nShV";
	static const struct option longopts[] = {
	        {"dry-run", no_argument, NULL, 'n'},
	        {"split", no_argument, NULL, 'S'},
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
	if (optind == argc) {
		fputs("runscript: missing SCRIPT operand", stderr);
		usage_error();
	}
	return optind;
}

int
main(int argc, char *argv[])
{
	struct rs_options o = {0};
	int script = parse_options(argc, argv, &o);

	/*
	 * Set-uid or set-gid, runscript would run any interpreter a script
	 * names with privileges the caller does not have.
	 */
	if (getuid() != geteuid() || getgid() != getegid()) {
		fputs("runscript: refusing to run set-uid or set-gid: real and "
		      "effective ids differ\n",
		      stderr);
		return RS_EXIT_USAGE;
	}
	return exec_script(&argv[script], &o);
}
