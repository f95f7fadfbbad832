/*
 * The log of a tree (--log FILE, or RUNSCRIPT_LOG=FILE in the
 * environment): one whole line a write, appended, for each exec held.
 */
#ifndef LOG_H
#define LOG_H

/* The environment variable that names the log for the whole tree. */
#define LOG_ENV "RUNSCRIPT_LOG"

/*
 * --log FILE: names FILE, made absolute, in RUNSCRIPT_LOG for the tree.
 * Returns 0, or the exit status after saying why not.
 */
int log_name(const char *file);

/*
 * Opens the log that RUNSCRIPT_LOG names for appending; returns its
 * descriptor, or -1 when there is none or it cannot be opened, which
 * changes nothing else.
 */
int log_open(void);

/*
 * Appends "pid PID: FILE was busy: held the exec for MS ms" to the log
 * fd, in one write, with control bytes of FILE in caret notation. A
 * failure to write is ignored: the log never changes what runs.
 */
void log_held(int fd, long pid, const char *file, unsigned long ms);

#endif
