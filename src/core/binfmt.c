/*
 * The kernel's formats other than #!: an ELF program it can load
 * (fs/binfmt_elf.c checks the class, byte order, type and machine), or a
 * binfmt_misc registration that claims the file (fs/binfmt_misc.c,
 * check_file(): a magic, under a mask, at an offset into the first
 * BINPRM_BUF_SIZE bytes, or an extension of the name). The registrations
 * are read from /proc/sys/fs/binfmt_misc, one file each.
 *
 * Async-signal-safe and reentrant: only system calls (openat, getdents64,
 * read, close) and the caller's stack.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "binfmt.h"
#include "shebang.h"

#define MISC_DIR "/proc/sys/fs/binfmt_misc"

/* A directory entry as getdents64(2) gives it: the kernel's layout. */
struct dirent64 {
	// cppcheck-suppress unusedStructMember
	unsigned long long d_ino;
	// cppcheck-suppress unusedStructMember
	long long d_off;
	unsigned short d_reclen;
	// cppcheck-suppress unusedStructMember
	unsigned char d_type;
	char d_name[];
};

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_DATA ELFDATA2LSB
#else
#define NATIVE_DATA ELFDATA2MSB
#endif

/*
 * Whether this machine's kernel runs ELF programs for machine, with its
 * own loader or its compat one: elf_check_arch() and compat_elf_check_arch().
 */
static int
native_machine(unsigned machine)
{
#if defined(__x86_64__) || defined(__i386__)
	/* 6 is EM_486, which the compat loader takes and not every elf.h names.
	 */
	return machine == EM_X86_64 || machine == EM_386 || machine == 6;
#elif defined(__aarch64__) || defined(__arm__)
	return machine == EM_AARCH64 || machine == EM_ARM;
#elif defined(__riscv)
	return machine == EM_RISCV;
#elif defined(__powerpc64__) || defined(__powerpc__)
	return machine == EM_PPC64 || machine == EM_PPC;
#elif defined(__s390x__) || defined(__s390__)
	return machine == EM_S390;
#else
	(void)machine;
	return 1; /* a machine not listed here: let the kernel judge */
#endif
}

/* A 16-bit field of an ELF header, read as the kernel reads it: natively. */
static unsigned
half(const unsigned char *p)
{
	unsigned short v;

	memcpy(&v, p, sizeof v);
	return v;
}

/*
 * Whether head is an ELF program the kernel would go on to load: the
 * checks of load_elf_binary() before it reads further, the magic, the type
 * and the machine, no more (it ignores the class, byte order and version
 * bytes). Where it refuses later, the exec fails with ENOEXEC and /bin/sh
 * follows, as it would have.
 */
static int
native_elf(const unsigned char *head, size_t len)
{
	unsigned type;

	if (len < EI_NIDENT + 4 || memcmp(head, ELFMAG, SELFMAG) != 0)
		return 0;
	/* e_type and e_machine follow e_ident in either class. */
	type = half(head + EI_NIDENT);
	return (type == ET_EXEC || type == ET_DYN) &&
	       native_machine(half(head + EI_NIDENT + 2));
}

/*
 * One registration, as its file in MISC_DIR reads, fed a byte at a time,
 * so that an entry of any length is read whole in a small buffer: a first
 * line "enabled" or "disabled", then lines of a key and a value ("offset
 * 0", "magic 7f45...", "mask ff...", "extension .jar"). The magic is
 * compared with the file's head as it is read, under the mask after it.
 */
struct entry {
	const unsigned char *head; /* the file's first bytes */
	size_t len;                /* how many; the kernel pads with zeros */
	const char *ext; /* what follows the name's last dot, or NULL */
	int lines;       /* lines ended */
	int in_value;    /* past the key and its space */
	int enabled, extension, ext_matches;
	int magic;     /* the magic's size, or -1 if it reaches past the head */
	int pending;   /* a hex digit waiting for the one after it, or -1 */
	int differs;   /* the value does not match the file */
	size_t keylen; /* bytes of the key; past the buffer, no known key */
	size_t i;      /* bytes of the value taken so far */
	size_t offset; /* where the magic is */
	char key[12];
	unsigned char diff[BINPRM_BUF_SIZE]; /* head XOR magic */
};

