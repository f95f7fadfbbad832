/*
 * race — the "Text file busy" race, reproduced on demand.
 *
 * Writer threads each write a fresh executable script (with O_CLOEXEC),
 * close it and launch it, while forker threads fork and exec /bin/true
 * without pause. A child forked by another thread while a script was open
 * for writing holds that descriptor until the child execs, and until then
 * the kernel refuses to exec the script with ETXTBSY. Each method of
 * launching runs under the same load; the counts are data, not a verdict,
 * so race exits 0 whenever it ran.
 *
 * usage: race [-m METHOD[,METHOD...]] [-w WRITERS] [-f FORKERS] [-n LAUNCHES]
 *             [-s SECONDS] [-i MODE] [-e BINARY] [-r RUNSCRIPT] [-d DIR] [-T]
 */
#define _GNU_SOURCE /* pipe2(2): a pipe that is close-on-exec from birth */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

extern char **environ;

static const char synopsis[] =
        "usage: race [-m METHOD[,METHOD...]] [-w WRITERS] [-f FORKERS] "
        "[-n LAUNCHES]\n"
        "            [-s SECONDS] [-i MODE] [-e BINARY] [-r RUNSCRIPT] [-d DIR] [-T]\n";

static const char usage_text[] =
        "\n"
        "  -m  methods, run one after another under the same load (default all):\n"
        "        direct     fork, then execve the script\n"
        "        runscript  fork, then execve RUNSCRIPT SCRIPT\n"
        "        bash       fork, then execve /bin/bash SCRIPT\n"
        "        retry      direct, forking again on ETXTBSY (5 retries, 1-16 ms)\n"
        "        sleep      direct, 10 ms after closing the script\n"
        "        lock       direct, script writes and all forks serialized by a\n"
        "                   rwlock, so no fork happens while a script is open\n"
        "  -w  writer threads, each writing and launching scripts (default 256)\n"
        "  -f  forker threads, each fork+exec'ing /bin/true (default 64)\n"
        "  -n  launches per method (default 5000)\n"
        "  -s  at most this many seconds per method (default 30)\n"
        "  -i  interpreter-rewrite mode: the scripts name a fake interpreter that\n"
        "      another thread keeps rewriting; MODE is 'script' (a #!/bin/sh\n"
        "      script) or 'binary' (a copy of /bin/true)\n"
        "  -e  write fresh copies of BINARY (an ELF program that exits 0, such\n"
        "      as /bin/true) and run them, instead of scripts\n"
        "  -r  the runscript to test (default ./runscript)\n"
        "  -d  make the scratch directory in DIR (default $TMPDIR or /tmp)\n"
        "  -T  print a markdown table instead of one line per method\n"
        "\n"
        "Per method: launches, launches that failed with ETXTBSY, other\n"
        "failures, and successful launches per second.\n";

enum method { DIRECT, RUNSCRIPT, BASH, RETRY, SLEEP, LOCK, NMETHODS };

static const char *const method_name[NMETHODS] = {
        "direct", "runscript", "bash", "retry", "sleep", "lock",
};

/* The retry method forks again after ETXTBSY, waiting 1, 2, 4 ... ms. */
enum { RETRIES = 5, SLEEP_MS = 10 };

enum interp_mode { INTERP_NONE, INTERP_SCRIPT, INTERP_BINARY };

static struct {
	int methods[NMETHODS];
	int nmethods;
	long writers, forkers, launches;
	double seconds;
	enum interp_mode interp;
	const char *runscript, *tmp, *binary;
	int table;
} opt = {.writers = 256,
         .forkers = 64,
         .launches = 5000,
         .seconds = 30,
         .runscript = "./runscript"};

/*
 * The scratch directory, the fake interpreter and what it holds. The
 * directory's name must leave room in a #! line for the interpreter's.
 */
static char dir[200], interp_path[PATH_MAX], interp_tmp[PATH_MAX];
static char *interp_data;
static size_t interp_len;
static char script_text[PATH_MAX + 16];
static size_t script_len;
/* What each writer writes: the script, or a copy of -e's binary. */
static const char *launch_text;
static size_t launch_len;
static int devnull;

/* The run of one method. */
static enum method method;
static atomic_int stop;
static atomic_long started, done, n_busy, n_other;
static atomic_int fork_failed, told_other;

