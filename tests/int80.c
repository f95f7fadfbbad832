/*
 * int80 — execs FILE through the i386 system call gate (int 0x80) from a
 * 64-bit program, as a process may to slip past a seccomp filter that
 * looks at x86-64 system calls only. The i386 ABI takes 32-bit pointers,
 * so the path and argv are copied into static memory, which a static,
 * non-PIE build places below 4 GiB.
 *
 * usage: int80 FILE
 * Exits 2 where it cannot try (not x86-64, memory above 4 GiB), and 126
 * after a failed exec, saying why.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static char path[4096];
static uint32_t argv32[2];

int
main(int argc, char *argv[])
{
	/* cppcheck reads no asm: it takes ret for unread. */
	/* cppcheck-suppress unreadVariable */
	long ret = 11; /* i386's execve, then what it returns */

	if (argc != 2 || strlen(argv[1]) >= sizeof path) {
		fputs("usage: int80 FILE\n", stderr);
		return 2;
	}
	strcpy(path, argv[1]);
	if ((uintptr_t)path > UINT32_MAX || (uintptr_t)argv32 > UINT32_MAX) {
		fputs("int80: static memory above 4 GiB: build it non-PIE\n",
		      stderr);
		return 2;
	}
	argv32[0] = (uint32_t)(uintptr_t)path;
#ifdef __x86_64__
	__asm__ volatile("int $0x80"
	                 : "+a"(ret)
	                 : "b"(path), "c"(argv32), "d"(0L)
	                 : "memory");
#else
	fputs("int80: not x86-64\n", stderr);
	return 2;
#endif
	fprintf(stderr, "int80: %s: %s\n", path, strerror((int)-ret));
	return 126;
}
