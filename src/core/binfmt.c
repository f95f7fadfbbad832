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
	/* e_type and e_machine follow e_ident in either class. */
	unsigned type = half(head + EI_NIDENT);

	return len >= EI_NIDENT + 4 && memcmp(head, ELFMAG, SELFMAG) == 0 &&
	       (type == ET_EXEC || type == ET_DYN) &&
	       native_machine(half(head + EI_NIDENT + 2));
}

/* Reads the small file name in dir into text; returns 0, or -1. */
static int
slurp(int dir, const char *name, char *text, size_t size)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd == -1)
		return -1;
	n = read(fd, text, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	text[n] = '\0';
	return 0;
}

/* What follows key at the start of a line of text, or NULL. */
static const char *
field(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p != NULL; p = strchr(p, '\n')) {
		p += *p == '\n';
		if (strncmp(p, key, n) == 0)
			return p + n;
	}
	return NULL;
}

static int
hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Byte i of a hex string, or -1 past its end. */
static int
hex_byte(const char *s, size_t i)
{
	int hi, lo;

	if (s == NULL || (hi = hex(s[2 * i])) < 0 ||
	    (lo = hex(s[2 * i + 1])) < 0)
		return -1;
	return hi << 4 | lo;
}

/* Whether a registration, as its file in MISC_DIR reads, claims name. */
static int
claims(const char *entry, const char *name, const unsigned char *head)
{
	const char *ext = field(entry, "extension .");
	const char *magic = field(entry, "magic ");
	const char *mask = field(entry, "mask ");
	const char *offset = field(entry, "offset ");
	size_t at = 0;

	if (strncmp(entry, "enabled\n", 8) != 0)
		return 0;
	if (ext != NULL) {
		const char *dot = strrchr(name, '.');
		size_t n = strcspn(ext, "\n");

		return dot != NULL && strlen(dot + 1) == n &&
		       memcmp(dot + 1, ext, n) == 0;
	}
	while (offset != NULL && *offset >= '0' && *offset <= '9')
		at = at * 10 + (size_t)(*offset++ - '0');
	for (size_t i = 0; hex_byte(magic, i) >= 0; i++) {
		int m = hex_byte(mask, i);

		if (at + i >= BINPRM_BUF_SIZE ||
		    ((head[at + i] ^ hex_byte(magic, i)) & (m < 0 ? 0xff : m)))
			return 0;
	}
	return magic != NULL;
}

/* Whether one of the registrations in dir claims name. */
static enum binfmt
misc_claims(int dir, const char *name, const unsigned char *head)
{
	char ents[2048], entry[1024];
	long n;

	while ((n = syscall(SYS_getdents64, dir, ents, sizeof ents)) > 0)
		for (long at = 0; at < n;) {
			const struct dirent64 *d = (const void *)(ents + at);

			at += d->d_reclen;
			if (d->d_name[0] == '.' ||
			    strcmp(d->d_name, "status") == 0 ||
			    strcmp(d->d_name, "register") == 0)
				continue;
			if (slurp(dir, d->d_name, entry, sizeof entry) != 0)
				return BINFMT_UNKNOWN;
			if (claims(entry, name, head))
				return BINFMT_LOADED;
		}
	return n == 0 ? BINFMT_ENOEXEC : BINFMT_UNKNOWN;
}

enum binfmt
binfmt_of(const char *name, const char *head, size_t len)
{
	unsigned char buf[BINPRM_BUF_SIZE] = {0}; /* the kernel pads with 0 */
	char status[16];
	enum binfmt b = BINFMT_UNKNOWN;
	int dir;

	memcpy(buf, head, len < sizeof buf ? len : sizeof buf);
	if (native_elf(buf, len))
		return BINFMT_LOADED;
	dir = open(MISC_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir == -1)
		return BINFMT_UNKNOWN;
	if (slurp(dir, "status", status, sizeof status) == 0)
		b = strncmp(status, "enabled", 7) != 0
		            ? BINFMT_ENOEXEC
		            : misc_claims(dir, name, buf);
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
