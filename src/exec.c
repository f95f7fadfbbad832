/*
 * The kernel, done in user space: runscript checks each file of a script's
 * interpreter chain as fs/exec.c's open_exec() does, reads its #! line as
 * fs/binfmt_script.c does, and lets the kernel exec only the end of the
 * chain, so that the script itself is never exec'd and so never refused
 * for being open for writing somewhere (ETXTBSY).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "path.h"
#include "quote.h"
#include "shebang.h"

#ifndef ST_NOEXEC
#define ST_NOEXEC 8 /* Linux's flag; glibc names it only for _GNU_SOURCE. */
#endif

extern char **environ;

enum fault {
	FAULT_FILE,     /* file cannot be run */
	FAULT_READ,     /* file's #! line cannot be read */
	FAULT_TOO_LONG, /* file's #! line is over runscript's limit */
	FAULT_INTERP,   /* file's #! line names interp, which cannot be run */
	FAULT_LOOP,     /* file's interpreter chain is too deep */
	FAULT_MISSING,  /* a PATH search for file found nothing */
};

struct failure {
	enum fault fault;
	int err;
	const char *file;
	const char *interp;
};

/*
 * One file of an interpreter chain: its first bytes, maybe a #! line. The
 * buffer comes last, so that a short read touches one page, not two.
 */
struct level {
	size_t len;
	struct shebang sb;
	char buf[SHEBANG_BUF_SIZE];
};

static struct level chain[RS_MAX_SCRIPTS + 1];

static int
fail(struct failure *f, enum fault fault, int err, const char *file,
     const char *interp)
{
	f->fault = fault;
	f->err = err;
	f->file = file;
	f->interp = interp;
	return err;
}

/* The checks of the kernel's open_exec() on a file about to be exec'd. */
static int
check_exec(const char *file)
{
	struct stat st;

	/*
	 * The kernel takes an empty interpreter name as it is, and its
	 * lookup ends at the current directory, which cannot be exec'd.
	 */
	if (stat(*file != '\0' ? file : ".", &st) == -1)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	/* access() also answers EACCES for a file on a noexec mount. */
	if (access(file, X_OK) == -1)
		return errno;
	return 0;
}

/*
 * One read, as the kernel's kernel_read(): from a regular file it gives
 * all there is, so a short count means the end of the file.
 */
static int
read_upto(int fd, struct level *l, size_t want)
{
	ssize_t n = read(fd, l->buf + l->len, want - l->len);

	if (n == -1)
		return errno;
	l->len += (size_t)n;
	return 0;
}

/*
 * Reads what the kernel reads of file, and the rest of a #! line that does
 * not end there.
 */
static int
read_head(const char *file, struct level *l)
{
	int fd, err;

	l->len = 0;
	/* openat(): musl's open() adds an fcntl() to set O_CLOEXEC again. */
	fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return errno;
	err = read_upto(fd, l, SHEBANG_KERNEL_BUF);
	if (err == 0 && shebang_needs_more(l->buf, l->len))
		err = read_upto(fd, l, SHEBANG_LINE_MAX + 1);
	close(fd);
	return err;
}

static void
print_command(const char *path, char *const argv[])
{
	/* Pasted into a shell, a bare name would be searched on PATH. */
	if (strchr(path, '/') == NULL)
		fputs("./", stdout);
	quote_word(stdout, path);
	for (argv++; *argv != NULL; argv++) {
		putchar(' ');
		quote_word(stdout, *argv);
	}
	putchar('\n');
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "runscript: write error: %s\n",
		        strerror(errno));
		exit(RS_EXIT_USAGE);
	}
}

/*
 * The one exec. A file that is busy (ETXTBSY) is most likely held open for
 * writing by a child that another thread of our parent forked, and which
 * will close it as it execs: wait a little, doubling the wait each time.
 */
static int
execute(const char *path, char *const argv[], const struct rs_options *o)
{
	if (o->dry_run) {
		print_command(path, argv);
		exit(0);
	}
	for (int i = 0;; i++) {
		long ms = 1L << i;
		struct timespec nap = {ms / 1000, ms % 1000 * 1000000L};

		execve(path, argv, environ);
		if (errno != ETXTBSY || i == RS_BUSY_RETRIES)
			return errno;
		nanosleep(&nap, NULL);
	}
}

/* execvp(3)'s answer to ENOEXEC: /bin/sh SCRIPT ARG... */
static int
run_shell(const char *path, char *argv[], const struct rs_options *o,
          struct failure *f)
{
	size_t n = 0;
	char **shargv;
	int err;

	while (argv[n] != NULL)
		n++;
	if ((shargv = malloc((n + 2) * sizeof *shargv)) == NULL)
		return fail(f, FAULT_FILE, ENOMEM, path, NULL);
	shargv[0] = RS_SHELL;
	shargv[1] = (char *)path;
	memcpy(shargv + 2, argv + 1, n * sizeof *shargv);
	err = execute(RS_SHELL, shargv, o);
	free(shargv);
	return fail(f, FAULT_FILE, err, RS_SHELL, NULL);
}

