/*
 * libFuzzer target for the #! parser and the splitting of its argument.
 *
 * Each input is the start of a file. It is handed to the parser the way
 * runscript reads a file (the kernel's 256 bytes, then the rest of a line
 * that does not end there), and the result must hold together: strings
 * inside the buffer, an interpreter without blanks, -S fields that
 * rebuild the argument. For an input whose line fits the kernel's buffer,
 * the result must also match a second, naive model written straight from
 * the kernel's rules.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/shebang.h"

#define KBUF BINPRM_BUF_SIZE

static int
blank(int c)
{
	return c == ' ' || c == '\t';
}

struct model {
	enum shebang_result result;
	char interp[KBUF];
	char arg[KBUF];
	int has_arg;
};

/*
 * The kernel's rules (fs/binfmt_script.c), for a line that ends within its
 * buffer, restated one by one on indices into a copy of that buffer.
 */
static void
model(const uint8_t *data, size_t size, struct model *m)
{
	unsigned char b[KBUF] = {0}; /* 1. It sees 256 bytes, NUL padded. */
	int end = -1, name, sep, arg = -1;

	memcpy(b, data, size < KBUF ? size : KBUF);
	m->has_arg = 0;
	if (b[0] != '#' || b[1] != '!') {
		m->result = SHEBANG_NONE;
		return;
	}
	/* 2. The line ends at the first newline, unless a NUL comes first:
	 *    then it is the whole buffer but its last byte. */
	for (int i = 0; i < KBUF && b[i] != '\0'; i++)
		if (b[i] == '\n') {
			end = i;
			break;
		}
	if (end == -1)
		end = KBUF - 1;
	/* 3. Blanks before the end are dropped. */
	while (blank(b[end - 1]))
		end--;
	/* 4. The interpreter starts at the first byte after #! that is not a
	 *    blank, and there must be one before the end. */
	for (name = 2; name < end && blank(b[name]); name++)
		;
	if (name >= end) {
		m->result = SHEBANG_ENOEXEC;
		return;
	}
	/* 5. It runs up to a blank or a NUL. A blank (not a NUL) there means
	 *    an argument: from the next byte that is not a blank, up to the
	 *    end; the byte at the end itself counts, and reads as "". */
	for (sep = name; sep <= end && !blank(b[sep]) && b[sep] != '\0'; sep++)
		;
	if (sep <= end && b[sep] != '\0') {
		for (arg = sep; arg <= end && blank(b[arg]); arg++)
			;
		if (arg > end)
			arg = -1;
	}
	b[end] = '\0';
	if (arg != -1)
		b[sep] = '\0';
	m->result = SHEBANG_OK;
	snprintf(m->interp, sizeof m->interp, "%s", (char *)b + name);
	if (arg != -1) {
		m->has_arg = 1;
		snprintf(m->arg, sizeof m->arg, "%s", (char *)b + arg);
	}
}

static int
fits_kernel(const uint8_t *data, size_t size)
{
	size_t n = size < KBUF ? size : KBUF;

	return size < KBUF || memchr(data, '\n', n) || memchr(data, '\0', n);
}

static void
check_string(const char *s, const char *buf)
{
	if (s < buf || s >= buf + SHEBANG_BUF_SIZE ||
	    memchr(s, '\0', (size_t)(buf + SHEBANG_BUF_SIZE - s)) == NULL)
		abort();
}

static void
check_split(const char *arg)
{
	size_t len = strlen(arg), n, k = 0, j = 0;
	char *copy = malloc(len + 1), *joined = malloc(len + 1);
	char **fields;

	memcpy(copy, arg, len + 1);
	n = shebang_split(copy);
	fields = malloc((n + 1) * sizeof *fields);
	for (size_t i = 0; i < n; i++) {
		fields[i] = shebang_field(
		        i == 0 ? copy
		               : fields[i - 1] + strlen(fields[i - 1]) + 1);
		if (fields[i] > copy + len)
			abort();
	}
	for (size_t i = 0; i < n; i++) {
		size_t flen = strlen(fields[i]);

		if (flen == 0 || strpbrk(fields[i], " \t") != NULL)
			abort();
		memcpy(joined + k, fields[i], flen);
		k += flen;
	}
	/* The fields are the argument's bytes less its blanks, in order. */
	for (size_t i = 0; i < len; i++) {
		if (blank(arg[i]))
			continue;
		if (j == k || arg[i] != joined[j])
			abort();
		j++;
	}
	if (j != k)
		abort();
	free(fields);
	free(joined);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(SHEBANG_BUF_SIZE);
	size_t len = size < KBUF ? size : KBUF;
	struct shebang sb;
	enum shebang_result r;

	memcpy(buf, data, len);
	if (shebang_needs_more(buf, len)) {
		len = size < SHEBANG_LINE_MAX + 1 ? size : SHEBANG_LINE_MAX + 1;
		memcpy(buf, data, len);
	}
	r = shebang_parse(buf, len, &sb);
	if (r == SHEBANG_OK) {
		check_string(sb.interp, buf);
		if (strpbrk(sb.interp, " \t\n") != NULL)
			abort();
		if (sb.arg != NULL) {
			check_string(sb.arg, buf);
			if (blank(sb.arg[0]) || strchr(sb.arg, '\n') != NULL)
				abort();
			check_split(sb.arg);
		}
	}
	if (fits_kernel(data, size)) {
		struct model m;

		model(data, size, &m);
		if (m.result != r)
			abort();
		if (r == SHEBANG_OK &&
		    (strcmp(m.interp, sb.interp) != 0 ||
		     m.has_arg != (sb.arg != NULL) ||
		     (sb.arg != NULL && strcmp(m.arg, sb.arg) != 0)))
			abort();
	}
	free(buf);
	return 0;
}
