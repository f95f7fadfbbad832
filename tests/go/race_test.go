// Package race is the "text file busy" race as a Go test suite meets it:
// parallel tests that each write an executable file and run it with
// os/exec, which forks and execs with its own system calls, out of reach
// of a preload library. Another test's fork copies the write descriptor
// of a file being written, and its exec fails with ETXTBSY until that
// child has exec'd. Each failure is reported as an error naming ETXTBSY
// or what else went wrong.
//
// RACE_GO_TESTS (default 32) parallel tests run RACE_GO_LAUNCHES
// (default 100) files each: TestScripts writes shell scripts,
// TestBinaries fresh copies of RACE_GO_BINARY (default /bin/true).
// RACE_GO_FORKERS (default 0) goroutines run RACE_GO_FORK (default
// /bin/true) over and over meanwhile through a C library that forks
// (forker.go): Go's own forks hold syscall.ForkLock until the child has
// exec'd, which leaves the race only a narrow window on a small machine.
package race

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

func setting(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// launch writes payload to fresh files and runs each, in parallel tests.
func launch(t *testing.T, payload []byte) {
	tests, launches := setting("RACE_GO_TESTS", 32), setting("RACE_GO_LAUNCHES", 100)
	for i := 0; i < tests; i++ {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for j := 0; j < launches; j++ {
				p := filepath.Join(dir, fmt.Sprint("x", j))
				if err := os.WriteFile(p, payload, 0o755); err != nil {
					t.Fatal(err)
				}
				err := exec.Command(p).Run()
				switch {
				case errors.Is(err, syscall.ETXTBSY):
					t.Errorf("ETXTBSY: %v", err)
				case err != nil:
					t.Errorf("other failure: %v", err)
				}
				os.Remove(p)
			}
		})
	}
}

// TestMain runs the forkers while the tests run.
func TestMain(m *testing.M) {
	stop := make(chan struct{})
	done := make(chan struct{})
	forkers := setting("RACE_GO_FORKERS", 0)
	name := os.Getenv("RACE_GO_FORK")
	if name == "" {
		name = "/bin/true"
	}
	for i := 0; i < forkers; i++ {
		go func() {
			for {
				select {
				case <-stop:
					done <- struct{}{}
					return
				default:
					runHelper(name)
				}
			}
		}()
	}
	code := m.Run()
	close(stop)
	for i := 0; i < forkers; i++ {
		<-done
	}
	os.Exit(code)
}

func TestScripts(t *testing.T) {
	launch(t, []byte("#!/bin/sh\nexit 0\n"))
}

func TestBinaries(t *testing.T) {
	name := os.Getenv("RACE_GO_BINARY")
	if name == "" {
		name = "/bin/true"
	}
	payload, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	launch(t, payload)
}
