/*
 * What the supervisor (hold.c) tells runscript, the process the caller
 * waits for (forward.c), about COMMAND: one report a datagram on a
 * SOCK_SEQPACKET pair, and descriptors passed with SCM_RIGHTS.
 */
#ifndef CHANNEL_H
#define CHANNEL_H

enum report_kind {
	REPORT_PID,     /* COMMAND runs as value; a pidfd comes with it */
	REPORT_STOPPED, /* COMMAND was stopped by signal value */
	REPORT_STATUS,  /* COMMAND ended with wait status value */
};

/* The counts of the summary that --log prints at the end. */
struct tally {
	unsigned long seen;   /* execs the supervisor was asked about */
	unsigned long held;   /* execs it held while their file was busy */
	unsigned long max_ms; /* the longest it held one */
};

struct report {
	enum report_kind kind;
	int value;
	struct tally tally;
};

/*
 * Sends len bytes of msg, with descriptor fd unless it is -1, on the
 * socket sock. Returns 0 or an errno.
 */
int channel_send(int sock, const void *msg, size_t len, int fd);

/*
 * Receives a datagram of at most len bytes into msg, and the descriptor
 * that came with it into *fd (-1 for none). Returns the bytes received, 0
 * at the end, or -1 with errno set.
 */
long channel_recv(int sock, void *msg, size_t len, int *fd);

#endif
