/* Exit statuses and limits of runscript, named once. */
#ifndef RUNSCRIPT_H
#define RUNSCRIPT_H

/* The statuses of coreutils env(1) and POSIX shells. */
enum rs_exit {
	RS_EXIT_CANCELED = 125,   /* runscript itself failed; nothing ran */
	RS_EXIT_CANNOT_RUN = 126, /* found, but cannot be run */
	RS_EXIT_NOT_FOUND = 127,  /* SCRIPT or an interpreter does not exist */
};

/*
 * Scripts a chain may hold before the kernel's exec_binprm() gives up with
 * ELOOP: it loads at most 5 script levels above the final binary.
 */
#define RS_MAX_SCRIPTS 5

/*
 * Times runscript does env's job in a row (a #! line naming env and a
 * command) before it lets env run: a command that names itself through
 * env would otherwise go on for ever, as it does, exec after exec,
 * without runscript.
 */
#define RS_MAX_ENV 8

/* ETXTBSY on the final exec is retried this often, sleeping 1, 2, 4 ... ms. */
#define RS_BUSY_RETRIES 11

/* What execvp(3) runs a file with when the kernel answers ENOEXEC. */
#define RS_SHELL "/bin/sh"

#endif
