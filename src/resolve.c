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
#include <unistd.h>

#include "resolve.h"

static int
fail(struct rs_failure *f, enum rs_fault fault, int err, const char *file,
     const char *interp)
{
	f->fault = fault;
	f->err = err;
	f->file = file;
	f->interp = interp;
	return err;
}

static int
plan(struct rs_plan *p, enum rs_run run, const char *file)
{
	p->run = run;
	p->file = file;
	return 0;
}

/* The checks of the kernel's open_exec() on a file about to be exec'd. */
static int
check_exec(int dirfd, const char *file)
{
	struct stat st;

	/*
	 * The kernel takes an empty interpreter name as it is, and its
	 * lookup ends at the current directory, which cannot be exec'd.
	 */
	if (fstatat(dirfd, *file != '\0' ? file : ".", &st, 0) == -1)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	/* This also answers EACCES for a file on a noexec mount. */
	if (faccessat(dirfd, file, X_OK, 0) == -1)
		return errno;
	return 0;
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

/* Reads what the kernel reads of file, and the rest of a long #! line. */
static int
read_head(int dirfd, const char *file, struct rs_level *l)
{
	int fd, err;

	l->buf = l->head;
	l->len = 0;
	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return errno;
	err = read_upto(fd, l, BINPRM_BUF_SIZE);
	if (err == 0 && shebang_needs_more(l->buf, l->len))
		err = read_long_line(fd, l);
	close(fd);
	return err;
}

static int
starts_with(const struct rs_level *l, const char *magic, size_t n)
{
	return l->len >= n && memcmp(l->buf, magic, n) == 0;
}

/* The end of the chain: a file without #!, for the kernel to load. */
static int
end_of_chain(struct rs_plan *p, const struct rs_level *l, const char *file)
{
	p->bom = p->depth == 0 && starts_with(l, "\357\273\277#!", 5);
	if (starts_with(l, "\177ELF", 4))
		return plan(p, RS_RUN_EXEC, file);
	return plan(p, RS_RUN_KERNEL, file);
}

int
rs_resolve(int dirfd, const char *path, int split, struct rs_plan *p,
           struct rs_failure *f)
{
	const char *file = path;
	struct rs_level *l;
	int err;

	p->script = path;
	p->split = split;
	p->bom = 0;
	for (size_t d = 0; d <= RS_MAX_SCRIPTS; d++)
		p->level[d].mapped = 0;
	if ((err = check_exec(dirfd, path)) != 0)
		return fail(f, RS_FAULT_SCRIPT, err, path, NULL);
	for (p->depth = 0;; p->depth++) {
		l = &p->level[p->depth];
		err = read_head(dirfd, file, l);
		/* The kernel loads a file it may exec but we may not read. */
		if (err == EACCES)
			return plan(p, RS_RUN_EXEC, file);
		if (err != 0)
			return fail(f, RS_FAULT_READ, err, file, NULL);
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
		if ((err = check_exec(dirfd, l->sb.interp)) != 0)
			return fail(f, RS_FAULT_INTERP, err, file,
			            l->sb.interp);
		/* The kernel opens the next interpreter, then gives up. */
		if (p->depth == RS_MAX_SCRIPTS)
			return fail(f, RS_FAULT_LOOP, ELOOP, path, NULL);
		file = l->sb.interp;
	}
}

/* The strings a #! line puts in front: its interpreter, its argument. */
static size_t
line_words(struct rs_level *l, int split, char **out)
{
	if (out != NULL)
		out[0] = l->sb.interp;
	if (l->sb.arg == NULL)
		return 1;
	if (split)
		return 1 +
		       shebang_split(l->sb.arg, out != NULL ? out + 1 : NULL);
	if (out != NULL)
		out[1] = l->sb.arg;
	return 2;
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
		/* Each level's line goes in front of the one below it. */
		for (size_t d = p->depth; d-- > 0;)
			n += line_words(&p->level[d], p->split,
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