static int
key_is(const struct entry *e, const char *key)
{
	return e->keylen == strlen(key) && memcmp(e->key, key, e->keylen) == 0;
}

static int
hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A byte of the magic or the mask, at index e->i. */
static void
magic_byte(struct entry *e, int byte)
{
	size_t at = e->offset + e->i;

	if (at >= BINPRM_BUF_SIZE)
		e->differs = 1;
	else if (key_is(e, "magic"))
		e->diff[e->i] =
		        (at < e->len ? e->head[at] : 0) ^ (unsigned char)byte;
	else
		e->diff[e->i] &= (unsigned char)byte;
	e->i++;
}

static void
value_byte(struct entry *e, unsigned char c)
{
	int h = hex(c);

	if (key_is(e, "offset") && c >= '0' && c <= '9')
		e->offset = e->offset * 10 + (size_t)(c - '0');
	else if (key_is(e, "extension")) {
		/* ".EXT": the dot, then the extension, byte for byte. */
		if (e->i > 0 && (e->ext == NULL || e->ext[e->i - 1] != (char)c))
			e->differs = 1;
		e->i++;
	} else if (h >= 0 && (key_is(e, "magic") || key_is(e, "mask"))) {
		if (e->pending < 0)
			e->pending = h;
		else {
			magic_byte(e, e->pending << 4 | h);
			e->pending = -1;
		}
	}
}

/* The end of a line: what it said is now known. */
static void
line_end(struct entry *e)
{
	if (e->lines == 0)
		e->enabled = key_is(e, "enabled");
	else if (key_is(e, "magic") || (key_is(e, "mask") && e->differs))
		e->magic = e->differs ? -1 : (int)e->i;
	else if (key_is(e, "extension")) {
		e->extension = 1;
		e->ext_matches = !e->differs && e->i > 0 && e->ext != NULL &&
		                 e->ext[e->i - 1] == '\0';
	}
	e->lines++;
	e->in_value = 0;
	e->keylen = 0;
	e->i = 0;
	e->pending = -1;
	e->differs = 0;
}

static void
entry_byte(struct entry *e, unsigned char c)
{
	if (c == '\n')
		line_end(e);
	else if (e->in_value)
		value_byte(e, c);
	else if (c == ' ')
		e->in_value = 1;
	else if (e->keylen < sizeof e->key)
		e->key[e->keylen++] = (char)c;
	else
		e->keylen = sizeof e->key + 1; /* no key is this long */
}

/* Whether the magic, under its mask, matches: all of diff is zero. */
static int
magic_matches(const struct entry *e)
{
	for (size_t i = 0; i < (size_t)e->magic && i < BINPRM_BUF_SIZE; i++)
		if (e->diff[i] != 0)
			return 0;
	return 1;
}

/*
 * Whether the registration in file name of dir claims the file whose
 * first bytes are head and whose extension is ext: 1, 0, or -1 when it
 * cannot be read.
 */
static int
claims(int dir, const char *name, const unsigned char *head, size_t len,
       const char *ext)
{
	struct entry e;
	unsigned char buf[128];
	ssize_t n;
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	memset(&e, 0, offsetof(struct entry, diff));
	e.head = head;
	e.len = len;
	e.ext = ext;
	e.pending = -1;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			entry_byte(&e, buf[i]);
	close(fd);
	if (n < 0)
		return -1;
	if (!e.enabled)
		return 0;
	if (e.extension)
		return e.ext_matches;
	return e.magic > 0 && magic_matches(&e);
}

