#!/usr/bin/env bats
# shellcheck disable=SC2154 # kstatus, kout, kerr, stderr: set by helper.bash
# runscript --supervise: a seccomp supervisor outside the tree holds each
# exec while its file is open for writing, for programs the preload
# library never reaches: Go's os/exec, static programs, raw system calls.
#
# The races: the static C harness (tests/race.c built with musl, 64
# writers and 16 forkers) running scripts and fresh ELF binaries, and a Go
# test package (tests/go) whose parallel tests write and run files. Each
# runs directly in rounds until a launch fails with ETXTBSY: a load that
# never fails within its budget proves nothing, and the test fails saying
# so. The same load under --supervise must then never fail.
#
# Then the wrapper: exit status, death by signal, forwarded and ignored
# signals, job control in a pseudo-terminal (tests/jobctl.py), a
# background process that execs after COMMAND has exited, nesting, the
# warnings and refusals, and --log.

load helper

RACE=$ROOT/tests/bin/race
LOAD=(-w "${SUPERVISE_WRITERS:-64}" -f "${SUPERVISE_FORKERS:-16}")
# Launches of a supervised run, and of a direct round; the direct rounds
# stop at the first ETXTBSY or after DIRECT_MAX launches.
LAUNCHES=${SUPERVISE_LAUNCHES:-2000}
ROUND=1000
DIRECT_MAX=${SUPERVISE_DIRECT_MAX:-10000}
LIMIT=(-s 300)

setup_file() {
	# Is seccomp user notification there at all? A kernel without it is
	# the one reason to skip what needs it.
	if ! "$RUNSCRIPT" --supervise true 2>"$BATS_FILE_TMPDIR/probe"; then
		cp "$BATS_FILE_TMPDIR/probe" "$BATS_FILE_TMPDIR/unsupported"
	fi
}

# supervised: skip, saying why, where the kernel cannot supervise.
supervised() {
	if [ -f "$BATS_FILE_TMPDIR/unsupported" ]; then
		skip "kernel $(uname -r): $(cat "$BATS_FILE_TMPDIR/unsupported")"
	fi
}

# direct_fails CMD...: runs CMD (which prints the direct method's line)
# in rounds until a launch fails with ETXTBSY; fails, with the totals,
# when none has after DIRECT_MAX launches.
direct_fails() {
	local total=0 busy=0
	while [ "$total" -lt "$DIRECT_MAX" ]; do
		capture "$@"
		want_status 0 || return 1
		total=$((total + $(count direct launches)))
		busy=$((busy + $(count direct etxtbsy)))
		if [ "$busy" -gt 0 ]; then
			echo "# direct: $busy ETXTBSY in $total launches" >&3
			return 0
		fi
	done
	echo "kernel $(uname -r): direct exec never failed with ETXTBSY in $total launches: the load proves nothing here"
	show_run 'last direct round'
	return 1
}

# never_fails N: the last run launched N files and none failed.
never_fails() {
	local n busy other
	n=$(count direct launches) busy=$(count direct etxtbsy) other=$(count direct other)
	if [ "$n" != "$1" ] || [ "$busy" != 0 ] || [ "$other" != 0 ]; then
		echo "want $1 launches without a failure, got: launches=$n etxtbsy=$busy other=$other"
		show_run supervised
		return 1
	fi
	echo "# supervised: 0 failures in $n launches; $(stderr_line 1)" >&3
}

# race_direct ARG...: the static harness, launching directly.
race_direct() {
	direct_fails "$RACE" "${LOAD[@]}" "${LIMIT[@]}" -d "$BATS_TEST_TMPDIR" \
		-m direct -n "$ROUND" "$@"
}

# held: how many execs the supervisor held in the last capture, from the
# summary that --log makes it print.
held() {
	sed -n 's/^runscript: --supervise: [0-9]* execs seen, \([0-9]*\) held.*/\1/p' <<<"$stderr"
}

# race_supervised ARG...: the same load under runscript --supervise, in
# runs of LAUNCHES until the supervisor has held an exec (so the race
# happened under it) or DIRECT_MAX launches have run: none may fail.
race_supervised() {
	local total=0
	while [ "$total" -lt "$DIRECT_MAX" ]; do
		capture "$RUNSCRIPT" --supervise --log "$BATS_TEST_TMPDIR/log" \
			"$RACE" "${LOAD[@]}" "${LIMIT[@]}" -d "$BATS_TEST_TMPDIR" \
			-m direct -n "$LAUNCHES" "$@"
		want_status 0 && never_fails "$LAUNCHES" || return 1
		total=$((total + LAUNCHES))
		[ "$(held)" = 0 ] || return 0
	done
	echo "the supervisor never held an exec in $total launches: the load proves nothing"
	show_run 'last supervised run'
	return 1
}

