/*
 * libcall-gen — a differential test of librunscript.so against libc. From a
 * seed it makes random cases: a fixture (files of every kind a program may
 * name: scripts, chains, env scripts, files without #!, ELF programs,
 * FIFOs, directories, non-executable and missing files, on PATH layouts
 * with missing, empty, non-executable and directory candidates) and a call
 * of one exec or spawn function through tests/bin/launch (entry point,
 * argv and envp shapes, PATH, spawn attributes and file actions). Each case
 * runs twice in a fresh copy of its fixture, without the library (the
 * oracle) and with LD_PRELOAD=LIB; what launch prints (the outcome, errno
 * or return value, the argv and descriptors the program sees, the child's
 * status) and its exit status must be the same.
 *
 * libcall-gen -l LAUNCH -a ARGV -L LIB -d DIR [-s SEED] [-n CASES]
 *             [-c CASE] [-v]
 *
 * DIR is an empty directory to work in; ARGV the argv printer. Prints one
 * line per disagreement, naming the case, then a summary:
 * "libcall-gen: seed S: N cases, D disagreements, C where libc crashed".
 * -c runs only case CASE of the seed's sequence, and -v prints each case's
 * fixture (as shell commands), its launch command and both runs: a
 * disagreement's line gives the -c and -s that reproduce it. Exits 1 when
 * any case disagrees, 2 on a usage or set-up error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_DISAGREE 1
#define EXIT_USAGE    2
#define MAX_WORDS     64
#define MAX_OUTPUT    65536
#define SCRIPT_ROOM   8192
/* A run still going after this long is killed (launch's alarm is 5 s). */
#define RUN_LIMIT_MS 20000

/* launch's methods, with what they accept. */
static const struct method {
	const char *name;
	int search; /* looks the name up on PATH */
	int env;    /* takes envp: -E and -Z */
	int spawn;  /* posix_spawn(p): file actions and attributes */
	int list;   /* the execl family: no NULL argv */
} methods[] = {
        {"execve", 0, 1, 0, 0},       {"execv", 0, 0, 0, 0},
        {"execvp", 1, 0, 0, 0},       {"execvpe", 1, 1, 0, 0},
        {"execl", 0, 0, 0, 1},        {"execlp", 1, 0, 0, 1},
        {"execle", 0, 1, 0, 1},       {"posix_spawn", 0, 1, 1, 0},
        {"posix_spawnp", 1, 1, 1, 0}, {"fork-execv", 0, 0, 0, 0},
        {"vfork-execve", 0, 1, 0, 0},
};
#define N_METHODS (sizeof methods / sizeof methods[0])

/* The kinds of file a case may name or put on PATH. */
enum kind {
	K_SCRIPT,        /* #!./p -s */
	K_ABS_SCRIPT,    /* #!/abs/p with an argument */
	K_CHAIN,         /* #!./k, k being #!./p -k */
	K_ENV_SCRIPT,    /* #!/usr/bin/env argvp */
	K_NO_SHEBANG,    /* a shell text without #! */
	K_ELF,           /* the argv printer */
	K_FIFO,          /* a FIFO, mode 755 */
	K_DIR,           /* a directory */
	K_NOEXEC,        /* a script of mode 644 */
	K_EMPTY,         /* an empty file, mode 755 */
	K_MISSING,       /* nothing */
	K_BAD_INTERP,    /* #!./nointerp */
	K_SYMLINK,       /* a symlink to a script */
	K_CR_INTERP,     /* #!./p\r */
	K_NOEXEC_INTERP, /* #!./q, q a copy of p of mode 644 */
	N_KINDS
};

/* One case: its fixture is made, and its reproduction written, as drawn. */
struct gen {
	uint64_t rng;
	const char *argvp; /* the argv printer */
	const char *top;   /* the work directory, absolute */
	int verbose;
	char *words[MAX_WORDS]; /* launch's command line */
	int n;
	char store[MAX_WORDS][256];
};

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "libcall-gen: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(EXIT_USAGE);
}

/* splitmix64: a small generator whose sequence depends on the seed only. */
static uint64_t
next(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int
pick(struct gen *g, int n)
{
	return (int)(next(g) % (uint64_t)n);
}

/* A shell command that makes part of the fixture, for -v. */
static void
say(const struct gen *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->verbose)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void
put_file(const struct gen *g, const char *path, const char *text, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	size_t len = strlen(text);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0 ||
	    chmod(path, (mode_t)mode) != 0)
		die("cannot write %s: %s", path, strerror(errno));
	say(g, "printf '%%s' '%s' >'%s'; chmod %o '%s'", text, path, mode,
	    path);
}

