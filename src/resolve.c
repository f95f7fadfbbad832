/*
 * The kernel, done in user space: each file of a script's interpreter chain
 * is checked as fs/exec.c's open_exec() does and its #! line read as
 * fs/binfmt_script.c does, so that only the end of the chain need be
 * exec'd: the scripts themselves are only read, and so never refused for
 * being open for writing somewhere (ETXTBSY).
 *
 * Async-signal-safe and reentrant: only system calls (fstatat, faccessat,
 * openat, read, close, mmap), the caller's memory, no writable static data.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "binfmt.h"
#include "resolve.h"

static int
fail(struct rs_failure *f, enum rs_fault fault, int err, const char *at_fault,
     const char *named)
{
	f->fault = fault;
	f->err = err;
	f->file = at_fault;
	f->interp = named;
	return err;
}

static int
plan(struct rs_plan *p, enum rs_run run, const char *file)
{
	p->run = run;
	p->file = file;
	return 0;
}

/*
 * Whether the caller may exec file as the kernel's exec checks it: with
 * the effective ids and capabilities (faccessat2's AT_EACCESS), where
 * access(2) would take the real ones. Kernels before 5.8 lack faccessat2:
 * access(2) is the nearest there. A noexec mount answers EACCES.
 */
static int
may_exec(int dirfd, const char *file)
{
#ifdef SYS_faccessat2
	if (syscall(SYS_faccessat2, dirfd, file, X_OK, AT_EACCESS) == 0)
		return 0;
	if (errno != ENOSYS)
		return errno;
#endif
	return faccessat(dirfd, file, X_OK, 0) == 0 ? 0 : errno;
}

/* The checks of the kernel's open_exec(), on what st describes. */
static int
check_exec(int dirfd, const char *file, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return EACCES;
	return may_exec(dirfd, file);
}

/*
 * One read, as the kernel's kernel_read(): from a regular file it gives
 * all there is, so a short count means the end of the file.
 */
static int
read_upto(int fd, struct rs_level *l, size_t want)
{
	ssize_t n = read(fd, l->buf + l->len, want - l->len);

	if (n == -1)
		return errno;
	l->len += (size_t)n;
	return 0;
}

