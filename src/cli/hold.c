/*
 * The supervisor: one thread, one ppoll(2) loop over the seccomp listener
 * and a signalfd for SIGCHLD, with a list of held execs and the time of
 * each one's next probe. A probe is one system call that does not block,
 * so one loop serves any number of execs at once, and a busy file holds
 * only the execs of that file: the others are answered as they come.
 *
 * Whether a file is open for writing anywhere is asked of the kernel by
 * exec'ing it ourselves with an argv pointer to a page we cannot read:
 * the kernel denies write access (ETXTBSY) when it opens the file, before
 * it copies argv (EFAULT), so the probe never runs anything. Once no
 * write descriptor is left, a fork cannot make one, so an exec let go
 * then does not fail with ETXTBSY for the race this project is about.
 */
/* ppoll(2), for the backoff's microseconds. */
#define _GNU_SOURCE // NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "hold.h"
#include "log.h"
#include "runscript.h"
#include "shebang.h"
#include "target.h"

/* The backoff of a held exec: 100 us, doubling, at most 20 ms apart. */
#define FIRST_NS 100000LL
#define STEP_NS  20000000LL
/* As long as runscript's own retry: 1 + 2 + 4 ... ms, RS_BUSY_RETRIES. */
#define HOLD_NS (((1LL << RS_BUSY_RETRIES) - 1) * 1000000LL)

/* x32's system call numbers carry this bit. */
#define X32_BIT 0x40000000

/* An exec held while its file (or its interpreter) is busy. */
struct held {
	unsigned long long id;
	long long since, next, step; /* CLOCK_MONOTONIC, ns */
	struct target t;
};

struct supervisor {
	int listener, report;
	const char *log; /* RUNSCRIPT_LOG's file, or NULL */
	pid_t command;
	int command_done;
	char *const *unreadable; /* the probe's argv: a PROT_NONE page */
	struct held *held;
	size_t nheld, room;
	struct tally tally;
};

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * ioctl(2) on the listener, through syscall(2): musl's ioctl() takes the
 * request as an int, which seccomp's requests overflow.
 */
static int
notif_ioctl(const struct supervisor *s, unsigned long request, void *arg)
{
	return (int)syscall(SYS_ioctl, s->listener, request, arg);
}

/* Whether id still names an exec that waits for our answer. */
static int
id_valid(const struct supervisor *s, unsigned long long id)
{
	return notif_ioctl(s, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* Lets the exec id go on as the process made it. */
static void
let_go(const struct supervisor *s, unsigned long long id)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof resp);
	resp.id = id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* ENOENT: the process is gone, or no longer waits; nothing to do. */
	while (notif_ioctl(s, SECCOMP_IOCTL_NOTIF_SEND, &resp) == -1 &&
	       errno == EINTR)
		;
}

/* Whether the kernel would refuse to exec file with ETXTBSY right now. */
static int
probe_busy(const struct supervisor *s, const char *file)
{
	/* An argv of NULL would run the file: no page, no probe. */
	if (s->unreadable == NULL) {
		errno = 0;
		return 0;
	}
	syscall(SYS_execve, file, s->unreadable, s->unreadable);
	return errno == ETXTBSY;
}

/*
 * Whether t's file, or an interpreter of its #! chain, is busy: the kernel
 * opens each one for exec in turn, and each one open for writing fails.
 */
static int
busy(const struct supervisor *s, const struct target *t)
{
	/* shebang_parse() may end a line that fills the buffer past it. */
	char file[TARGET_MAX], buf[BINPRM_BUF_SIZE + 2];
	struct shebang sb;

	memcpy(file, t->reach, sizeof file);
	for (int level = 0; level <= RS_MAX_SCRIPTS; level++) {
		ssize_t n;
		int fd;

		if (probe_busy(s, file))
			return 1;
		/* Anything but EFAULT: the exec fails for another reason. */
		if (errno != EFAULT)
			return 0;
		fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd == -1)
			return 0;
		n = read(fd, buf, BINPRM_BUF_SIZE);
		close(fd);
		if (n <= 2 || buf[0] != '#' || buf[1] != '!' ||
		    shebang_parse(buf, (size_t)n, &sb) != SHEBANG_OK ||
		    *sb.interp == '\0' ||
		    target_interp(t->pid, sb.interp, file) != 0)
			return 0;
	}
	return 0;
}

static void
hold(struct supervisor *s, unsigned long long id, const struct target *t)
{
	struct held *h;

	if (s->nheld == s->room) {
		size_t room = s->room == 0 ? 16 : 2 * s->room;
		struct held *more = realloc(s->held, room * sizeof *more);

		if (more == NULL) {
			let_go(s, id);
			return;
		}
		s->held = more, s->room = room;
	}
	h = &s->held[s->nheld++];
	h->id = id;
	h->since = now_ns();
	h->step = FIRST_NS;
	h->next = h->since + h->step;
	memcpy(&h->t, t, sizeof *t);
	s->tally.held++;
}

/* Takes exec i off the list: its process is gone, or it was let go. */
static void
drop(struct supervisor *s, size_t i)
{
	if (i != --s->nheld)
		memcpy(&s->held[i], &s->held[s->nheld], sizeof *s->held);
}

/* The log's line about an exec held for ms milliseconds, in its process. */
static void
log_held(const struct supervisor *s, const struct held *h, unsigned long ms)
{
	char n[21];
	const char *line[] = {h->t.path, " was busy for ", rs_decimal(n, ms),
	                      " ms; held the exec", NULL};

	rs_log(s->log, h->t.pid, line);
}

