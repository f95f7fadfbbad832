/*
 * The log of a tree (runscript --log FILE, or RUNSCRIPT_LOG=FILE in the
 * environment): what the programs of a tree did that they would not have
 * done without runscript, a line each.
 */
#ifndef LOG_H
#define LOG_H

#include <sys/types.h>

/* The environment variable that names the log, for every program below. */
#define RS_LOG_ENV "RUNSCRIPT_LOG"

/* The value of RS_LOG_ENV in env, or NULL when it is unset or empty. */
const char *rs_log_of(char *const env[]);

/*
 * Appends to the file log one line: "pid PID (NAME): ", of the process pid
 * (0: the caller), then the strings of piece up to a NULL, with control
 * bytes in caret notation; a line too long for its buffer is cut short
 * with "...". Nothing is done when log is NULL or cannot be written: the
 * program runs as it would.
 */
void rs_log(const char *log, pid_t pid, const char *const piece[]);

/* Writes n, in decimal, into buf of at least 21 bytes; returns buf. */
char *rs_decimal(char *buf, unsigned long long n);

#endif
