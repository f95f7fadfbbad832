/* What kind of program an ELF file is, for what --tree can reach. */
#ifndef ELFKIND_H
#define ELFKIND_H

enum elf_kind {
	ELF_NOT,     /* not an ELF file we can read (a script, say) */
	ELF_DYNAMIC, /* has an ELF interpreter: LD_PRELOAD reaches it */
	ELF_STATIC,  /* no ELF interpreter: LD_PRELOAD never loads */
	ELF_GO,      /* a Go program: it makes its own exec system calls */
};

/* The kind of the 64-bit little-endian ELF file open on fd. */
enum elf_kind elf_kind(int fd);

#endif