# busy FILE SECONDS: FILE open for writing by a background process for
# SECONDS, from before it returns; $! is that process.
busy() {
	sh -c 'exec 3>>"$1"; : >.held; exec sleep "$2"' sh "$1" "$2" &
	while [ ! -e .held ]; do sleep 0.02; done
	rm .held
}

# --- the races ------------------------------------------------------------------

@test "the race harness is a statically linked program" {
	capture file -L "$RACE"
	want_output_has "statically linked"
}

@test "static harness, 64 writers and 16 forkers, scripts: fail directly, never under --supervise" {
	supervised
	race_direct
	race_supervised
}

@test "static harness, fresh ELF binaries written and run: fail directly, never under --supervise" {
	supervised
	race_direct -e /bin/true
	race_supervised -e /bin/true
}

# The Go package's test binary, built once, offline, with no module
# cache outside the file's own directory.
go_env() {
	export GOCACHE=$BATS_FILE_TMPDIR/gocache GOPATH=$BATS_FILE_TMPDIR/gopath
	export GOPROXY=off GOFLAGS='' GO111MODULE=on
}

# go_race ARG...: the Go race package's test binary, its results as
# the harness prints them.
go_race() {
	local out n busy other
	out=$("$@" 2>&1)
	n=$((${RACE_GO_TESTS:-32} * ${RACE_GO_LAUNCHES:-100}))
	busy=$(grep -c 'ETXTBSY:' <<<"$out")
	other=$(grep -c 'other failure:' <<<"$out")
	printf 'method=direct launches=%s etxtbsy=%s other=%s\n' "$n" "$busy" "$other"
	[ "$other" = 0 ] || printf '%s\n' "$out" >&2
}

@test "a Go test package's parallel tests: fail directly, never under runscript --tree --supervise go test" {
	supervised
	command -v go >/dev/null || skip "no go here (Debian's golang-go; .ci/run installs it)"
	go_env
	(cd "$ROOT/tests/go" && go test -c -o "$BATS_FILE_TMPDIR/race.test" .)
	# Go's own forks hold a lock until the child has exec'd, which leaves
	# only a narrow window; a C library that forks in the same process
	# leaves a wide one, as the forkers of tests/go/forker.go do.
	export RACE_GO_FORKERS=2 RACE_GO_LAUNCHES=50
	direct_fails go_race "$BATS_FILE_TMPDIR/race.test" -test.run TestScripts -test.parallel 32
	# The recipe as a user types it.
	cd "$ROOT/tests/go"
	capture "$RUNSCRIPT" --tree --supervise --log "$BATS_TEST_TMPDIR/log" go test -count=1 -run TestScripts -parallel 32 ./...
	want_status 0 && want_output_has ok || return 1
	echo "# supervised: go test passed; $(grep -- '--supervise:' <<<"$stderr")" >&3
}

# --- the wrapper -------------------------------------------------------------------

@test "--supervise passes on COMMAND's exit status and output" {
	supervised
	mkscript x '#!/bin/sh\necho "$@"\nexit 3\n'
	kernel_run env -- ./x a 'b c'
	capture "$RUNSCRIPT" --supervise ./x a 'b c'
	like_kernel
}

@test "--supervise: COMMAND not found is 127, as direct" {
	supervised
	kernel_run env -- ./missing
	capture "$RUNSCRIPT" --supervise ./missing
	like_kernel
}

@test "--supervise: COMMAND killed by TERM, KILL, SEGV, INT: runscript dies of the same signal" {
	supervised
	for sig in TERM KILL SEGV INT; do
		kernel_run sh -c "kill -$sig \$\$"
		capture "$RUNSCRIPT" --supervise sh -c "kill -$sig \$\$"
		like_kernel || return 1
	done
	[ "$kstatus" = $((128 + 2)) ]
}

@test "--supervise forwards TERM, HUP, USR1 and USR2 to COMMAND" {
	supervised
	for sig in TERM HUP USR1 USR2; do
		"$RUNSCRIPT" --supervise sh -c "trap 'echo got $sig; exit 0' $sig; : >ready; while :; do sleep 0.05; done" >out &
		pid=$!
		while [ ! -f ready ]; do sleep 0.05; done
		kill -"$sig" "$pid"
		wait "$pid" || { echo "$sig: status $?"; return 1; }
		[ "$(cat out)" = "got $sig" ] || { echo "$sig: $(cat out)"; return 1; }
		rm -f ready
	done
}

