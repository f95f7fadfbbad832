/*
 * The kernel's formats other than #!: whether it loads a file itself, as
 * an ELF program for this machine or through a binfmt_misc handler.
 */
#ifndef BINFMT_H
#define BINFMT_H

#include <stddef.h>

enum binfmt {
	BINFMT_LOADED,  /* the kernel loads it: ELF, or a handler claims it */
	BINFMT_ENOEXEC, /* no format takes it: execve(2) fails with ENOEXEC */
	BINFMT_UNKNOWN, /* binfmt_misc cannot be read, so either may be */
};

/*
 * What the kernel makes of the file name whose first len bytes, len at
 * most BINPRM_BUF_SIZE, are head, when they do not start with #!.
 */
enum binfmt binfmt_of(const char *name, const char *head, size_t len);

/*
 * The program interpreter (PT_INTERP) that the ELF file path names, in
 * buf; returns buf, or NULL when there is none or it cannot be read.
 */
char *elf_interp(const char *path, char *buf, size_t size);

#endif
