package race

// A C library in the same process that runs helpers with fork(2) and
// execve(2), as some cgo bindings do: its children hold copies of every
// descriptor of the process until they exec, Go's write descriptors too.

/*
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int
run_helper(const char *path)
{
	char *argv[] = {(char *)path, NULL};
	char *envp[] = {NULL};
	int status;
	pid_t pid = fork();

	if (pid == -1)
		return -1;
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(127);
	}
	return waitpid(pid, &status, 0) == pid ? status : -1;
}
*/
import "C"

import "unsafe"

// runHelper forks and execs path from C, and waits for it.
func runHelper(path string) {
	p := C.CString(path)
	C.run_helper(p)
	C.free(unsafe.Pointer(p))
}