@test "--supervise: an unhandled TERM sent to runscript ends COMMAND and runscript with 143" {
	supervised
	"$RUNSCRIPT" --supervise sh -c ': >ready; exec sleep 30' &
	pid=$!
	while [ ! -f ready ]; do sleep 0.05; done
	sleep 0.1
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	want_status 143
}

@test "--supervise: runscript ignores SIGINT and SIGQUIT sent to it; COMMAND does not" {
	supervised
	"$RUNSCRIPT" --supervise sh -c ': >ready; sleep 1; echo survived' >out &
	pid=$!
	while [ ! -f ready ]; do sleep 0.05; done
	kill -INT "$pid"
	kill -QUIT "$pid"
	status=0
	wait "$pid" || status=$?
	output=$(cat out)
	want_status 0 && want_output survived
}

@test "--supervise: job control in a terminal: the foreground, Ctrl-Z, fg, bg, Ctrl-C" {
	supervised
	command -v python3 >/dev/null || skip "no python3 here to drive a pseudo-terminal"
	capture timeout 60 python3 "$ROOT/tests/jobctl.py" "$RUNSCRIPT"
	want_status 0
}

@test "--supervise: COMMAND's parent is runscript, under NO_NEW_PRIVS, and /proc/PID/status shows the filter" {
	supervised
	capture "$RUNSCRIPT" --supervise sh -c 'cat /proc/$PPID/comm; grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status'
	want_status 0 && want_output $'runscript\nNoNewPrivs:\t1\nSeccomp:\t2'
}

@test "--supervise: a set-user-ID program runs without its privileges" {
	supervised
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot make a set-user-ID copy for nobody"
	open_for_nobody
	cp /usr/bin/id ./suid-id
	chmod 4755 ./suid-id
	capture unprivileged ./suid-id -u
	[ "$output" = 0 ] || skip "set-user-ID bits do not work here (nosuid mount?)"
	capture unprivileged "$RUNSCRIPT" --supervise ./suid-id -u
	want_status 0 && want_output "$(id -u nobody)"
}

@test "--supervise: a background process that execs after COMMAND has exited still runs" {
	supervised
	mkscript late '#!/bin/sh\necho late "$@" >>out\n'
	capture "$RUNSCRIPT" --supervise sh -c '(sleep 2; ./late 1; sleep 1; ./late 2; /bin/echo done >>out) >/dev/null 2>&1 &'
	want_status 0
	[ ! -e out ] || { echo "runscript waited for the background process"; return 1; }
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(cat out 2>/dev/null)" != $'late 1\nlate 2\ndone' ] || return 0
		sleep 1
	done
	cat out
	return 1
}

@test "--supervise holds the exec of a file open for writing until it is closed" {
	supervised
	mkscript x '#!/bin/sh\necho ran\n'
	busy x 5
	kernel_run sh -c ./x
	kill "$!"
	want_failure && [[ $kerr == *"Text file busy"* ]] || { show_run direct; return 1; }
	busy x 0.5
	capture "$RUNSCRIPT" --supervise --log log sh -c ./x
	want_status 0 && want_output ran
	grep -Eq "^pid [0-9]+ \(sh\): \./x was busy for [0-9]+ ms; held the exec$" log || { cat log; return 1; }
	want_stderr_has "runscript: --supervise: "
	want_stderr_has " 1 held"
}

@test "--supervise holds a script whose interpreter is open for writing" {
	supervised
	cp /bin/true ./interp
	mkscript x "#!$PWD/interp\n"
	busy interp 0.5
	capture "$RUNSCRIPT" --supervise --log log sh -c ./x
	want_status 0
	grep -q "x was busy" log || { cat log; return 1; }
}

@test "--supervise: an exec through execveat(2) relative to a directory is held too" {
	supervised
	command -v python3 >/dev/null || skip "no python3 here to call execveat"
	mkdir d
	mkscript d/x '#!/bin/sh\necho ran\n'
	# The descriptor stays open across the exec: the kernel refuses a
	# script named through a close-on-exec one (its path is /dev/fd/N/x).
	cat >execveat.py <<-'EOF'
		import ctypes, os
		libc = ctypes.CDLL(None, use_errno=True)
		fd = os.open("d", os.O_RDONLY)
		os.set_inheritable(fd, True)
		argv = (ctypes.c_char_p * 2)(b"x", None)
		libc.syscall(322, fd, b"x", argv, None, 0)
		print("execveat:", os.strerror(ctypes.get_errno()))
	EOF
	py=$(python3 -c 'import sys; print(sys.executable)')
	busy d/x 5
	kernel_run "$py" execveat.py
	kill "$!"
	want_output "execveat: Text file busy" || return 1
	busy d/x 0.5
	capture "$RUNSCRIPT" --supervise --log log "$py" execveat.py
	want_status 0 && want_output ran
	grep -q "): x was busy for [0-9]* ms; held the exec" log || { cat log; return 1; }
}