/*
 * The lock method's fork lock. glibc's rwlocks prefer readers, and with
 * hundreds of threads forking, a writer could wait for ever; the turnstile
 * mutex lets a waiting writer hold back new readers.
 */
static pthread_rwlock_t fork_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t turnstile = PTHREAD_MUTEX_INITIALIZER;

/* Lets the compiler check the arguments of our printf-like functions. */
#ifdef __GNUC__
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PRINTF_LIKE(fmt, args)
#endif

static _Noreturn void die(const char *fmt, ...) PRINTF_LIKE(1, 2);
static _Noreturn void usage(const char *fmt, ...) PRINTF_LIKE(1, 2);

static void vwarn(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);

/* Writes "race: MESSAGE" and a newline to stderr. */
static void
vwarn(const char *fmt, va_list ap)
{
	fputs("race: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(1);
}

static void
usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	fputs(synopsis, stderr);
	exit(2);
}

/* Held around the open-write-close of a file some process may exec. */
static void
write_lock(void)
{
	if (method != LOCK)
		return;
	pthread_mutex_lock(&turnstile);
	pthread_rwlock_wrlock(&fork_lock);
	pthread_mutex_unlock(&turnstile);
}

static void
write_unlock(void)
{
	if (method == LOCK)
		pthread_rwlock_unlock(&fork_lock);
}

/* Every fork() goes through here, so the lock method covers all of them. */
static pid_t
guarded_fork(void)
{
	pid_t pid;

	if (method != LOCK)
		return fork();
	pthread_mutex_lock(&turnstile);
	pthread_mutex_unlock(&turnstile);
	pthread_rwlock_rdlock(&fork_lock);
	pid = fork();
	pthread_rwlock_unlock(&fork_lock);
	return pid;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes a fresh executable file, the way a program writes a script. */
static int
write_file(const char *path, const char *data, size_t len)
{
	int fd, err = 0;

	write_lock();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd == -1 || write_all(fd, data, len) == -1)
		err = errno;
	if (fd != -1)
		close(fd);
	write_unlock();
	return err;
}

static ssize_t
read_some(int fd, void *buf, size_t n)
{
	ssize_t r;

	while ((r = read(fd, buf, n)) == -1 && errno == EINTR)
		;
	return r;
}

static pid_t
wait_child(pid_t pid, int *status)
{
	pid_t r;

	while ((r = waitpid(pid, status, 0)) == -1 && errno == EINTR)
		;
	return r;
}

enum outcome { OK, BUSY, OTHER };

/*
 * Forks, execs argv[0] with stdin and stdout on /dev/null, and waits. The
 * child reports a failed execve() through a close-on-exec pipe. What the
 * program writes on stderr is kept, because runscript reports an ETXTBSY
 * it could not wait out there (status 126, "Text file busy"): that is
 * counted as ETXTBSY, being what the user would see; any other failure of
 * the program (non-zero status, a signal) counts as an other failure.
 */