/* Whether one of the registrations in dir claims the file. */
static enum binfmt
misc_claims(int dir, const char *name, const unsigned char *head, size_t len)
{
	/* Room for an entry of the longest name; getdents64 gives the rest. */
	char ents[sizeof(struct dirent64) + NAME_MAX + 1 + 8];
	const char *dot = strrchr(name, '.');
	long n;

	while ((n = syscall(SYS_getdents64, dir, ents, sizeof ents)) > 0)
		for (long at = 0; at < n;) {
			const struct dirent64 *d = (const void *)(ents + at);
			int claimed;

			at += d->d_reclen;
			if (d->d_name[0] == '.' ||
			    strcmp(d->d_name, "status") == 0 ||
			    strcmp(d->d_name, "register") == 0)
				continue;
			claimed = claims(dir, d->d_name, head, len,
			                 dot != NULL ? dot + 1 : NULL);
			if (claimed != 0)
				return claimed > 0 ? BINFMT_LOADED
				                   : BINFMT_UNKNOWN;
		}
	return n == 0 ? BINFMT_ENOEXEC : BINFMT_UNKNOWN;
}

/* Whether binfmt_misc is on: its status file reads "enabled". */
static int
misc_enabled(int dir)
{
	char status[8];
	int fd = openat(dir, "status", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd == -1)
		return -1;
	n = read(fd, status, sizeof status);
	close(fd);
	if (n < 0)
		return -1;
	return n >= 7 && memcmp(status, "enabled", 7) == 0;
}

enum binfmt
binfmt_of(const char *name, const char *head, size_t len)
{
	const unsigned char *buf = (const unsigned char *)head;
	enum binfmt b = BINFMT_UNKNOWN;
	int dir, on;

	if (len > BINPRM_BUF_SIZE)
		len = BINPRM_BUF_SIZE;
	if (native_elf(buf, len))
		return BINFMT_LOADED;
	dir = open(MISC_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir == -1)
		return BINFMT_UNKNOWN;
	if ((on = misc_enabled(dir)) == 0)
		b = BINFMT_ENOEXEC;
	else if (on > 0)
		b = misc_claims(dir, name, buf, len);
	close(dir);
	return b;
}
char *
elf_interp(const char *path, char *buf, size_t size)
{
	union {
		unsigned char ident[EI_NIDENT];
		Elf32_Ehdr e32;
		Elf64_Ehdr e64;
	} eh;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int is64;
	unsigned long long off, at = 0, len = 0;
	unsigned n, ent;
	char *found = NULL;

	if (fd == -1)
		return NULL;
	if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh ||
	    memcmp(eh.ident, ELFMAG, SELFMAG) != 0 ||
	    eh.ident[EI_DATA] != NATIVE_DATA)
		goto out;
	is64 = eh.ident[EI_CLASS] == ELFCLASS64;
	off = is64 ? eh.e64.e_phoff : eh.e32.e_phoff;
	n = is64 ? eh.e64.e_phnum : eh.e32.e_phnum;
	ent = is64 ? eh.e64.e_phentsize : eh.e32.e_phentsize;
	for (unsigned i = 0; i < n && len == 0; i++) {
		Elf64_Phdr p64;
		Elf32_Phdr p32;

		if (is64 &&
		    pread(fd, &p64, sizeof p64,
		          (off_t)(off + (unsigned long long)i * ent)) ==
		            (ssize_t)sizeof p64 &&
		    p64.p_type == PT_INTERP) {
			at = p64.p_offset;
			len = p64.p_filesz;
		} else if (!is64 &&
		           pread(fd, &p32, sizeof p32,
		                 (off_t)(off + (unsigned long long)i * ent)) ==
		                   (ssize_t)sizeof p32 &&
		           p32.p_type == PT_INTERP) {
			at = p32.p_offset;
			len = p32.p_filesz;
		}
	}
	if (len > 0 && len <= size &&
	    pread(fd, buf, (size_t)len, (off_t)at) == (ssize_t)len &&
	    buf[len - 1] == '\0')
		found = buf;
out:
	close(fd);
	return found;
}
