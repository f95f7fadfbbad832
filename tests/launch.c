/*
 * launch — calls one exec or spawn function of libc on a file and reports
 * the outcome on standard output, so that a run with
 * LD_PRELOAD=librunscript.so can be compared byte for byte with a run
 * without it (tests/preload.bats).
 *
 * launch METHOD [-0] [-a ARGV0] [-C FD] [-d DIR] [-D DIR] [-o FILE]
 *        [-u FD] [-w FILE] [-X FILE] [-j] [-g PGID] [-E] [-Z] [-i] [-N]
 *        [-n] [-e] [-L] [-p PATH] [-P] [-t SECS] [-T BYTES] [-S BYTES]
 *        FILE [ARG]...
 *
 * METHOD is execve, execv, execvp, execvpe, execl, execlp, execle,
 * posix_spawn, posix_spawnp, fork-execv (fork, then execv in the child, as
 * CPython's subprocess does) or vfork-execve (vfork, then execve). The
 * argument vector is FILE ARG...; -a replaces its argv[0], -0 passes an
 * empty one (no ARG then).
 *
 * File actions, for posix_spawn(p) only, applied in the order given:
 *   -C FD    posix_spawn_file_actions_addclose(FD)
 *   -d DIR   posix_spawn_file_actions_addchdir_np(DIR)
 *   -D DIR   posix_spawn_file_actions_addfchdir_np on DIR opened here, on
 *            descriptor 20 (21 for a second -D, ...), close-on-exec
 *   -o FILE  posix_spawn_file_actions_addopen(5, FILE, O_RDONLY)
 *   -u FD    posix_spawn_file_actions_adddup2(1, FD)
 *   -w FILE  posix_spawn_file_actions_addopen(6, FILE, O_WRONLY | O_CREAT |
 *            O_TRUNC, 0644)
 *   -X FILE  posix_spawn_file_actions_addopen(7, FILE, O_WRONLY | O_CREAT |
 *            O_EXCL, 0644): an action that cannot run twice
 *   -j       posix_spawn_file_actions_adddup2(N, 1), N the lowest
 *            descriptor not open in launch when the option is parsed
 * An attribute, for posix_spawn(p) only:
 *   -g PGID  POSIX_SPAWN_SETPGROUP with PGID
 * Others:
 *   -E       pass a small explicit environment instead of environ (methods
 *            that take one); it names LAUNCH_ENV for the argv printer
 *   -Z       pass a NULL environment pointer (methods that take one)
 *   -i       print the process id that should run the program
 *   -N       pass posix_spawn(p) no pointer for the pid, then wait for any
 *            child
 *   -p PATH  setenv PATH before the call; -P unsets it
 *   -t SECS  alarm(SECS) when parsed: a run that hangs (a fifo opened for
 *            reading, say) dies of SIGALRM instead of hanging the tests;
 *            the alarm survives exec, so it bounds the program run too
 *   -T BYTES make the call from a thread whose stack is BYTES long
 *   -S BYTES make the call from a SIGUSR1 handler running on an alternate
 *            signal stack of BYTES bytes, with a page no one may touch
 *            below it, so that overflowing it kills launch (SIGSEGV)
 *            rather than scribbling on other memory
 *   -n       pass a NULL argument vector (not for the execl family)
 *   -e       set errno to 4242 just before the call; posix_spawn(p) then
 *            also prints "launch: errno=NAME", errno after it returned
 *   -L       set RLIMIT_AS to the address space launch has just before the
 *            call, so that any new mapping fails with ENOMEM
 *
 * Output: an exec that fails prints "launch: METHOD: errno=ENAME" and exits
 * 99. posix_spawn(p) waits for its child, then prints "launch: METHOD:
 * return=0" (or the error's name) and "launch: status=exit N" (or "signal
 * N"). fork-execv and vfork-execve print the child's status the same way;
 * their child reports a failed exec as the exec methods do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_EXEC_FAILED 99
#define EXIT_USAGE       2
/* The execl family gets at most this many list arguments. */
#define MAX_LIST 12

enum kind { EXEC, SPAWN, FORK };