/* A copy of the argv printer with a mode of its own: a link would share it. */
static void
copy_printer(const char *from, const char *path, int mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	unlink(path);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (in < 0 || out < 0)
		die("cannot copy %s to %s: %s", from, path, strerror(errno));
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("cannot write %s", path);
	if (n < 0 || close(out) != 0 || chmod(path, (mode_t)mode) != 0)
		die("cannot copy %s to %s", from, path);
	close(in);
}

static void
link_printer(const struct gen *g, const char *path, int mode)
{
	if (link(g->argvp, path) != 0 && errno != EEXIST)
		die("cannot link %s to %s: %s", path, g->argvp,
		    strerror(errno));
	if (mode != 0755)
		copy_printer(g->argvp, path, mode);
	say(g, "cp '%s' '%s'; chmod %o '%s'", g->argvp, path, mode, path);
}

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

/*
 * make: a file of KIND at PATH (relative to the case's directory), in place
 * of what a case drew there before (a FIFO would block the writing).
 */
static void
make(struct gen *g, const char *path, enum kind kind)
{
	char text[SCRIPT_ROOM];

	if (kind != K_DIR)
		nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	switch (kind) {
	case K_SCRIPT:
		put_file(g, path, "#!./p -s\n", 0755);
		break;
	case K_ABS_SCRIPT:
		snprintf(text, sizeof text, "#!%s/case/p abs arg\n", g->top);
		put_file(g, path, text, 0755);
		break;
	case K_CHAIN:
		put_file(g, "k", "#!./p -k\n", 0755);
		put_file(g, path, "#!./k -c\n", 0755);
		break;
	case K_ENV_SCRIPT:
		put_file(g, path, "#!/usr/bin/env argvp\n", 0755);
		break;
	case K_NO_SHEBANG:
		put_file(g, path, "exec ./p from-sh \"$@\"\n", 0755);
		break;
	case K_ELF:
		link_printer(g, path, 0755);
		break;
	case K_FIFO:
		if (mkfifo(path, 0755) != 0 || chmod(path, 0755) != 0)
			die("cannot make the FIFO %s", path);
		say(g, "mkfifo -m 755 '%s'", path);
		break;
	case K_DIR:
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			die("cannot make the directory %s", path);
		say(g, "mkdir -p '%s'", path);
		break;
	case K_NOEXEC:
		put_file(g, path, "#!./p -n\n", 0644);
		break;
	case K_EMPTY:
		put_file(g, path, "", 0755);
		break;
	case K_MISSING:
		break;
	case K_BAD_INTERP:
		put_file(g, path, "#!./nointerp\n", 0755);
		break;
	case K_SYMLINK:
		put_file(g, "target", "#!./p -t\n", 0755);
		if (symlink(strchr(path, '/') != NULL ? "../target" : "target",
		            path) != 0)
			die("cannot make the symlink %s", path);
		say(g, "ln -s '%s' '%s'",
		    strchr(path, '/') != NULL ? "../target" : "target", path);
		break;
	case K_CR_INTERP:
		put_file(g, path, "#!./p\r\n", 0755);
		break;
	case K_NOEXEC_INTERP:
		link_printer(g, "q", 0644);
		put_file(g, path, "#!./q\n", 0755);
		break;
	case N_KINDS:
		break;
	}
}

/* word: append a word to launch's command line. */
static void
word(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	if (g->n >= MAX_WORDS - 1)
		die("too many words");
	va_start(ap, fmt);
	vsnprintf(g->store[g->n], sizeof g->store[g->n], fmt, ap);
	va_end(ap);
	g->words[g->n] = g->store[g->n];
	g->n++;
	g->words[g->n] = NULL;
}

/* path_layout: PATH for a searching method, its directories made. */
static void
path_layout(struct gen *g)
{
	static const char *const dirs[] = {"d0", "d1", "d2"};
	char path[512] = "";
	size_t used = 0;
	int n = 1 + pick(g, 3);

	if (pick(g, 8) == 0) {
		word(g, "-P");
		return;
	}
	for (int i = 0; i < n; i++) {
		int what = pick(g, 8);
		const char *elt;

		if (what < 4) {
			elt = dirs[i];
			make(g, elt, K_DIR);
			if (pick(g, 4) != 0) {
				char name[64];

				snprintf(name, sizeof name, "%s/name", elt);
				make(g, name, (enum kind)pick(g, N_KINDS));
			}
		} else if (what == 4) {
			elt = "";
		} else if (what == 5) {
			elt = "missing";
		} else if (what == 6) {
			elt = "bin";
		} else {
			elt = "/usr/bin";
		}
		used += (size_t)snprintf(path + used, sizeof path - used,
		                         "%s%s", i > 0 ? ":" : "", elt);
	}
	word(g, "-p");
	word(g, "%s", path);
}

