/*
 * runscript's part under --supervise: the process the caller waits for
 * stays until COMMAND ends and ends as it does, passing on signals.
 */
#ifndef FORWARD_H
#define FORWARD_H

#include <signal.h>

/* Fills set with the signals runscript passes on to COMMAND. */
void forward_signals(sigset_t *set);

/*
 * Waits for the supervisor's reports on chan: forwards the signals above
 * to COMMAND, stops while COMMAND is stopped, and exits with COMMAND's
 * status or dies of the signal it died of. With summary set, writes the
 * supervisor's counts on standard error first.
 */
_Noreturn void forward_until_end(int chan, int summary);

#endif