@test "--log: a log that cannot be written changes nothing" {
	supervised
	capture "$RUNSCRIPT" --supervise --log /nonexistent/dir/log sh -c 'echo ok'
	want_status 0 && want_output ok
}

@test "RUNSCRIPT_LOG names the log as --log does, and --log sets it for the tree, absolute" {
	supervised
	capture env RUNSCRIPT_LOG=log "$RUNSCRIPT" --supervise sh -c 'echo "$RUNSCRIPT_LOG"'
	want_output log
	capture "$RUNSCRIPT" --supervise --log log sh -c 'echo "$RUNSCRIPT_LOG"'
	want_output "$PWD/log"
}

# --- nesting, warnings, refusals ---------------------------------------------------

@test "runscript --tree --supervise inside one runs, saying on one line that the outer one supervises" {
	supervised
	capture "$RUNSCRIPT" --tree --supervise "$RUNSCRIPT" --tree --supervise sh -c 'echo inner'
	want_status 0 && want_output inner
	want_stderr "runscript: --supervise: warning: the tree is already supervised by runscript (a seccomp listener is in place): running under it"
}

@test "another listener in place, with --tree: one line, and the library runs the tree" {
	supervised
	capture "$RUNSCRIPT" --supervise env -u RUNSCRIPT_SUPERVISOR "$RUNSCRIPT" --tree --supervise sh -c 'echo "$LD_PRELOAD"'
	want_status 0 && want_output_has librunscript.so
	want_stderr_has "runscript: --supervise: warning: a seccomp listener is already in place (EBUSY): running with --tree's library only: "
	[ "$(wc -l <<<"$stderr")" = 1 ] || { show_run got; return 1; }
}

@test "another listener in place, without --tree: nothing would protect COMMAND: 125" {
	supervised
	capture "$RUNSCRIPT" --supervise env -u RUNSCRIPT_SUPERVISOR "$RUNSCRIPT" --supervise sh -c 'echo ran'
	want_status 125 && want_output ''
	want_stderr_has "runscript: --supervise: a seccomp listener is already in place"
}

@test "--supervise takes no -n, and --check takes no --supervise: 125" {
	capture "$RUNSCRIPT" --supervise -n true
	usage_error "runscript: option '--supervise' runs COMMAND: it takes no -n"
	capture "$RUNSCRIPT" --check --supervise x
	usage_error "runscript: option '--check' runs nothing: it takes no -n, --tree or --supervise"
	capture "$RUNSCRIPT" --supervise
	usage_error "runscript: missing COMMAND operand"
	capture "$RUNSCRIPT" --log
	usage_error "runscript: option '--log' requires an argument"
}

@test "--tree warns, on one line, that a static program needs --supervise" {
	capture "$RUNSCRIPT" --tree "$RACE" -h
	want_status 0
	want_stderr "runscript: $RACE: warning: a statically linked program loads no library, so --tree does not reach it: add --supervise"
}

@test "--tree warns that a Go program needs --supervise, found on PATH too" {
	command -v go >/dev/null || skip "no go here (Debian's golang-go; .ci/run installs it)"
	capture "$RUNSCRIPT" --tree go version
	want_status 0
	want_stderr "runscript: go: warning: a Go program makes its own exec system calls, which --tree does not reach: add --supervise"
}

@test "--tree says nothing about a dynamically linked program, or with --supervise" {
	capture "$RUNSCRIPT" --tree sh -c 'echo ok'
	want_output ok && want_stderr ''
	supervised
	capture "$RUNSCRIPT" --tree --supervise "$RACE" -h
	want_status 0 && want_stderr ''
}

@test "--supervise holds an exec made through int 0x80 (i386) too" {
	supervised
	capture "$ROOT/tests/bin/int80" /bin/true
	case $status in
	0) ;;
	$((128 + 11))) skip "kernel $(uname -r): int 0x80 faults here (no IA-32 system call gate)" ;;
	*) skip "cannot exec through int 0x80 here: $stderr" ;;
	esac
	mkscript x '#!/bin/sh\necho ran\n'
	busy x 5
	kernel_run "$ROOT/tests/bin/int80" ./x
	kill "$!"
	want_status 126 && want_stderr_has "busy" || return 1
	busy x 0.5
	capture "$RUNSCRIPT" --supervise --log log "$ROOT/tests/bin/int80" ./x
	want_status 0 && want_output ran
	grep -q "x was busy" log || { cat log; return 1; }
}