/* The strings the #! line of chain[d] adds to argv; stores them when out. */
static size_t
line_args(size_t d, int split, char **out)
{
	struct shebang *sb = &chain[d].sb;
	size_t n = 1;

	if (out != NULL)
		out[0] = sb->interp;
	if (sb->arg != NULL && split)
		n += shebang_split(sb->arg, out != NULL ? out + 1 : NULL);
	else if (sb->arg != NULL) {
		if (out != NULL)
			out[1] = sb->arg;
		n++;
	}
	return n;
}

/* Room for the argv of most runs, where a malloc() would cost new pages. */
#define ARGV_ROOM 64

/*
 * The kernel's argv for a chain of depth scripts: each level puts its
 * interpreter and optional argument in front of the one below, and the
 * script's own argv[0] gives way to its path. It goes in room when it fits.
 */
static char **
chain_argv(size_t depth, const char *path, char *const args[], int split,
           char **room)
{
	size_t n = 0, nargs = 0, d;
	char **argv = room, **p;

	for (d = 0; d < depth; d++)
		n += line_args(d, split, NULL);
	while (args[nargs] != NULL)
		nargs++;
	if (n + nargs + 2 > ARGV_ROOM &&
	    (argv = malloc((n + nargs + 2) * sizeof *argv)) == NULL)
		return NULL;
	p = argv;
	for (d = depth; d-- > 0;)
		p += line_args(d, split, p);
	*p++ = (char *)path;
	memcpy(p, args, (nargs + 1) * sizeof *p);
	return argv;
}

static int
is_elf(const struct level *l)
{
	return l->len >= 4 && memcmp(l->buf, "\177ELF", 4) == 0;
}

static void warn_bom(const char *path, const struct level *l);

/*
 * Runs the file at path as execve(2) would, argv[0] being the name it was
 * given as. Returns only on failure, with an errno, and says what failed
 * in f.
 */
static int
run_file(const char *path, char *argv[], const struct rs_options *o,
         struct failure *f)
{
	const char *file = path;
	struct level *l;
	char **xargv = argv, *room[ARGV_ROOM];
	size_t depth;
	int err;

	if ((err = check_exec(path)) != 0)
		return fail(f, FAULT_FILE, err, path, NULL);
	for (depth = 0;; depth++) {
		l = &chain[depth];
		/*
		 * The kernel loads a file it may exec but we may not read:
		 * leave it to the kernel, as the end of the chain.
		 */
		if ((err = read_head(file, l)) == EACCES)
			goto loaded;
		if (err != 0)
			return fail(f, FAULT_READ, err, file, NULL);
		switch (shebang_parse(l->buf, l->len, &l->sb)) {
		case SHEBANG_OK:
			break;
		case SHEBANG_NONE:
			goto loaded;
		case SHEBANG_ENOEXEC:
			return run_shell(path, argv, o, f);
		case SHEBANG_TOO_LONG:
			return fail(f, FAULT_TOO_LONG, ENOEXEC, file, NULL);
		}
		if ((err = check_exec(l->sb.interp)) != 0)
			return fail(f, FAULT_INTERP, err, file, l->sb.interp);
		/* The kernel opens the next interpreter, then gives up. */
		if (depth == RS_MAX_SCRIPTS)
			return fail(f, FAULT_LOOP, ELOOP, path, NULL);
		file = l->sb.interp;
	}
loaded:
	if (depth == 0)
		warn_bom(path, l);
	else if ((xargv = chain_argv(depth, path, argv + 1, o->split, room)) ==
	         NULL)
		return fail(f, FAULT_FILE, ENOMEM, path, NULL);
	/*
	 * A dry run cannot ask the kernel, so it takes only ELF, or a file it
	 * cannot read, as loadable.
	 */
	if (!o->dry_run || err == EACCES || is_elf(l)) {
		err = execute(file, xargv, o);
		if (xargv != argv && xargv != room)
			free(xargv);
		if (err != ENOEXEC)
			return fail(f, FAULT_FILE, err, file, NULL);
	}
	return run_shell(path, argv, o, f);
}

/*
 * A failure kept from a PATH search, whose candidate names and #! lines are
 * gone by the time the search ends.
 */
struct kept {
	int have;
	struct failure f;
	char file[4096];
	char interp[SHEBANG_BUF_SIZE];
};

/* The first candidate refused with EACCES; the latest one that exists. */
static struct kept kept_eacces, kept_found;

static void
keep(struct kept *k, const struct failure *f)
{
	k->have = 1;
	k->f = *f;
	snprintf(k->file, sizeof k->file, "%s", f->file);
	k->f.file = k->file;
	if (f->interp != NULL) {
		snprintf(k->interp, sizeof k->interp, "%s", f->interp);
		k->f.interp = k->interp;
	}
}