/* spawn_actions: up to three file actions, and perhaps an attribute. */
static void
spawn_actions(struct gen *g)
{
	static const char *const closes[] = {"0", "2", "3", "20"};
	static const char *const chdirs[] = {"sub", "missing", "d0", "."};
	int n = pick(g, 4);

	for (int i = 0; i < n; i++) {
		switch (pick(g, 9)) {
		case 0:
			word(g, "-C");
			word(g, "%s", closes[pick(g, 4)]);
			break;
		case 1:
			word(g, "-d");
			word(g, "%s", chdirs[pick(g, 4)]);
			break;
		case 2:
			word(g, "-D");
			word(g, "sub");
			break;
		case 3:
			/* Not the named file: the child's open of a FIFO
			 * would wait for a writer for ever, with libc too. */
			word(g, "-o");
			word(g, "%s", pick(g, 2) ? "in.txt" : "missing");
			break;
		case 4:
			word(g, "-u");
			word(g, "%s", pick(g, 2) ? "2" : "3");
			break;
		case 5:
			word(g, "-w");
			word(g, "out.txt");
			break;
		case 6:
			word(g, "-X");
			word(g, "excl.txt");
			break;
		case 7:
			word(g, "-j");
			break;
		default:
			word(g, "-g");
			word(g, "0");
			break;
		}
	}
}

/*
 * draw: the fixture of a case, made in the current directory, and launch's
 * command line (without launch itself), both from the generator's state.
 */
static void
draw(struct gen *g, const char *launch)
{
	static const char *const args[] = {"A",  "",         "b c",
	                                   "-x", "\xc3\xa4", "*"};
	const struct method *m = &methods[pick(g, N_METHODS)];
	static const char *const forms[] = {"./name", "name", "sub/name",
	                                    "abs"};
	const char *form;
	int nargs = pick(g, 4), argv_shape = pick(g, 20);

	g->n = 0;
	word(g, "%s", launch);
	word(g, "%s", m->name);
	word(g, "-t");
	word(g, "5");
	link_printer(g, "p", 0755);
	put_file(g, "in.txt", "input\n", 0644);
	make(g, "sub", K_DIR);
	make(g, "bin", K_DIR);
	link_printer(g, "bin/argvp", 0755);
	form = m->search && pick(g, 4) != 0 ? "name" : forms[pick(g, 4)];
	if (strcmp(form, "sub/name") == 0)
		make(g, "sub/name", (enum kind)pick(g, N_KINDS));
	else
		make(g, "name", (enum kind)pick(g, N_KINDS));
	if (pick(g, 3) == 0)
		make(g, "sub/name", (enum kind)pick(g, N_KINDS));
	if (m->search)
		path_layout(g);
	if (m->env && pick(g, 5) == 0)
		word(g, pick(g, 2) ? "-E" : "-Z");
	if (m->spawn)
		spawn_actions(g);
	/*
	 * Not execle with an empty list: glibc reads its envp from past the
	 * list's end (its loop starts after arg even when arg is NULL), where
	 * the library reads it after the NULL, as POSIX has it.
	 */
	if (argv_shape == 0 && !(m->list && m->env)) {
		word(g, "-0");
		nargs = 0;
	} else if (argv_shape == 1 && !m->list) {
		word(g, "-n");
		nargs = 0;
	} else if (argv_shape == 2) {
		word(g, "-a");
		word(g, "%s", pick(g, 2) ? "" : "other");
	}
	if (strcmp(form, "abs") == 0)
		word(g, "%s/case/name", g->top);
	else
		word(g, "%s", form);
	for (int i = 0; i < nargs; i++)
		word(g, "%s", args[pick(g, 6)]);
}

/* The outcome of one run of launch. */
struct run {
	int status;
	char out[MAX_OUTPUT];
	size_t len;
};

