/*
 * Reads just enough of an ELF file to tell whether the preload library
 * can run in it: a program without PT_INTERP loads no shared library, and
 * Go's runtime makes the clone and execve system calls itself, even when
 * built with cgo. Go's linker marks its programs with a note named "Go"
 * (the build ID, in .note.go.buildid), which we look for in the PT_NOTE
 * segments.
 */
#include <elf.h>
#include <string.h>
#include <unistd.h>

#include "elfkind.h"

/* Notes at most this large are read; Go's build ID note is ~100 bytes. */
#define NOTES_MAX 4096

/* Whether the notes at off, len bytes, hold one named "Go". */
static int
has_go_note(int fd, Elf64_Off off, Elf64_Xword len)
{
	unsigned char buf[NOTES_MAX];
	size_t n, at = 0;

	if (len > sizeof buf)
		len = sizeof buf;
	if (pread(fd, buf, (size_t)len, (off_t)off) != (ssize_t)len)
		return 0;
	n = (size_t)len;
	while (at + sizeof(Elf64_Nhdr) <= n) {
		Elf64_Nhdr h;
		size_t name, desc;

		memcpy(&h, buf + at, sizeof h);
		at += sizeof h;
		name = (h.n_namesz + 3) & ~(size_t)3;
		desc = (h.n_descsz + 3) & ~(size_t)3;
		if (name > n - at)
			return 0;
		/* Go's linker names it "Go\0\0", four bytes. */
		if ((h.n_namesz == 3 || h.n_namesz == 4) &&
		    memcmp(buf + at, "Go\0", 3) == 0 &&
		    (h.n_namesz == 3 || buf[at + 3] == '\0'))
			return 1;
		if (desc > n - at - name)
			return 0;
		at += name + desc;
	}
	return 0;
}

enum elf_kind
elf_kind(int fd)
{
	Elf64_Ehdr eh;
	int interp = 0, go = 0;

	if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		return ELF_NOT;
	for (unsigned i = 0; i < eh.e_phnum && i < 256; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof ph,
		          (off_t)(eh.e_phoff + i * sizeof ph)) !=
		    (ssize_t)sizeof ph)
			return ELF_NOT;
		if (ph.p_type == PT_INTERP)
			interp = 1;
		else if (ph.p_type == PT_NOTE && !go)
			go = has_go_note(fd, ph.p_offset, ph.p_filesz);
	}
	return go ? ELF_GO : interp ? ELF_DYNAMIC : ELF_STATIC;
}