/* A PATH search under way: what to run. */
struct search {
	char **argv;
	const struct rs_options *o;
};

static int
try_candidate(const char *path, void *ctx)
{
	const struct search *s = ctx;
	struct failure f;
	int err = run_file(path, s->argv, s->o, &f);
	int absent = f.fault == FAULT_FILE && f.file == path &&
	             (err == ENOENT || err == ENOTDIR);

	if (err == EACCES && !kept_eacces.have)
		keep(&kept_eacces, &f);
	else if (!absent)
		keep(&kept_found, &f);
	return err;
}

/* Writes a name with its control bytes in caret notation (\r as ^M). */
static void
put_name(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			putc('^', stderr);
			putc(c ^ 0x40, stderr);
		} else
			putc(c, stderr);
	}
}

/* Starts a message about file: "runscript: FILE: ". */
static void
about(const char *file)
{
	fputs("runscript: ", stderr);
	put_name(*file != '\0' ? file : "''");
	fputs(": ", stderr);
}

static void say(const char *file, const char *fmt, ...) RS_PRINTF(2, 3);

static void
say(const char *file, const char *fmt, ...)
{
	va_list ap;

	about(file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	putc('\n', stderr);
}

static void
warn_bom(const char *path, const struct level *l)
{
	if (l->len >= 5 && memcmp(l->buf, "\357\273\277#!", 5) == 0)
		say(path,
		    "warning: a UTF-8 byte order mark precedes '#!', so the "
		    "#! line is ignored and %s runs it",
		    RS_SHELL);
}

/* A hint naming a command to type: "runscript: FILE: hint: TEXT 'FILE'". */
static void
hint_command(const char *file, const char *text)
{
	about(file);
	fprintf(stderr, "hint: %s ", text);
	quote_word(stderr, file);
	putc('\n', stderr);
}

/* Why the kernel would refuse to exec file with EACCES, when we can tell. */
static void
hint_access(const char *file)
{
	struct stat st;
	struct statvfs vfs;

	if (stat(file, &st) == -1)
		return;
	if (S_ISDIR(st.st_mode))
		say(file, "hint: it is a directory");
	else if (!S_ISREG(st.st_mode))
		say(file, "hint: it is not a regular file");
	else if ((st.st_mode & 0111) == 0)
		hint_command(file,
		             "it is not executable; make it so with: chmod +x");
	else if (statvfs(file, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		say(file, "hint: its file system is mounted noexec");
}

static int
report(const struct failure *f)
{
	const char *why = strerror(f->err);
	size_t n;

	switch (f->fault) {
	case FAULT_FILE:
		say(f->file, "%s%s", why,
		    f->err == ETXTBSY ? " (still busy after retrying for 2 s)"
		                      : "");
		if (f->err == EACCES)
			hint_access(f->file);
		break;
	case FAULT_READ:
		say(f->file, "cannot read the #! line: %s", why);
		break;
	case FAULT_TOO_LONG:
		say(f->file, "#! line longer than %d bytes", SHEBANG_LINE_MAX);
		break;
	case FAULT_INTERP:
		about(f->file);
		fputs("bad interpreter '", stderr);
		put_name(f->interp);
		fprintf(stderr, "': %s\n", why);
		n = strlen(f->interp);
		if (n == 0)
			say(f->file, "hint: the #! line names no interpreter");
		else if (f->interp[n - 1] == '\r')
			hint_command(f->file,
			             "the #! line ends in a carriage return "
			             "(DOS line endings); convert the file "
			             "with: sed -i 's/\\r$//'");
		else if (f->err == EACCES)
			hint_access(f->interp);
		break;
	case FAULT_LOOP:
		say(f->file, "too many levels of nested interpreters");
		say(f->file,
		    "hint: the kernel runs at most %d scripts in a chain; "
		    "does one name itself as its interpreter?",
		    RS_MAX_SCRIPTS);
		break;
	case FAULT_MISSING:
		say(f->file, "command not found");
		break;
	}
	return f->err == ENOENT ? RS_EXIT_NOT_FOUND : RS_EXIT_CANNOT_RUN;
}

int
exec_script(char *argv[], const struct rs_options *o)
{
	struct search s = {argv, o};
	struct failure f;
	int err;

	if (strchr(argv[0], '/') != NULL) {
		run_file(argv[0], argv, o, &f);
		return report(&f);
	}
	/* Report the failure that execvp(3)'s final errno stands for. */
	err = path_search(argv[0], try_candidate, &s);
	if (err == EACCES && kept_eacces.have)
		return report(&kept_eacces.f);
	if (kept_found.have && kept_found.f.err == err)
		return report(&kept_found.f);
	fail(&f, err == ENOENT ? FAULT_MISSING : FAULT_FILE, err, argv[0],
	     NULL);
	return report(&f);
}