/* run_launch: launch's command line in DIR, with LIB preloaded if not NULL. */
static void
run_launch(char *const words[], const char *dir, const char *lib, struct run *r)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (chdir(dir) != 0 || null < 0 || setpgid(0, 0) != 0)
			_exit(EXIT_USAGE);
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		close_range(3, ~0U, 0);
		if (lib != NULL)
			setenv("LD_PRELOAD", lib, 1);
		else
			unsetenv("LD_PRELOAD");
		execv(words[0], words);
		_exit(127);
	}
	if (pid < 0)
		die("fork: %s", strerror(errno));
	close(p[1]);
	r->len = 0;
	for (;;) {
		struct pollfd pfd = {p[0], POLLIN, 0};

		/* A case stuck past launch's own alarm (a spawn child that
		 * blocks) is killed whole, and reported as such. */
		if (poll(&pfd, 1, RUN_LIMIT_MS) == 0) {
			kill(-pid, SIGKILL);
			r->len = (size_t)snprintf(
			        r->out, sizeof r->out,
			        "libcall-gen: killed after %d ms\n",
			        RUN_LIMIT_MS);
			break;
		}
		ssize_t got =
		        read(p[0], r->out + r->len, sizeof r->out - 1 - r->len);
		if (got <= 0)
			break;
		r->len += (size_t)got;
	}
	r->out[r->len] = '\0';
	close(p[0]);
	while (waitpid(pid, &r->status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
}

/* fresh_case: an empty ./case in the work directory, entered. */
static void
fresh_case(const char *top)
{
	if (chdir(top) != 0)
		die("cannot enter %s", top);
	nftw("case", remove_one, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir("case", 0755) != 0 || chdir("case") != 0)
		die("cannot make %s/case: %s", top, strerror(errno));
}

/* A wait status in words, into BUF. */
static const char *
status_words(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	return buf;
}

static void
print_run(const char *label, const struct run *r)
{
	char st[32];

	printf("--- %s: %s\n%s", label, status_words(r->status, st, sizeof st),
	       r->out);
}

/* The first line where A and B differ, for the one-line report. */
static void
first_difference(const struct run *a, const struct run *b, char *buf,
                 size_t size)
{
	size_t i = 0, start;
	char sa[32], sb[32];

	while (a->out[i] != '\0' && a->out[i] == b->out[i])
		i++;
	for (start = i; start > 0 && a->out[start - 1] != '\n'; start--)
		;
	snprintf(buf, size, "libc: \"%.*s\" (%s); library: \"%.*s\" (%s)",
	         (int)strcspn(a->out + start, "\n"), a->out + start,
	         status_words(a->status, sa, sizeof sa),
	         (int)strcspn(b->out + start, "\n"), b->out + start,
	         status_words(b->status, sb, sizeof sb));
}

/* Whether libc alone crashed (launch, or the child it reports). */
static int
libc_crashed(const struct run *r)
{
	return WIFSIGNALED(r->status) ||
	       strstr(r->out, "launch: status=signal 11") != NULL;
}

int
main(int argc, char *argv[])
{
	const char *launch = NULL, *argvp = NULL, *lib = NULL, *dir = NULL;
	unsigned long long seed = 1;
	long cases = 100, only = -1, disagree = 0, crashed = 0;
	int verbose = 0, opt;
	char top[4096], line[1024];
	static struct run oracle, with;

	while ((opt = getopt(argc, argv, "a:c:d:l:L:n:s:v")) != -1) {
		switch (opt) {
		case 'a':
			argvp = optarg;
			break;
		case 'c':
			only = strtol(optarg, NULL, 10);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'l':
			launch = optarg;
			break;
		case 'L':
			lib = optarg;
			break;
		case 'n':
			cases = strtol(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			die("usage: libcall-gen -l LAUNCH -a ARGV -L LIB -d DIR "
			    "[-s SEED] [-n CASES] [-c CASE] [-v]");
		}
	}
	if (launch == NULL || argvp == NULL || lib == NULL || dir == NULL)
		die("-l, -a, -L and -d are required");
	if (realpath(dir, top) == NULL)
		die("no directory %s", dir);
	for (long i = only < 0 ? 0 : only; i < (only < 0 ? cases : only + 1);
	     i++) {
		struct gen g = {.argvp = argvp, .top = top, .verbose = verbose};
		int round;

		for (round = 0; round < 2; round++) {
			g.rng = seed * 1000003ULL + (uint64_t)i;
			g.verbose = verbose && round == 0;
			fresh_case(top);
			if (g.verbose)
				printf("=== case %ld of seed %llu, in %s/case:\n",
				       i, seed, top);
			draw(&g, launch);
			run_launch(g.words, ".", round == 0 ? NULL : lib,
			           round == 0 ? &oracle : &with);
		}
		if (verbose) {
			printf("launch");
			for (int w = 1; w < g.n; w++)
				printf(" '%s'", g.words[w]);
			printf("\n");
			print_run("libc alone", &oracle);
			print_run("with the library", &with);
		}
		if (oracle.status == with.status &&
		    strcmp(oracle.out, with.out) == 0)
			continue;
		/* Where libc itself crashes, the library need not. */
		if (libc_crashed(&oracle)) {
			crashed++;
			continue;
		}
		disagree++;
		first_difference(&oracle, &with, line, sizeof line);
		printf("DIFFER case %ld (libcall-gen -s %llu -c %ld -v): launch",
		       i, seed, i);
		for (int w = 1; w < g.n; w++)
			printf(" '%s'", g.words[w]);
		printf(": %s\n", line);
	}
	fresh_case(top);
	printf("libcall-gen: seed %llu: %ld cases, %ld disagreements, %ld "
	       "where libc crashed\n",
	       seed, only < 0 ? cases : 1, disagree, crashed);
	return disagree != 0 ? EXIT_DISAGREE : 0;
}