static enum outcome
spawn(char *const argv[], int *exec_err)
{
	int st[2], er[2], status;
	char msg[512];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	*exec_err = 0;
	if (pipe2(st, O_CLOEXEC) == -1 || pipe2(er, O_CLOEXEC) == -1)
		die("pipe: %s", strerror(errno));
	if ((pid = guarded_fork()) == -1) {
		if (atomic_exchange(&fork_failed, 1) == 0)
			fprintf(stderr, "race: fork: %s\n", strerror(errno));
		close(st[0]), close(st[1]), close(er[0]), close(er[1]);
		return OTHER;
	}
	if (pid == 0) {
		int e;

		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(er[1], 2);
		execve(argv[0], argv, environ);
		e = errno;
		if (write(st[1], &e, sizeof e) != (ssize_t)sizeof e)
			_exit(126);
		_exit(127);
	}
	close(st[1]);
	close(er[1]);
	if (read_some(st[0], exec_err, sizeof *exec_err) != sizeof *exec_err)
		*exec_err = 0;
	close(st[0]);
	while ((n = read_some(er[0], msg + len, sizeof msg - 1 - len)) > 0) {
		len += (size_t)n;
		if (len == sizeof msg - 1)
			len = 0; /* Keep reading; only the end matters. */
	}
	msg[len] = '\0';
	close(er[0]);
	if (wait_child(pid, &status) == -1)
		die("waitpid: %s", strerror(errno));
	if (*exec_err == ETXTBSY)
		return BUSY;
	if (*exec_err != 0) {
		if (atomic_exchange(&told_other, 1) == 0)
			fprintf(stderr, "race: %s: exec %s: %s\n",
			        method_name[method], argv[0],
			        strerror(*exec_err));
		return OTHER;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return OK;
	if (strstr(msg, strerror(ETXTBSY)) != NULL)
		return BUSY;
	/* The first such failure of a run is worth a look. */
	if (atomic_exchange(&told_other, 1) == 0)
		fprintf(stderr, "race: %s: %s: %s %d: %s\n",
		        method_name[method], argv[0],
		        WIFEXITED(status) ? "exit" : "signal",
		        WIFEXITED(status) ? WEXITSTATUS(status)
		                          : WTERMSIG(status),
		        len > 0 ? msg : "(nothing on stderr)\n");
	return OTHER;
}

/* One launch of the script at path by the current method. */
static enum outcome
launch(char *path)
{
	char *argv[3] = {path, NULL, NULL};
	enum outcome o;
	int err;

	switch (method) {
	case RUNSCRIPT:
		argv[0] = (char *)opt.runscript;
		argv[1] = path;
		break;
	case BASH:
		argv[0] = "/bin/bash";
		argv[1] = path;
		break;
	case SLEEP:
		nap_ms(SLEEP_MS);
		break;
	default:
		break;
	}
	o = spawn(argv, &err);
	for (int i = 0; method == RETRY && err == ETXTBSY && i < RETRIES; i++) {
		nap_ms(1L << i);
		o = spawn(argv, &err);
	}
	return o;
}

static void *
writer(void *arg)
{
	long id = (long)(intptr_t)arg;
	char path[PATH_MAX];

	for (long seq = 0; !atomic_load(&stop); seq++) {
		int err;

		if (atomic_fetch_add(&started, 1) >= opt.launches)
			break;
		snprintf(path, sizeof path, "%s/s%ld.%ld", dir, id, seq);
		if ((err = write_file(path, launch_text, launch_len)) != 0)
			die("%s: %s", path, strerror(err));
		switch (launch(path)) {
		case OK:
			break;
		case BUSY:
			atomic_fetch_add(&n_busy, 1);
			break;
		case OTHER:
			atomic_fetch_add(&n_other, 1);
			break;
		}
		atomic_fetch_add(&done, 1);
		unlink(path);
	}
	return NULL;
}

static void *
forker(void *arg)
{
	char *argv[] = {"/bin/true", NULL};
	int status;
	pid_t pid;

	(void)arg;
	while (!atomic_load(&stop)) {
		if ((pid = guarded_fork()) == -1) {
			nap_ms(1);
			continue;
		}
		if (pid == 0) {
			execve(argv[0], argv, environ);
			_exit(127);
		}
		wait_child(pid, &status);
	}
	return NULL;
}

/* A new copy written beside the live one and renamed over it. */
static void
replace_interp(void)
{
	int err = write_file(interp_tmp, interp_data, interp_len);

	if (err != 0)
		die("%s: %s", interp_tmp, strerror(err));
	if (rename(interp_tmp, interp_path) == -1)
		die("rename %s: %s", interp_tmp, strerror(errno));
}

/* The live one opened for writing, and the same bytes written again. */
static void
rewrite_interp(void)
{
	int fd;

	write_lock();
	if ((fd = open(interp_path, O_WRONLY | O_CLOEXEC)) != -1) {
		if (pwrite(fd, interp_data, interp_len, 0) == -1)
			die("%s: %s", interp_path, strerror(errno));
		nap_ms(1);
		close(fd);
	} else if (errno != ETXTBSY)
		die("%s: %s", interp_path, strerror(errno));
	write_unlock();
}

/*
 * Rewrites the fake interpreter as test suites rewrite their fakes: a new
 * copy written beside it and renamed over it, and now and then the live
 * file opened for writing and written again in place with the same bytes
 * (the content never changes, so a run never sees a partial interpreter;
 * the write descriptors, inherited by children other threads fork, are
 * what can make its exec fail with ETXTBSY). In place, a binary that is
 * running cannot be opened for writing (ETXTBSY too); that round is
 * skipped. No fork lock helps an exec that meets the in-place write
 * itself, so here even the lock method can fail.
 */
static void *
rewriter(void *arg)
{
	(void)arg;
	for (unsigned long round = 0; !atomic_load(&stop); round++) {
		if (round % 4 == 3)
			rewrite_interp();
		else
			replace_interp();
		nap_ms(2);
	}
	return NULL;
}

struct result {
	enum method method;
	long launches, busy, other;
	double per_s;
};

static pthread_t
start(void *(*fn)(void *), long id, const pthread_attr_t *attr)
{
	pthread_t t;
	int err = pthread_create(&t, attr, fn, (void *)(intptr_t)id);

	if (err != 0)
		die("pthread_create: %s", strerror(err));
	return t;
}

static struct result
run(enum method m)
{
	pthread_t *w, *f, r = 0;
	pthread_attr_t attr;
	struct result res = {.method = m};
	double t0, deadline, elapsed;
	int err;

	method = m;
	atomic_store(&stop, 0);
	atomic_store(&started, 0);
	atomic_store(&done, 0);
	atomic_store(&n_busy, 0);
	atomic_store(&n_other, 0);
	atomic_store(&told_other, 0);
	if (opt.interp != INTERP_NONE &&
	    (err = write_file(interp_path, interp_data, interp_len)) != 0)
		die("%s: %s", interp_path, strerror(err));
	w = calloc((size_t)opt.writers, sizeof *w);
	f = calloc((size_t)opt.forkers ? (size_t)opt.forkers : 1, sizeof *f);
	if (w == NULL || f == NULL)
		die("out of memory");
	/* Small stacks: fork() copies the page tables of them all. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);

	t0 = now();
	deadline = t0 + opt.seconds;
	for (long i = 0; i < opt.forkers; i++)
		f[i] = start(forker, i, &attr);
	if (opt.interp != INTERP_NONE)
		r = start(rewriter, 0, &attr);
	for (long i = 0; i < opt.writers; i++)
		w[i] = start(writer, i, &attr);
	while (atomic_load(&done) < opt.launches && now() < deadline)
		nap_ms(5);
	atomic_store(&stop, 1);
	for (long i = 0; i < opt.writers; i++)
		pthread_join(w[i], NULL);
	elapsed = now() - t0;
	for (long i = 0; i < opt.forkers; i++)
		pthread_join(f[i], NULL);
	if (opt.interp != INTERP_NONE)
		pthread_join(r, NULL);
	pthread_attr_destroy(&attr);
	free(w);
	free(f);

	res.launches = atomic_load(&done);
	res.busy = atomic_load(&n_busy);
	res.other = atomic_load(&n_other);
	res.per_s = (double)(res.launches - res.busy - res.other) / elapsed;
	return res;
}

static long
number(const char *s, char flag, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min)
		usage("-%c: not a number of at least %ld: '%s'", flag, min, s);
	return v;
}

static void
parse_methods(char *list)
{
	opt.nmethods = 0;
	for (char *name = strtok(list, ","); name != NULL;
	     name = strtok(NULL, ",")) {
		int m = 0;

		while (m < NMETHODS && strcmp(name, method_name[m]) != 0)
			m++;
		if (m == NMETHODS)
			usage("-m: unknown method '%s'", name);
		opt.methods[opt.nmethods++] = m;
		if (opt.nmethods == NMETHODS)
			break;
	}
	if (opt.nmethods == 0)
		usage("-m: no method given");
}

static void
parse_args(int argc, char *argv[])
{
	char *end;
	int c;

	for (int m = 0; m < NMETHODS; m++)
		opt.methods[m] = m;
	opt.nmethods = NMETHODS;
	while ((c = getopt(argc, argv, "m:w:f:n:s:i:e:r:d:Th")) != -1) {
		switch (c) {
		case 'm':
			parse_methods(optarg);
			break;
		case 'w':
			opt.writers = number(optarg, 'w', 1);
			break;
		case 'f':
			opt.forkers = number(optarg, 'f', 0);
			break;
		case 'n':
			opt.launches = number(optarg, 'n', 1);
			break;
		case 's':
			opt.seconds = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || !(opt.seconds > 0))
				usage("-s: not a positive number: '%s'",
				      optarg);
			break;
		case 'i':
			if (strcmp(optarg, "script") == 0)
				opt.interp = INTERP_SCRIPT;
			else if (strcmp(optarg, "binary") == 0)
				opt.interp = INTERP_BINARY;
			else
				usage("-i: not 'script' or 'binary': '%s'",
				      optarg);
			break;
		case 'e':
			opt.binary = optarg;
			break;
		case 'r':
			opt.runscript = optarg;
			break;
		case 'd':
			opt.tmp = optarg;
			break;
		case 'T':
			opt.table = 1;
			break;
		case 'h':
			fputs(synopsis, stdout);
			fputs(usage_text, stdout);
			exit(0);
		default: /* getopt() has said what is wrong. */
			fputs(synopsis, stderr);
			exit(2);
		}
	}
	if (optind != argc)
		usage("unexpected argument '%s'", argv[optind]);
}

