/*
 * What --dry-run prints: the command a plan runs, on one line that pastes
 * back into a shell as the very same words: plain words go bare, others in
 * single quotes, and words with control bytes in $'...' (POSIX.1-2024).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "quote.h"

/* Whether a shell reads s, as a command's first word, as an assignment. */
static int
assignment(const char *s)
{
	size_t n =
	        strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                  "0123456789_");

	return n > 0 && (*s < '0' || *s > '9') && s[n] == '=';
}

/*
 * Whether the line must run file through env to give it argv0: a program
 * exec'd as it is, under a name that is not its path. env cannot run a
 * name with '=', which it takes for an assignment: that one is printed by
 * its path, the one case whose argv[0] differs from the run's.
 */
static int
through_env(const struct rs_plan *p, const char *file, const char *argv0)
{
	return p->run != RS_RUN_SHELL && p->depth == 0 && argv0 != NULL &&
	       strcmp(file, argv0) != 0 && strchr(argv0, '=') == NULL;
}

int
print_plan(struct rs_plan *p, char *const args[], int preload, const char *env)
{
	const char *file, *value;
	struct line l;
	char **argv;
	size_t n, i = 1;

	/*
	 * A dry run cannot ask the kernel what it makes of a file that is
	 * neither ELF nor a script: it shows what ENOEXEC would bring.
	 */
	if (p->run == RS_RUN_KERNEL)
		p->run = RS_RUN_SHELL;
	file = p->run == RS_RUN_SHELL ? RS_SHELL : p->file;
	n = rs_plan_argv(p, args, NULL);
	if ((argv = malloc((n + 1) * sizeof *argv)) == NULL)
		return errno;
	rs_plan_argv(p, args, argv);
	line_start(&l, STDOUT_FILENO, 1);
	if (preload && (value = getenv("LD_PRELOAD")) != NULL) {
		line_put(&l, "LD_PRELOAD=");
		line_word(&l, value, 1);
		line_put(&l, " ");
	}
	if (through_env(p, file, argv[0])) {
		file = env;
		i = 0;
	}
	/*
	 * Pasted into a shell, a bare name would be searched on PATH, and
	 * NAME=... would be an assignment.
	 */
	if (strchr(file, '/') == NULL && file != env)
		line_put(&l, "./");
	line_word(&l, file, !assignment(file));
	/* env would take a name that starts with '-' for an option. */
	if (i == 0 && argv[0][0] == '-')
		line_put(&l, " --");
	for (; i < n; i++) {
		line_put(&l, " ");
		line_word(&l, argv[i], 1);
	}
	free(argv);
	return line_end(&l);
}
