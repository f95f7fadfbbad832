/*
 * shebang-gen — writes fixtures for the differential test: shebang-gen DIR
 * COUNT SEED creates DIR/f0000 ... (mode 0755), each a generated #! line
 * followed, where the line ends in a newline, by a shell body that /bin/sh
 * runs observably when the kernel refuses the file with ENOEXEC.
 *
 * Every line fits the kernel's 256-byte buffer (fs/binfmt_script.c): its
 * first newline or NUL, or the end of the file, comes within the first 255
 * bytes, so the kernel sees the whole line and the kernel and runscript must
 * agree on every fixture. The output depends on SEED only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The kernel's buffer is 256 bytes; index 255 must stay padding or newline. */
#define LINE_MAX_BYTES 255

static uint64_t rng_state;

/* xorshift64*, seeded through splitmix64 so that small seeds spread. */
static void
rng_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15u;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	rng_state = (z ^ (z >> 31)) | 1;
}

static unsigned
rng_below(unsigned n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 0x2545f4914f6cdd1du) >> 33) % n;
}

/* Weighted: the working interpreters and the empty name come up more often. */
static const char *const interpreters[] = {
        "./p", "./p", "./p", "p", "p", "./p\r", "./missing", "", ""};
static const char arg_bytes[] = {' ',  '\t', '\r', '\v', '\f',
                                 'a',  '-',  'x',  '\'', '"',
                                 '\\', '$',  '*',  '\0', (char)0xff};
static const struct {
	const char *bytes;
	size_t len;
} endings[] = {{"\n", 1}, {"", 0}, {" \n", 2}, {"\0\n", 2}, {"\r\n", 2}};
static const char body[] = "exec ./p from-sh \"$@\"\n";

struct line {
	char b[LINE_MAX_BYTES + 1];
	size_t len;
};

static void
put(struct line *l, char c)
{
	if (l->len < LINE_MAX_BYTES)
		l->b[l->len++] = c;
}

static void
put_blanks(struct line *l, unsigned max)
{
	for (unsigned n = rng_below(max + 1); n > 0; n--)
		put(l, rng_below(2) ? ' ' : '\t');
}

static void
put_arg_bytes(struct line *l, unsigned count)
{
	for (; count > 0; count--)
		put(l, arg_bytes[rng_below(sizeof(arg_bytes))]);
}

/* Builds one fixture's bytes; returns its length. */
static size_t
generate(char *out, size_t outsize)
{
	struct line l = {.b = "#!", .len = 2};
	unsigned pick =
	        rng_below(sizeof(interpreters) / sizeof(interpreters[0]));
	const char *interp = interpreters[pick];
	unsigned ending = rng_below(5);
	size_t endlen = endings[ending].len;
	size_t n;

	put_blanks(&l, 3);
	for (const char *s = interp; *s != '\0'; s++)
		put(&l, *s);
	/*
	 * Mostly a separator then an argument; sometimes neither (often so
	 * after an empty name, which gives ENOEXEC or EACCES), or glued.
	 */
	switch (*interp == '\0' && rng_below(2) ? 0 : rng_below(8)) {
	case 0:
		put_blanks(&l, 2);
		break;
	case 1:
		put_arg_bytes(&l, 1 + rng_below(4));
		break;
	default:
		put(&l, rng_below(2) ? ' ' : '\t');
		put_blanks(&l, 2);
		put_arg_bytes(&l, rng_below(16));
		put_blanks(&l, 2);
		break;
	}
	/* One line in five is padded to 250-255 bytes, ending included. */
	if (rng_below(5) == 0) {
		size_t want = 250 + rng_below(6) - endlen;
		while (l.len < want)
			put_arg_bytes(&l, 1);
	}
	if (l.len + endlen > LINE_MAX_BYTES)
		l.len = LINE_MAX_BYTES - endlen;

	n = l.len;
	memcpy(out, l.b, n);
	memcpy(out + n, endings[ending].bytes, endlen);
	n += endlen;
	if (endlen > 0 && n + sizeof(body) - 1 <= outsize) {
		memcpy(out + n, body, sizeof(body) - 1);
		n += sizeof(body) - 1;
	}
	return n;
}

static int
write_fixture(const char *path, const char *bytes, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

	if (fd < 0)
		return -1;
	if (write(fd, bytes, len) != (ssize_t)len || fchmod(fd, 0755) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

static int
parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno != 0 || end == s || *end != '\0' || *s == '-' ? -1 : 0;
}

int
main(int argc, char *argv[])
{
	unsigned long count, seed;
	char path[4096], bytes[512];

	if (argc != 4 || parse_ulong(argv[2], &count) != 0 ||
	    parse_ulong(argv[3], &seed) != 0 || count > 10000) {
		fprintf(stderr, "usage: shebang-gen DIR COUNT(<=10000) SEED\n");
		return 2;
	}
	rng_seed(seed);
	for (unsigned long i = 0; i < count; i++) {
		size_t len = generate(bytes, sizeof(bytes));

		snprintf(path, sizeof(path), "%s/f%04lu", argv[1], i);
		if (write_fixture(path, bytes, len) != 0) {
			fprintf(stderr, "shebang-gen: %s: %s\n", path,
			        strerror(errno));
			return 1;
		}
	}
	return 0;
}