/* Reads all of a small file into memory. */
static char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1 || fstat(fd, &st) == -1)
		die("%s: %s", path, strerror(errno));
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		die("out of memory");
	while (got < (size_t)st.st_size &&
	       (n = read_some(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	if (got != (size_t)st.st_size)
		die("%s: short read", path);
	close(fd);
	*len = got;
	return buf;
}

static void
set_up(void)
{
	struct rlimit rl;
	const char *tmp = opt.tmp;

	/* Each writer holds up to five descriptors at once. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		die("/dev/null: %s", strerror(errno));
	for (int i = 0; i < opt.nmethods; i++)
		if (opt.methods[i] == RUNSCRIPT &&
		    access(opt.runscript, X_OK) == -1)
			die("%s: %s (build it, or name it with -r)",
			    opt.runscript, strerror(errno));

	if (tmp == NULL && (tmp = getenv("TMPDIR")) == NULL)
		tmp = "/tmp";
	if ((size_t)snprintf(dir, sizeof dir, "%s/race.XXXXXX", tmp) >=
	    sizeof dir)
		die("%s: name too long for a #! line", tmp);
	if (mkdtemp(dir) == NULL)
		die("%s: %s", dir, strerror(errno));
	snprintf(interp_path, sizeof interp_path, "%s/interp", dir);
	snprintf(interp_tmp, sizeof interp_tmp, "%s/interp.new", dir);

	switch (opt.interp) {
	case INTERP_NONE:
		script_len = (size_t)snprintf(script_text, sizeof script_text,
		                              "#!/bin/sh\nexit 0\n");
		break;
	case INTERP_SCRIPT:
		interp_data = strdup("#!/bin/sh\nexit 0\n");
		if (interp_data == NULL)
			die("out of memory");
		interp_len = strlen(interp_data);
		/* FALLTHROUGH */
	case INTERP_BINARY:
		if (interp_data == NULL)
			interp_data = slurp("/bin/true", &interp_len);
		script_len = (size_t)snprintf(script_text, sizeof script_text,
		                              "#!%s\nexit 0\n", interp_path);
		break;
	}
	launch_text = script_text;
	launch_len = script_len;
	if (opt.binary != NULL)
		launch_text = slurp(opt.binary, &launch_len);
}

static void
clean_up(void)
{
	unlink(interp_tmp);
	unlink(interp_path);
	if (rmdir(dir) == -1)
		fprintf(stderr, "race: %s: %s\n", dir, strerror(errno));
	free(interp_data);
	if (opt.binary != NULL)
		free((char *)launch_text);
	close(devnull);
}

int
main(int argc, char *argv[])
{
	struct result res[NMETHODS];

	parse_args(argc, argv);
	set_up();
	if (opt.table) {
		puts("| method | launches | ETXTBSY | other failures | launches/s |");
		puts("|---|---:|---:|---:|---:|");
	}
	for (int i = 0; i < opt.nmethods; i++) {
		res[i] = run(opt.methods[i]);
		if (opt.table)
			printf("| %s | %ld | %ld | %ld | %.1f |\n",
			       method_name[res[i].method], res[i].launches,
			       res[i].busy, res[i].other, res[i].per_s);
		else
			printf("method=%s launches=%ld etxtbsy=%ld other=%ld per_s=%.1f\n",
			       method_name[res[i].method], res[i].launches,
			       res[i].busy, res[i].other, res[i].per_s);
		fflush(stdout);
	}
	clean_up();
	if (ferror(stdout) || fflush(stdout) == EOF)
		die("write error: %s", strerror(errno));
	return 0;
}
