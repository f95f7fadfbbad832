/*
 * The process the caller waits for, under --supervise. It is not
 * COMMAND's parent (the supervisor is), so it learns of COMMAND from the
 * supervisor's reports, and it acts as the caller expects of a wrapper
 * that stays, as timeout(1) does:
 * - it ignores the terminal's SIGINT and SIGQUIT, which reach COMMAND in
 *   the same process group, and forwards TERM, HUP, USR1 and USR2;
 * - it stops while COMMAND is stopped, so that the shell, which waits
 *   for this process with WUNTRACED, sees the job stop (Ctrl-Z), and it
 *   continues COMMAND when it is continued itself (fg);
 * - it exits with COMMAND's status, or dies of COMMAND's death signal,
 *   with core dumps off so that only COMMAND leaves one.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channel.h"
#include "diag.h"
#include "forward.h"
#include "runscript.h"

/* COMMAND's pidfd, for the signal handler; -1 until it is known. */
static volatile sig_atomic_t command_fd = -1;

static void
pass_on(int sig)
{
	int saved = errno;

	if (command_fd != -1)
		syscall(SYS_pidfd_send_signal, (int)command_fd, sig, NULL, 0);
	errno = saved;
}

void
forward_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
}

/* Whether process pid is stopped now, as /proc/PID/stat says. */
static int
stopped(pid_t pid)
{
	char path[64], buf[512], *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The name in parentheses may hold anything, a ')' too. */
	paren = strrchr(buf, ')');
	return paren != NULL && paren[1] == ' ' &&
	       (paren[2] == 'T' || paren[2] == 't');
}

/* Ends as COMMAND ended, by status. */
static _Noreturn void
end_as(int status)
{
	struct rlimit no_core = {0, 0};
	sigset_t set;
	int sig;

	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	sig = WTERMSIG(status);
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* A signal whose default is not to end a process. */
	exit(128 + sig);
}

static void
print_summary(const struct tally *t)
{
	fprintf(stderr,
	        "runscript: --supervise: %lu execs seen, %lu held, the "
	        "longest for %lu ms\n",
	        t->seen, t->held, t->max_ms);
}

void
forward_until_end(int chan, int summary)
{
	struct sigaction sa;
	struct report r;
	sigset_t set;
	pid_t command = -1;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	/* A stop is COMMAND's to take; this process follows it. */
	sigaction(SIGTSTP, &sa, NULL);
	sa.sa_handler = pass_on;
	sa.sa_flags = SA_RESTART;
	forward_signals(&set);
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&set, sig) == 1)
			sigaction(sig, &sa, NULL);
	for (;;) {
		int fd;
		long n = channel_recv(chan, &r, sizeof r, &fd);

		if (n != (long)sizeof r)
			exit(diag_cancel("--supervise",
			                 "the supervisor ended before COMMAND",
			                 n == -1 ? errno : 0));
		switch (r.kind) {
		case REPORT_PID:
			command = r.value;
			command_fd = fd;
			/* Signals held back until now go to COMMAND. */
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			break;
		case REPORT_STOPPED:
			if (command != -1 && stopped(command)) {
				kill(getpid(), SIGSTOP);
				pass_on(SIGCONT);
			}
			break;
		case REPORT_STATUS:
			sigprocmask(SIG_BLOCK, &set, NULL);
			if (summary)
				print_summary(&r.tally);
			end_as(r.value);
		}
	}
}
