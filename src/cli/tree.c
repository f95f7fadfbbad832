/*
 * --tree: librunscript.so goes into LD_PRELOAD, after the entries already
 * there, so that every dynamically linked program of the tree runs its
 * scripts as runscript does. The library is looked for next to runscript's
 * own executable first (the build tree), then in RS_LIBDIR.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "elfkind.h"
#include "path.h"
#include "tree.h"

#ifndef RS_LIBDIR
#define RS_LIBDIR "/usr/local/lib/runscript"
#endif

/* Finds the library; returns its path, in buf or not, or NULL. */
static const char *
find_library(char *buf, size_t size)
{
	static const char installed[] = RS_LIBDIR "/" TREE_LIB;
	ssize_t n = readlink("/proc/self/exe", buf, size - sizeof TREE_LIB);

	if (n > 0 && (size_t)n < size - sizeof TREE_LIB) {
		char *slash;

		buf[n] = '\0';
		if ((slash = strrchr(buf, '/')) != NULL) {
			memcpy(slash + 1, TREE_LIB, sizeof TREE_LIB);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	return access(installed, R_OK) == 0 ? installed : NULL;
}

/* Whether list, colon-separated, holds entry. */
static int
listed(const char *list, const char *entry)
{
	size_t len = strlen(entry);

	for (const char *p = list; (p = strstr(p, entry)) != NULL; p++)
		if ((p == list || p[-1] == ':' || p[-1] == ' ') &&
		    (p[len] == '\0' || p[len] == ':' || p[len] == ' '))
			return 1;
	return 0;
}

int
tree_preload(void)
{
	char buf[PATH_MAX];
	const char *lib = find_library(buf, sizeof buf);
	const char *old = getenv("LD_PRELOAD");
	char *value;

	int err = 0;

	if (lib == NULL)
		return diag_cancel("--tree",
		                   TREE_LIB " is neither next to "
		                            "runscript nor in " RS_LIBDIR,
		                   0);
	/* The dynamic loader splits LD_PRELOAD at both. */
	if (strpbrk(lib, ": ") != NULL)
		return diag_cancel(lib,
		                   "cannot be preloaded: LD_PRELOAD "
		                   "splits its entries at spaces and colons",
		                   0);
	if (old != NULL && listed(old, lib))
		return 0;
	if (old == NULL || *old == '\0')
		value = strdup(lib);
	else if ((value = malloc(strlen(old) + 1 + strlen(lib) + 1)) != NULL) {
		size_t n = strlen(old);

		memcpy(value, old, n);
		value[n] = ':';
		memcpy(value + n + 1, lib, strlen(lib) + 1);
	}
	if (value == NULL || setenv("LD_PRELOAD", value, 1) != 0)
		err = errno;
	free(value);
	return err == 0 ? 0
	                : diag_cancel("--tree", "cannot set LD_PRELOAD", err);
}

/* Opens command as execvp(3) would find it; returns -1 if not found. */
static int
open_command(const char *command)
{
	struct rs_path s;
	char *buf;
	int fd = -1;

	if (strchr(command, '/') != NULL)
		return open(command, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (rs_path_start(&s, command, getenv("PATH")) != 0 ||
	    (buf = malloc(s.room)) == NULL)
		return -1;
	while (fd == -1 && rs_path_next(&s, buf) != NULL)
		if (access(buf, X_OK) == 0)
			fd = open(buf, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	free(buf);
	return fd;
}

void
tree_warn_unreached(const char *command)
{
	struct diag d;
	int fd = open_command(command);
	enum elf_kind kind = fd == -1 ? ELF_NOT : elf_kind(fd);

	if (fd != -1)
		close(fd);
	diag_init(&d, STDERR_FILENO, 0, 0);
	if (kind == ELF_GO || kind == ELF_STATIC)
		diag_say(&d, command, DIAG_WARNING,
		         kind == ELF_GO
		                 ? "a Go program makes its own exec system "
		                   "calls, which --tree does not reach: add "
		                   "--supervise"
		                 : "a statically linked program loads no "
		                   "library, so --tree does not reach it: add "
		                   "--supervise",
		         NULL);
}
