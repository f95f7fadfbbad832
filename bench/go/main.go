// Command execcost prints the mean time, in microseconds, of one
// exec.Command("/bin/true").Run() over N, after one untimed warm-up:
// what bench.sh compares run directly and under runscript --supervise.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

func main() {
	n, err := strconv.Atoi(os.Args[len(os.Args)-1])
	if len(os.Args) != 2 || err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "usage: execcost N")
		os.Exit(2)
	}
	run := func() {
		if err := exec.Command("/bin/true").Run(); err != nil {
			fmt.Fprintln(os.Stderr, "execcost:", err)
			os.Exit(1)
		}
	}
	run()
	start := time.Now()
	for i := 0; i < n; i++ {
		run()
	}
	fmt.Printf("%.2f\n", float64(time.Since(start).Microseconds())/float64(n))
}