static const struct method {
	const char *name;
	enum kind kind;
	int takes_env;
} methods[] = {
        {"execve", EXEC, 1},        {"execv", EXEC, 0},
        {"execvp", EXEC, 0},        {"execvpe", EXEC, 1},
        {"execl", EXEC, 0},         {"execlp", EXEC, 0},
        {"execle", EXEC, 1},        {"posix_spawn", SPAWN, 1},
        {"posix_spawnp", SPAWN, 1}, {"fork-execv", FORK, 0},
        {"vfork-execve", FORK, 1},
};

/* Its PATH is bogus on purpose: a PATH search must use the caller's. */
static char *explicit_env[] = {"LAUNCH_ENV=explicit", "ARGV_ENV=LAUNCH_ENV",
                               "PATH=/nonexistent-launch-envp-path", NULL};

#define E(name) name, #name
static const struct {
	int num;
	const char *name;
} errnos[] = {
        {E(E2BIG)},   {E(EACCES)},       {E(EAGAIN)},  {E(EBADF)},
        {E(EEXIST)},  {E(EFAULT)},       {E(EINTR)},   {E(EINVAL)},
        {E(EIO)},     {E(EISDIR)},       {E(ELIBBAD)}, {E(ELOOP)},
        {E(EMFILE)},  {E(ENAMETOOLONG)}, {E(ENFILE)},  {E(ENODEV)},
        {E(ENOENT)},  {E(ENOEXEC)},      {E(ENOMEM)},  {E(ENOSYS)},
        {E(ENOTDIR)}, {E(ENXIO)},        {E(EPERM)},   {E(ESRCH)},
        {E(ETXTBSY)}, {E(EOVERFLOW)},    {E(ECHILD)},  {E(EXDEV)},
        {E(EROFS)},
};
#undef E

/*
 * errno_name: the symbolic name of E, or its number written into BUF (16
 * bytes). Async-signal-safe: the vfork child calls it.
 */
static const char *
errno_name(int e, char *buf)
{
	char *p = buf + 15;
	unsigned u = e < 0 ? -(unsigned)e : (unsigned)e;

	for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
		if (errnos[i].num == e)
			return errnos[i].name;
	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (e < 0)
		*--p = '-';
	return p;
}

static void
usage(const char *msg)
{
	fprintf(stderr, "launch: %s\n", msg);
	fprintf(stderr, "usage: launch METHOD [-0] [-a ARGV0] [-C FD] [-d DIR] "
	                "[-D DIR] [-o FILE] [-u FD] [-w FILE] [-X FILE] [-j] "
	                "[-g PGID] [-E] [-Z] [-i] [-N] [-n] [-e] [-L] "
	                "[-p PATH] [-P] [-t SECS] [-T BYTES] [-S BYTES] "
	                "FILE [ARG]...\n");
	exit(EXIT_USAGE);
}

/* The same from a vfork child: write(2) and _exit(2) only. */
static void
vfork_exec_failed(const char *method, int e)
{
	char buf[16];
	const char *parts[] = {"launch: ", method,
	                       ": errno=", errno_name(e, buf), "\n"};

	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		size_t len = 0;
		while (parts[i][len] != '\0')
			len++;
		if (write(STDOUT_FILENO, parts[i], len) < 0)
			break;
	}
	_exit(EXIT_EXEC_FAILED);
}

static void
print_status(int status)
{
	if (WIFEXITED(status))
		printf("launch: status=exit %d\n", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("launch: status=signal %d\n", WTERMSIG(status));
	else
		printf("launch: status=raw %d\n", status);
}

static int
wait_for(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("launch: waitpid");
			exit(EXIT_USAGE);
		}
	}
	return status;
}

/* call_execl: execl or execlp with the N entries of V as its list. */
static int
call_execl(int p, const char *file, char *const *v, int n)
{
	char *s[MAX_LIST + 1] = {NULL};

	memcpy(s, v, (size_t)n * sizeof *s);
	if (p)
		return execlp(file, s[0], s[1], s[2], s[3], s[4], s[5], s[6],
		              s[7], s[8], s[9], s[10], s[11], s[12]);
	return execl(file, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8],
	             s[9], s[10], s[11], s[12]);
}

