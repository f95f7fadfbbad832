/*
 * The file that a process held at its exec asked for, read from outside
 * it: the path from its memory, resolved against its root, its working
 * directory or execveat's directory descriptor through /proc.
 */
#ifndef TARGET_H
#define TARGET_H

#include <limits.h>
#include <sys/types.h>

/* Room for "/proc/PID/fd/N/" and a path of up to PATH_MAX bytes. */
#define TARGET_MAX (PATH_MAX + 64)

/* One exec: the path as the process gave it, and where we can reach it. */
struct target {
	pid_t pid;
	char path[PATH_MAX];    /* as given, for the log */
	char reach[TARGET_MAX]; /* the same file, from the supervisor */
};

/*
 * Fills t for the exec system call nr with arguments args made by pid.
 * Returns 0, or an errno when the path cannot be read: the exec is then
 * let go, and fails or runs as the kernel decides.
 */
int target_read(struct target *t, pid_t pid, int execveat,
                const unsigned long long args[6]);

/*
 * Where the interpreter interp, named on a #! line, is reached from the
 * supervisor: the kernel opens it relative to the process's root and
 * working directory. Writes it into buf, TARGET_MAX bytes; returns 0 or
 * ENAMETOOLONG.
 */
int target_interp(pid_t pid, const char *interp, char *buf);

#endif
