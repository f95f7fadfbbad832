/*
 * runscript's part under --supervise: the process the caller waits for
 * stays until COMMAND ends and ends as it does, passing on signals.
 */
#ifndef FORWARD_H
#define FORWARD_H

/* The signals runscript passes on to COMMAND. */
#define FORWARD_SIGNALS {SIGTERM, SIGHUP, SIGUSR1, SIGUSR2}

/*
 * Waits for the supervisor's reports on chan: forwards the signals above
 * to COMMAND, stops while COMMAND is stopped, and exits with COMMAND's
 * status or dies of the signal it died of. With summary set, writes the
 * supervisor's counts on standard error first.
 */
_Noreturn void forward_until_end(int chan, int summary);

#endif