/* call_execle: execle, whose envp must follow the list's NULL at once. */
static int
call_execle(const char *file, char *const *v, int n, char *const *envp)
{
	char *const z = NULL;

	switch (n) {
	case 0: /* v[0] is the NULL that ends the empty vector */
		return execle(file, v[0], envp);
	case 1:
		return execle(file, v[0], z, envp);
	case 2:
		return execle(file, v[0], v[1], z, envp);
	case 3:
		return execle(file, v[0], v[1], v[2], z, envp);
	case 4:
		return execle(file, v[0], v[1], v[2], v[3], z, envp);
	case 5:
		return execle(file, v[0], v[1], v[2], v[3], v[4], z, envp);
	case 6:
		return execle(file, v[0], v[1], v[2], v[3], v[4], v[5], z,
		              envp);
	case 7:
		return execle(file, v[0], v[1], v[2], v[3], v[4], v[5], v[6], z,
		              envp);
	case 8:
		return execle(file, v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		              v[7], z, envp);
	case 9:
		return execle(file, v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		              v[7], v[8], z, envp);
	case 10:
		return execle(file, v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		              v[7], v[8], v[9], z, envp);
	case 11:
		return execle(file, v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		              v[7], v[8], v[9], v[10], z, envp);
	default:
		return execle(file, v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		              v[7], v[8], v[9], v[10], v[11], z, envp);
	}
}

/*
 * start_forked: fork and execv, or vfork and execve, as METHOD says; returns
 * the child's pid. The vfork child calls only execve, write and _exit.
 */
static pid_t
start_forked(const char *method, const char *file, char *const *v,
             char *const *envp)
{
	pid_t pid;

	if (strcmp(method, "fork-execv") == 0) {
		pid = fork();
		if (pid == 0) {
			char buf[16];

			execv(file, v);
			printf("launch: %s: errno=%s\n", method,
			       errno_name(errno, buf));
			fflush(stdout);
			_exit(EXIT_EXEC_FAILED);
		}
	} else {
		pid = vfork();
		if (pid == 0) {
			execve(file, v, envp);
			vfork_exec_failed(method, errno);
		}
	}
	if (pid < 0) {
		perror("launch: fork");
		exit(EXIT_USAGE);
	}
	return pid;
}

/* One call to make, as the options set it up. */
struct call {
	const struct method *m;
	const char *file;
	char **v; /* the argument vector, n entries and a NULL */
	int n;
	char *const *envp;
	const posix_spawn_file_actions_t *fa; /* NULL: none */
	const posix_spawnattr_t *attr;        /* NULL: none */
	int print_pid;
	int no_pid;    /* posix_spawn(p) gets NULL for its pid */
	int set_errno; /* errno is 4242 before the call (-e) */
	int limit_as;  /* RLIMIT_AS is the current size at the call (-L) */
};

/* The errno -e sets, which no function of libc sets. */
#define CALLER_ERRNO 4242

/*
 * limit_address_space: RLIMIT_AS at launch's address space now (VmSize in
 * /proc/self/status), so that any further mapping fails. Reads with
 * read(2) into a buffer on the stack, as stdio would allocate.
 */
static void
limit_address_space(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	const char *v;
	struct rlimit rl;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		usage("cannot read /proc/self/status");
	buf[n] = '\0';
	v = strstr(buf, "VmSize:");
	if (v == NULL)
		usage("no VmSize in /proc/self/status");
	rl.rlim_cur = rl.rlim_max =
	        (rlim_t)strtoul(v + strlen("VmSize:"), NULL, 10) * 1024;
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		usage("cannot set RLIMIT_AS");
}

