/*
 * floor — the least any exec'ing wrapper can cost: it execs /bin/sh with
 * its argument, and does nothing else. Built like runscript, it shows
 * what the extra exec alone costs on this machine.
 */
#include <unistd.h>

int
main(int argc, char *argv[])
{
	if (argc < 2)
		return 2;
	argv[0] = "/bin/sh";
	execv(argv[0], argv);
	return 127;
}