/* The rest of a #! line that does not end within the kernel's buffer. */
static int
read_long_line(int fd, struct rs_level *l)
{
	void *m = mmap(NULL, SHEBANG_BUF_SIZE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return errno;
	memcpy(m, l->head, l->len);
	l->buf = m;
	l->mapped = SHEBANG_BUF_SIZE;
	return read_upto(fd, l, SHEBANG_LINE_MAX + 1);
}

/*
 * Checks file as the kernel would before exec'ing it, and reads what the
 * kernel reads of it (want bytes), and the rest of a long #! line. It is opened
 * first and then checked, so that what is checked is what is read, and opened
 * without waiting, as a FIFO would have it wait for a writer. Returns 0,
 * an errno, or RS_UNREAD for a file that may be exec'd but not read here.
 * With lint set, a regular file is read even if it may not be exec'd.
 */
#define RS_UNREAD (-1)
static int
load(int dirfd, const char *file, struct rs_level *l, size_t want, int lint)
{
	struct stat st;
	int fd, err;

	l->buf = l->head;
	l->len = 0;
	/*
	 * The kernel takes an empty interpreter name as it is, and its
	 * lookup ends at the current directory, which cannot be exec'd.
	 */
	if (*file == '\0')
		file = ".";
	fd = openat(dirfd, file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		/* Unreadable, or no descriptor left: the kernel may still. */
		err = errno;
		if (err != EACCES && err != EMFILE && err != ENFILE)
			return err;
		if (fstatat(dirfd, file, &st, 0) == -1)
			return errno;
		err = check_exec(dirfd, file, &st);
		return err != 0 ? err : RS_UNREAD;
	}
	if (fstat(fd, &st) == -1)
		err = errno;
	else if ((err = check_exec(dirfd, file, &st)) == EACCES && lint &&
	         S_ISREG(st.st_mode))
		err = 0;
	if (err == 0 && want > 0 && (err = read_upto(fd, l, want)) == 0 &&
	    shebang_needs_more(l->buf, l->len))
		err = read_long_line(fd, l);
	close(fd);
	return err;
}

static int
starts_with(const struct rs_level *l, const char *magic, size_t n)
{
	return l->len >= n && memcmp(l->buf, magic, n) == 0;
}

/*
 * Whether a #! line runs env on a plain command name: no option, no
 * assignment, no blank but those -S split at. That runscript can run as
 * env would, with execvp(3), sparing an exec; env runs anything else.
 */
static int
env_command(const struct rs_level *l)
{
	const char *name = l->sb.arg;

	if (strcmp(l->sb.interp, "/usr/bin/env") != 0 &&
	    strcmp(l->sb.interp, "/bin/env") != 0)
		return 0;
	return name != NULL && *name != '\0' && *name != '-' &&
	       strpbrk(name, " \t=") == NULL;
}

/*
 * The end of the chain: a file without #!, which the kernel loads itself
 * or refuses with ENOEXEC, when that can be told without exec'ing it.
 */
static int
end_of_chain(struct rs_plan *p, const struct rs_level *l, const char *file)
{
	p->bom = p->depth == 0 && starts_with(l, "\357\273\277#!", 5);
	switch (binfmt_of(file, l->buf, l->len)) {
	case BINFMT_LOADED:
		return plan(p, RS_RUN_EXEC, file);
	case BINFMT_ENOEXEC:
		return plan(p, RS_RUN_SHELL, p->script);
	default:
		return plan(p, RS_RUN_KERNEL, file);
	}
}

/*
 * The file a #! line names after the last the kernel would load: checked,
 * as the kernel opens it, then ELOOP.
 */
static int
too_deep(int dirfd, struct rs_plan *p, struct rs_failure *f, const char *by,
         const char *file)
{
	struct rs_level next;
	int err = load(dirfd, file, &next, 0, 0);

	if (err != 0 && err != RS_UNREAD)
		return fail(f, RS_FAULT_INTERP, err, by, file);
	return fail(f, RS_FAULT_LOOP, ELOOP, p->script, NULL);
}

/* A chain that ends in env, given a command name: env is checked only. */
static int
env_plan(int dirfd, struct rs_plan *p, struct rs_failure *f, const char *by,
         const char *file)
{
	struct rs_level next;
	int err = load(dirfd, file, &next, 0, 0);

	if (err != 0 && err != RS_UNREAD)
		return fail(f, RS_FAULT_INTERP, err, by, file);
	p->depth++;
	return plan(p, RS_RUN_ENV, file);
}

int
rs_resolve(int dirfd, const char *path, unsigned flags, struct rs_plan *p,
           struct rs_failure *f)
{
	const char *file = path, *by = NULL; /* by: whose #! line names file */

	p->script = path;
	p->bom = 0;
	for (size_t d = 0; d <= RS_MAX_SCRIPTS; d++)
		p->level[d].mapped = 0;
	/* execve(2) takes no empty name, where a #! line may give one. */
	if (*path == '\0')
		return fail(f, RS_FAULT_SCRIPT, ENOENT, path, NULL);
	for (p->depth = 0;; p->depth++) {
		struct rs_level *l = &p->level[p->depth];
		int err = load(dirfd, file, l, BINPRM_BUF_SIZE,
		               by == NULL && (flags & RS_LINT));

		/* The kernel loads a file it may exec but we cannot read. */
		if (err == RS_UNREAD)
			return plan(p, RS_RUN_EXEC, file);
		if (err != 0 && by == NULL)
			return fail(f, RS_FAULT_SCRIPT, err, path, NULL);
		if (err != 0)
			return fail(f, RS_FAULT_INTERP, err, by, file);
		switch (shebang_parse(l->buf, l->len, &l->sb)) {
		case SHEBANG_OK:
			break;
		case SHEBANG_NONE:
			return end_of_chain(p, l, file);
		case SHEBANG_ENOEXEC:
			return plan(p, RS_RUN_SHELL, path);
		case SHEBANG_TOO_LONG:
			return fail(f, RS_FAULT_TOO_LONG, ENOEXEC, file, NULL);
		}
		l->words = 1 + (l->sb.arg != NULL);
		if ((flags & RS_SPLIT) && l->sb.arg != NULL)
			l->words = 1 + shebang_split(l->sb.arg);
		by = file;
		file = l->sb.interp;
		if (p->depth == RS_MAX_SCRIPTS)
			return too_deep(dirfd, p, f, by, file);
		if (env_command(l))
			return env_plan(dirfd, p, f, by, file);
	}
}

/*
 * The strings a #! line puts in front: its interpreter, unless skip is
 * set, then its argument, or its fields after -S.
 */
static size_t
line_words(struct rs_level *l, int skip, char **out)
{
	size_t n = 0;
	char *w = l->sb.arg;

	if (!skip && out != NULL)
		out[n] = l->sb.interp;
	n += !skip;
	for (size_t i = 1; i < l->words; i++, n++) {
		if (i > 1)
			w += strlen(w) + 1;
		w = shebang_field(w);
		if (out != NULL)
			out[n] = w;
	}
	return n;
}

size_t
rs_plan_argv(struct rs_plan *p, char *const args[], char **out)
{
	size_t n = 0, nargs = 1;

	while (args[nargs] != NULL)
		nargs++;
	if (p->run == RS_RUN_SHELL) {
		if (out != NULL) {
			out[0] = (char *)RS_SHELL;
			out[1] = (char *)p->script;
		}
		n = 2;
	} else if (p->depth == 0) {
		/* The file is exec'd as it is, under the name it was given. */
		if (out != NULL)
			out[0] = args[0];
		n = 1;
	} else {
		/*
		 * Each level's line goes in front of the one below it; env,
		 * which the last names, passes on what follows its name.
		 */
		for (size_t d = p->depth; d-- > 0;)
			n += line_words(&p->level[d],
			                p->run == RS_RUN_ENV &&
			                        d == p->depth - 1,
			                out != NULL ? out + n : NULL);
		if (out != NULL)
			out[n] = (char *)p->script;
		n++;
	}
	/* The script's own arguments, and the closing NULL. */
	if (out != NULL)
		memcpy(out + n, args + 1, nargs * sizeof *out);
	return n + nargs - 1;
}

void
rs_plan_direct(struct rs_plan *p, const char *path)
{
	rs_plan_release(p);
	p->script = path;
	p->depth = 0;
	p->bom = 0;
	plan(p, RS_RUN_KERNEL, path);
}

void
rs_plan_release(struct rs_plan *p)
{
	for (size_t d = 0; d <= RS_MAX_SCRIPTS; d++)
		if (p->level[d].mapped != 0) {
			munmap(p->level[d].buf, p->level[d].mapped);
			p->level[d].mapped = 0;
		}
}