/* perform: makes the call and reports it; returns launch's exit status. */
static int
perform(const struct call *c)
{
	const char *name = c->m->name;
	char buf[16];
	pid_t pid = -1;
	int status;

	if (c->m->kind == EXEC) {
		if (c->print_pid)
			printf("launch: pid=%ld\n", (long)getpid());
		fflush(stdout);
		if (c->limit_as)
			limit_address_space();
		if (c->set_errno)
			errno = CALLER_ERRNO;
		if (strcmp(name, "execve") == 0)
			execve(c->file, c->v, c->envp);
		else if (strcmp(name, "execv") == 0)
			execv(c->file, c->v);
		else if (strcmp(name, "execvp") == 0)
			execvp(c->file, c->v);
		else if (strcmp(name, "execvpe") == 0)
			execvpe(c->file, c->v, c->envp);
		else if (strcmp(name, "execl") == 0)
			call_execl(0, c->file, c->v, c->n);
		else if (strcmp(name, "execlp") == 0)
			call_execl(1, c->file, c->v, c->n);
		else
			call_execle(c->file, c->v, c->n, c->envp);
		printf("launch: %s: errno=%s\n", name, errno_name(errno, buf));
		return EXIT_EXEC_FAILED;
	}

	fflush(stdout);
	if (c->limit_as)
		limit_address_space();
	if (c->m->kind == SPAWN) {
		int rc;
		pid_t *pidp = c->no_pid ? NULL : &pid;

		if (c->set_errno)
			errno = CALLER_ERRNO;
		if (strcmp(name, "posix_spawn") == 0)
			rc = posix_spawn(pidp, c->file, c->fa, c->attr, c->v,
			                 c->envp);
		else
			rc = posix_spawnp(pidp, c->file, c->fa, c->attr, c->v,
			                  c->envp);
		if (c->set_errno)
			printf("launch: errno=%s\n", errno_name(errno, buf));
		if (rc != 0) {
			printf("launch: %s: return=%s\n", name,
			       errno_name(rc, buf));
			return 0;
		}
		if (c->no_pid)
			pid = -1; /* any child: launch has only this one */
		status = wait_for(pid);
		printf("launch: %s: return=0\n", name);
	} else {
		pid = start_forked(name, c->file, c->v, c->envp);
		status = wait_for(pid);
	}
	print_status(status);
	if (c->print_pid)
		printf("launch: child=%ld\n", (long)pid);
	return 0;
}

static void *
perform_in_thread(void *c)
{
	exit(perform(c));
}

/* The call the SIGUSR1 handler makes (-S). */
static const struct call *signalled_call;

static void
perform_in_handler(int sig)
{
	int rc;

	(void)sig;
	rc = perform(signalled_call);
	fflush(stdout);
	_exit(rc);
}

/*
 * perform_on_altstack: raise SIGUSR1, whose handler makes the call on an
 * alternate signal stack of exactly BYTES bytes (its top page-aligned), with
 * an inaccessible page below it.
 */
static void
perform_on_altstack(const struct call *c, size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t room = (bytes + page - 1) / page * page;
	char *base = mmap(NULL, page + room, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stack_t ss;
	struct sigaction sa;

	if (base == MAP_FAILED || mprotect(base, page, PROT_NONE) != 0)
		usage("cannot map the alternate signal stack");
	ss.ss_sp = base + page + (room - bytes);
	ss.ss_size = bytes;
	ss.ss_flags = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = perform_in_handler;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	signalled_call = c;
	if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGUSR1, &sa, NULL) != 0)
		usage("cannot set up the alternate signal stack");
	raise(SIGUSR1);
	/* The handler exits; it never returns here. */
	// cppcheck-suppress unreachableCode
	usage("the SIGUSR1 handler returned");
}

/* The lowest descriptor number not open now. */
static int
lowest_unused_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	if (fd < 0)
		usage("cannot open /dev/null");
	close(fd);
	return fd;
}

