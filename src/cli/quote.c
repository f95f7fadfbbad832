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
 * exec'd under a name that is not its path, as a PATH search gives it.
 * env cannot run a name with '=', which it takes for an assignment: that
 * one is printed by its path, the one case whose argv[0] differs from the
 * run's.
 */
static int
through_env(const char *file, const char *argv0)
{
	return argv0 != NULL && strcmp(file, argv0) != 0 &&
	       strchr(argv0, '=') == NULL;
}

int
print_plan(const char *file, char *const argv[], int preload, const char *env)
{
	const char *value;
	struct line l;
	size_t i = argv[0] != NULL;
	int env_runs = through_env(file, argv[0]);

	line_start(&l, STDOUT_FILENO, 1);
	if (preload && (value = getenv("LD_PRELOAD")) != NULL) {
		line_put(&l, "LD_PRELOAD=");
		line_word(&l, value, 1);
		line_put(&l, " ");
	}
	if (env_runs) {
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
	if (env_runs && argv[0][0] == '-')
		line_put(&l, " --");
	for (; argv[i] != NULL; i++) {
		line_put(&l, " ");
		line_word(&l, argv[i], 1);
	}
	return line_end(&l);
}