/* Which system call n is: 1 for execveat, 0 for execve, -1 for neither. */
static int
which_exec(const struct seccomp_data *d)
{
#ifdef __x86_64__
	if (d->arch == AUDIT_ARCH_I386)
		return d->nr == 358 ? 1 : d->nr == 11 ? 0 : -1;
	if (d->nr == (X32_BIT | 545))
		return 1;
	if (d->nr == (X32_BIT | 520))
		return 0;
#endif
	return d->nr == __NR_execveat ? 1 : d->nr == __NR_execve ? 0 : -1;
}

/* A new exec of the tree: let it go, or hold it while it is busy. */
static void
receive(struct supervisor *s)
{
	/* The kernel's struct seccomp_notif may be larger than ours. */
	static union {
		struct seccomp_notif n;
		/* cppcheck-suppress unusedStructMember */
		char room[4096];
	} u;
	static struct target t;
	struct seccomp_notif *n = &u.n;
	int kind;

	memset(&u, 0, sizeof u);
	if (notif_ioctl(s, SECCOMP_IOCTL_NOTIF_RECV, n) == -1)
		return; /* EINTR, or ENOENT: its process is gone. */
	s->tally.seen++;
	kind = which_exec(&n->data);
	if (kind == -1 ||
	    target_read(&t, (pid_t)n->pid, kind, n->data.args) != 0) {
		let_go(s, n->id);
		return;
	}
	/* What we read belongs to this exec only while it still waits. */
	if (!id_valid(s, n->id))
		return;
	if (busy(s, &t))
		hold(s, n->id, &t);
	else
		let_go(s, n->id);
}

/* Probes again each held exec whose time has come. */
static void
retry(struct supervisor *s)
{
	long long now = now_ns();

	for (size_t i = 0; i < s->nheld;) {
		struct held *h = &s->held[i];
		unsigned long ms;

		if (h->next > now) {
			i++;
			continue;
		}
		if (!id_valid(s, h->id)) {
			drop(s, i);
			continue;
		}
		if (busy(s, &h->t) && now - h->since < HOLD_NS) {
			h->step = h->step * 2 < STEP_NS ? h->step * 2 : STEP_NS;
			h->next = now + h->step;
			i++;
			continue;
		}
		ms = (unsigned long)((now - h->since + 999999) / 1000000);
		if (ms > s->tally.max_ms)
			s->tally.max_ms = ms;
		log_held(s, h, ms);
		let_go(s, h->id);
		drop(s, i);
	}
}

/* The time until the next probe, for ppoll(2); NULL to wait for events. */
static struct timespec *
next_probe(const struct supervisor *s, struct timespec *ts)
{
	long long first = -1, wait;

	for (size_t i = 0; i < s->nheld; i++)
		if (first == -1 || s->held[i].next < first)
			first = s->held[i].next;
	if (first == -1)
		return NULL;
	wait = first - now_ns();
	if (wait < 0)
		wait = 0;
	ts->tv_sec = (time_t)(wait / 1000000000LL);
	ts->tv_nsec = (long)(wait % 1000000000LL);
	return ts;
}

/* Tells runscript, which waits for COMMAND, what became of it. */
static void
report(struct supervisor *s, enum report_kind kind, int value)
{
	struct report r = {kind, value, s->tally};

	channel_send(s->report, &r, sizeof r, -1);
}

/*
 * Reaps every child that has ended: COMMAND, and the orphans of the tree
 * that this subreaper inherits. Returns 1 once no child is left.
 */
static int
reap(struct supervisor *s)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG | WUNTRACED);

		if (pid == -1)
			return errno == ECHILD;
		if (pid == 0)
			return 0;
		if (pid != s->command || s->command_done)
			continue;
		if (WIFSTOPPED(status))
			report(s, REPORT_STOPPED, WSTOPSIG(status));
		else {
			s->command_done = 1;
			report(s, REPORT_STATUS, status);
			close(s->report);
		}
	}
}

void
hold_serve(int listener, pid_t command, int report_fd)
{
	struct supervisor s;
	struct pollfd fds[2];
	sigset_t chld;
	void *page = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE,
	                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(&s, 0, sizeof s);
	s.listener = listener;
	s.report = report_fd;
	s.command = command;
	s.log = rs_log_of(environ);
	/* Without the probe's page, every exec is let go as it comes. */
	s.unreadable = page == MAP_FAILED ? NULL : page;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	fds[0].fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	fds[0].events = POLLIN;
	fds[1].fd = listener;
	fds[1].events = POLLIN;
	for (;;) {
		struct timespec ts;
		int n;

		/* No child left: no process of the tree is left. */
		if (reap(&s) && s.command_done)
			break;
		n = ppoll(fds, listener == -1 ? 1 : 2, next_probe(&s, &ts),
		          NULL);
		if (n == -1 && errno != EINTR)
			break;
		if (n > 0 && fds[0].revents != 0) {
			struct signalfd_siginfo si;

			while (read(fds[0].fd, &si, sizeof si) > 0)
				;
		}
		if (listener != -1 && n > 0 && (fds[1].revents & POLLIN))
			receive(&s);
		/* POLLHUP: the filter has no process left. */
		else if (listener != -1 && n > 0 &&
		         (fds[1].revents & POLLHUP) && s.command_done)
			break;
		retry(&s);
	}
	_exit(0);
}