int
main(int argc, char *argv[])
{
	struct call call = {.envp = environ};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int empty = 0, null_argv = 0, opt, fd, next_dir_fd = 20;
	size_t stack = 0, altstack = 0;
	const char *argv0 = NULL;

	if (argc < 2)
		usage("no METHOD");
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strcmp(argv[1], methods[i].name) == 0)
			call.m = &methods[i];
	if (call.m == NULL)
		usage("unknown METHOD");
	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawnattr_init(&attr) != 0)
		usage("cannot initialize posix_spawn's file actions or "
		      "attributes");
	/* getopt sees METHOD as the program's name. */
	while ((opt = getopt(argc - 1, argv + 1,
	                     "+0a:C:d:D:eEg:ijLnNo:p:PS:t:T:u:w:X:Z")) != -1) {
		if (strchr("CdDgjNouwX", opt) != NULL && call.m->kind != SPAWN)
			usage("-C, -d, -D, -g, -j, -N, -o, -u, -w and -X are "
			      "for posix_spawn(p) only");
		if ((opt == 'E' || opt == 'Z') && !call.m->takes_env)
			usage("-E and -Z are for methods that take envp");
		if (strchr("CdDjouwX", opt) != NULL)
			call.fa = &fa;
		switch (opt) {
		case '0':
			empty = 1;
			break;
		case 'a':
			argv0 = optarg;
			break;
		case 'C':
			if (posix_spawn_file_actions_addclose(&fa,
			                                      atoi(optarg)))
				usage("addclose failed");
			break;
		case 'd':
			if (posix_spawn_file_actions_addchdir_np(&fa, optarg))
				usage("addchdir_np failed");
			break;
		case 'D':
			/*
			 * On a known descriptor, 20 for the first -D, so that
			 * -C can name it; close-on-exec, as the child needs it
			 * only to fchdir.
			 */
			fd = open(optarg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0 ||
			    dup3(fd, next_dir_fd, O_CLOEXEC) != next_dir_fd)
				usage("cannot open the directory of -D");
			close(fd);
			if (posix_spawn_file_actions_addfchdir_np(
			            &fa, next_dir_fd++))
				usage("addfchdir_np failed");
			break;
		case 'o':
			if (posix_spawn_file_actions_addopen(&fa, 5, optarg,
			                                     O_RDONLY, 0))
				usage("addopen failed");
			break;
		case 'u':
			if (posix_spawn_file_actions_adddup2(&fa, 1,
			                                     atoi(optarg)))
				usage("adddup2 failed");
			break;
		case 'w':
			if (posix_spawn_file_actions_addopen(
			            &fa, 6, optarg,
			            O_WRONLY | O_CREAT | O_TRUNC, 0644))
				usage("addopen failed");
			break;
		case 'X':
			if (posix_spawn_file_actions_addopen(
			            &fa, 7, optarg, O_WRONLY | O_CREAT | O_EXCL,
			            0644))
				usage("addopen failed");
			break;
		case 'j':
			if (posix_spawn_file_actions_adddup2(
			            &fa, lowest_unused_fd(), 1))
				usage("adddup2 failed");
			break;
		case 'e':
			call.set_errno = 1;
			break;
		case 'L':
			call.limit_as = 1;
			break;
		case 'n':
			null_argv = 1;
			break;
		case 'S':
			altstack = (size_t)strtoul(optarg, NULL, 10);
			break;
		case 'E':
			call.envp = explicit_env;
			break;
		case 'Z':
			call.envp = NULL;
			break;
		case 'g':
			if (posix_spawnattr_setflags(&attr,
			                             POSIX_SPAWN_SETPGROUP) ||
			    posix_spawnattr_setpgroup(&attr, atoi(optarg)))
				usage("cannot set the process group attribute");
			call.attr = &attr;
			break;
		case 'i':
			call.print_pid = 1;
			break;
		case 'N':
			call.no_pid = 1;
			break;
		case 'p':
			if (setenv("PATH", optarg, 1) != 0)
				usage("setenv failed");
			break;
		case 'P':
			if (unsetenv("PATH") != 0)
				usage("unsetenv failed");
			break;
		case 't':
			alarm((unsigned)strtoul(optarg, NULL, 10));
			break;
		case 'T':
			stack = (size_t)strtoul(optarg, NULL, 10);
			break;
		default:
			usage("bad option");
		}
	}
	if (optind + 1 >= argc)
		usage("no FILE");
	/* FILE ARG... with its NULL is already a vector: use it in place. */
	call.v = argv + 1 + optind;
	call.file = call.v[0];
	call.n = argc - 1 - optind;
	if (argv0 != NULL)
		call.v[0] = (char *)argv0;
	if (empty) {
		if (call.n != 1)
			usage("-0 takes no ARG");
		call.v = argv + argc; /* argv[argc] is NULL */
		call.n = 0;
	}
	if (strncmp(call.m->name, "execl", 5) == 0 && call.n > MAX_LIST)
		usage("too many arguments for the execl family");
	if (null_argv) {
		if (strncmp(call.m->name, "execl", 5) == 0 || call.n != 1)
			usage("-n is not for the execl family, and takes no "
			      "ARG");
		call.v = NULL;
		call.n = 0;
	}
	if (call.limit_as) {
		/* Output must not need a buffer once nothing can be mapped. */
		static char outbuf[BUFSIZ];

		setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	}
	if (altstack != 0)
		perform_on_altstack(&call, altstack);
	if (stack != 0) {
		pthread_attr_t tattr;
		pthread_t t;

		if (pthread_attr_init(&tattr) != 0 ||
		    pthread_attr_setstacksize(&tattr, stack) != 0 ||
		    pthread_create(&t, &tattr, perform_in_thread, &call) != 0)
			usage("cannot start a thread with that stack size");
		pthread_join(t, NULL);
	}
	return perform(&call);
}
