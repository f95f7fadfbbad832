#!/usr/bin/env bats
# shellcheck disable=SC2154 # stderr: set by helper.bash
# The log of a tree (--log FILE, RUNSCRIPT_LOG=FILE): every program of the
# tree, and runscript itself, appends one whole line for each script it
# ran through its interpreter and for each exec that waited for a busy
# file; a log that cannot be written changes nothing.

load helper

RACE_SYS=$ROOT/tests/bin/race-sys
LIB=$(dirname "$RUNSCRIPT")/librunscript.so
# The start of every line: the process the line is about.
PID='pid [0-9]+ \([^)]*\): '

# hold FILE SECONDS: FILE open for writing by a background process for
# SECONDS, from before it returns.
hold() {
	sh -c 'exec 3>>"$1"; : >.held; exec sleep "$2"' sh "$1" "$2" &
	while [ ! -e .held ]; do sleep 0.02; done
	rm .held
}

@test "--tree --log: a line for each script a program of the tree runs, naming it, its interpreter and the process" {
	mkscript x '#!/bin/sh\necho x "$@"\n'
	mkscript y "#!$PWD/x\n"
	capture "$RUNSCRIPT" --tree --log log sh -c './x 1; ./y 2'
	want_status 0
	want_output $'x 1\nx ./y 2'
	cat log
	[ "$(wc -l <log)" = 2 ]
	grep -Eq "^$PID"'ran \./x with /bin/sh$' log
	grep -Eq "^$PID"'ran \./y with /bin/sh$' log
}

@test "RUNSCRIPT_LOG: runscript logs the script it runs, and env's command it runs for env" {
	mkscript x '#!/usr/bin/env sh\necho x "$@"\n'
	RUNSCRIPT_LOG=$PWD/log capture "$RUNSCRIPT" ./x a
	want_status 0
	want_output 'x a'
	cat log
	grep -Eq '^pid [0-9]+ \(runscript\): ran \./x with /.*bin/sh$' log
}

@test "the log under a multi-threaded race: one whole line for each script run, none mixed" {
	capture "$RUNSCRIPT" --tree --log log "$RACE_SYS" -s 300 -r "$RUNSCRIPT" \
		-d "$BATS_TEST_TMPDIR" -w 4 -f 1 -m direct -n 1000
	want_status 0
	local launches lines ran
	launches=$(count direct launches)
	lines=$(wc -l <log)
	ran=$(grep -Ec "^$PID"'ran .*/[^/ ]+ with /bin/sh$' log)
	echo "launches $launches, lines $lines, of which 'ran' $ran"
	[ "$launches" = 1000 ]
	[ "$ran" = "$launches" ]
	# Any other line says that a file was busy, whole too.
	[ "$(grep -Evc "^$PID(ran .* with /bin/sh|.* was busy for [0-9]+ ms; (ran it|gave up))$" log)" = 0 ]
}

@test "a log that cannot be written changes nothing: output, status, descriptors" {
	mkscript x '#!/bin/sh\necho x "$@"; ls /proc/self/fd\nexit 3\n'
	capture env LD_PRELOAD="$LIB" sh -c './x a; echo "status $?"'
	local want=$output
	mkdir ro
	chmod 555 ro
	for log in "$PWD/no/such/dir/log" "$PWD/ro/log" /proc/version "$PWD"; do
		capture env LD_PRELOAD="$LIB" RUNSCRIPT_LOG="$log" \
			sh -c './x a; echo "status $?"'
		[ "$output" = "$want" ] || { echo "RUNSCRIPT_LOG=$log:"; show_run; return 1; }
		RUNSCRIPT_LOG=$log capture "$RUNSCRIPT" ./x a
		want_status 3
	done
}

@test "an exec that waits for its busy interpreter says so, then runs; one that stays busy, gives up" {
	cp "$ARGV" p
	mkscript x "#!$PWD/p\n"
	hold p 0.5
	RUNSCRIPT_LOG=$PWD/log capture "$RUNSCRIPT" ./x a
	want_status 0
	cat log
	grep -Eq "^pid [0-9]+ \\(runscript\\): $PWD/p was busy for [0-9]+ ms; ran it$" log
	rm log
	hold p 5
	RUNSCRIPT_LOG=$PWD/log capture "$RUNSCRIPT" ./x a
	want_status 126
	cat log
	grep -Eq "^pid [0-9]+ \\(runscript\\): $PWD/p was busy for 2047 ms; gave up$" log
}
