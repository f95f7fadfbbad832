/*
 * --supervise, its three processes:
 * - runscript, the process the caller waits for, forks the supervisor
 *   and then waits for COMMAND's end (forward.c);
 * - the supervisor, a subreaper, forks COMMAND's process, receives the
 *   seccomp listener from it, and serves the tree (hold.c): as the
 *   parent of COMMAND and the ancestor of every orphan it may read their
 *   memory, and it stays until the last of them is gone, so that no exec
 *   of the tree ever finds its supervisor gone (which fails with ENOSYS);
 * - COMMAND's process sets NO_NEW_PRIVS, installs the filter, passes the
 *   listener on and returns to main() to run COMMAND.
 * The supervisor is never under the filter: it is forked before it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "channel.h"
#include "diag.h"
#include "forward.h"
#include "hold.h"
#include "log.h"
#include "runscript.h"
#include "supervise.h"

extern char **environ;

#ifdef __x86_64__
/*
 * The filter. On x86_64 a process may make its system calls three ways,
 * and may exec through each: the native ABI, x32 (the same architecture
 * word, numbers with bit 30 set) and i386 through int 0x80. All three
 * execs are sent to the supervisor, so that none slips by; everything
 * else is allowed, without a look at its arguments.
 */
#define LOAD(field)                                                            \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define IS(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
static const struct sock_filter program[] = {
        /* 0 */ LOAD(arch),
        /* 1 */ IS(AUDIT_ARCH_X86_64, 0, 5),
        /* 2 */ LOAD(nr),
        /* 3 */ IS(__NR_execve, 8, 0),
        /* 4 */ IS(__NR_execveat, 7, 0),
        /* 5 */ IS(0x40000000 | 520, 6, 0), /* x32 execve */
        /* 6 */ IS(0x40000000 | 545, 5, 4), /* x32 execveat */
        /* 7 */ IS(AUDIT_ARCH_I386, 0, 3),
        /* 8 */ LOAD(nr),
        /* 9 */ IS(11, 2, 0),   /* i386 execve */
        /* 10 */ IS(358, 1, 0), /* i386 execveat */
        /* 11 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        /* 12 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
};
#endif

/* seccomp(2), which musl does not wrap. */
static int
seccomp(unsigned op, unsigned flags, void *arg)
{
	return (int)syscall(SYS_seccomp, op, flags, arg);
}

/*
 * Installs the filter in this process, for it and all it runs; returns
 * the listener, or -1 with errno set.
 */
static int
install_filter(void)
{
#ifdef __x86_64__
	struct sock_fprog prog = {sizeof program / sizeof *program,
	                          (struct sock_filter *)program};
	int fd;

	/* Without it, only a process with CAP_SYS_ADMIN may add a filter. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	/*
	 * SPEC_ALLOW: a filter otherwise switches on the SSBD mitigation,
	 * which slows all compute in the tree.
	 */
	fd = seccomp(SECCOMP_SET_MODE_FILTER,
	             SECCOMP_FILTER_FLAG_NEW_LISTENER |
	                     SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	             &prog);
	if (fd == -1 && errno == EINVAL &&
	    (fd = seccomp(SECCOMP_SET_MODE_FILTER,
	                  SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog)) != -1) {
		struct diag d;

		diag_init(&d, STDERR_FILENO, 0, 0);
		diag_say(&d, "--supervise", DIAG_WARNING,
		         "the kernel refused SECCOMP_FILTER_FLAG_SPEC_ALLOW: "
		         "the tree runs with the SSBD mitigation on",
		         NULL);
	}
	return fd;
#else
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * What COMMAND's process does when the filter cannot be installed (err):
 * say so in one line and run with what still protects the tree, or
 * return 125 where nothing would.
 */
static int
without_filter(const struct options *o, int err)
{
	struct diag d;
	const char *outer = getenv(SUPERVISE_ENV);

	diag_init(&d, STDERR_FILENO, 0, 0);
	if (err == EBUSY && outer != NULL && *outer != '\0') {
		diag_say(&d, "--supervise", DIAG_WARNING,
		         "the tree is already supervised by runscript (a "
		         "seccomp listener is in place): running under it",
		         NULL);
		return 0;
	}
	if (o->tree) {
		diag_say(&d, "--supervise", DIAG_WARNING,
		         err == EBUSY
		                 ? "a seccomp listener is already in place "
		                   "(EBUSY): running with --tree's "
		                   "library only"
		                 : "no seccomp user notification here: "
		                   "running with --tree's library only",
		         strerror(err));
		return 0;
	}
	return diag_cancel("--supervise",
	                   err == EBUSY ? "a seccomp listener is already in "
	                                  "place, and nothing else would "
	                                  "protect COMMAND (add --tree)"
	                                : "cannot install the seccomp filter",
	                   err);
}

/* COMMAND's process: the filter, and its listener to the supervisor. */
static int
become_command(const struct options *o, int sock)
{
	int listener = install_filter();
	int err = listener == -1 ? errno : 0;
	char pid[24];

	if (err != 0) {
		channel_send(sock, &err, sizeof err, -1);
		close(sock);
		return without_filter(o, err);
	}
	err = channel_send(sock, &err, sizeof err, listener);
	close(listener);
	close(sock);
	if (err != 0)
		return diag_cancel("--supervise",
		                   "cannot pass the listener to the supervisor",
		                   err);
	snprintf(pid, sizeof pid, "%ld", (long)getppid());
	setenv(SUPERVISE_ENV, pid, 1);
	return 0;
}

/* Closes every descriptor but a and b, which the supervisor keeps. */
static void
close_others(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	syscall(SYS_close_range, 3, lo - 1, 0);
	syscall(SYS_close_range, lo + 1, hi - 1, 0);
	syscall(SYS_close_range, hi + 1, ~0U, 0);
}

/* The supervisor cannot go on: COMMAND's process ends with 125. */
static _Noreturn void
supervisor_fails(int report, const char *text, int err)
{
	struct report r = {REPORT_STATUS, RS_EXIT_CANCELED << 8, {0, 0, 0}};

	diag_cancel("--supervise", text, err);
	channel_send(report, &r, sizeof r, -1);
	_exit(RS_EXIT_CANCELED);
}

/*
 * The supervisor, once COMMAND's process is forked. It leaves the
 * caller's process group and descriptors, so that neither the terminal's
 * signals nor a pipe that waits for its end holds it, and ignores the
 * signals that would end it before the tree.
 */
static _Noreturn void
become_supervisor(int report, int sock, pid_t command)
{
	static const int ignored[] = {SIGINT,  SIGQUIT, SIGHUP,  SIGTERM,
	                              SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1,
	                              SIGUSR2, SIGPIPE};
	struct report r = {REPORT_PID, (int)command, {0, 0, 0}};
	int err = 0, listener, pidfd, null;

	if (channel_recv(sock, &err, sizeof err, &listener) != sizeof err)
		err = EPROTO;
	close(sock);
	pidfd = (int)syscall(SYS_pidfd_open, command, 0);
	if (pidfd == -1)
		supervisor_fails(report, "cannot follow COMMAND", errno);
	channel_send(report, &r, sizeof r, pidfd);
	close(pidfd);
	for (size_t i = 0; i < sizeof ignored / sizeof *ignored; i++)
		signal(ignored[i], SIG_IGN);
	setpgid(0, 0);
	/* Not to keep COMMAND's directory busy; where it fails, we do. */
	if (chdir("/") == -1)
		errno = 0;
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	if (listener == -1)
		listener = report; /* so that close_others() keeps one. */
	close_others(report, listener);
	hold_serve(listener == report ? -1 : listener, command, report);
}

int
supervise_tree(const struct options *o)
{
	int report[2], pair[2];
	sigset_t set, old;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, report) == -1)
		return diag_cancel("--supervise", "socketpair", errno);
	/* Signals that come before COMMAND is known are forwarded then. */
	forward_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	if ((pid = fork()) == -1)
		return diag_cancel("--supervise", "fork", errno);
	if (pid > 0) {
		close(report[1]);
		forward_until_end(report[0], rs_log_of(environ) != NULL);
	}
	close(report[0]);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == -1)
		supervisor_fails(report[1], "socketpair", errno);
	if ((pid = fork()) == -1)
		supervisor_fails(report[1], "fork", errno);
	if (pid > 0) {
		close(pair[1]);
		become_supervisor(report[1], pair[0], pid);
	}
	close(pair[0]);
	close(report[1]);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return become_command(o, pair[1]);
}
