#!/usr/bin/env bats
# shellcheck disable=SC2154 # kstatus, kout, kerr: set by helper.bash
# runscript execs: the exit status, death by signal, PID, environment,
# descriptors, standard input and every byte of every argument are the
# script's, exactly as in a direct run.

load helper

# Every test here runs the argv printer through the script ./x.
setup() {
	setup_tmpdir
	mkscript x '#!./p\n'
}

# --- exit status and signals ------------------------------------------------------

@test "exit status 0 passes through" {
	export ARGV_EXIT=0
	same_as_kernel ./x
	want_status 0
}

@test "exit status 1 passes through" {
	export ARGV_EXIT=1
	same_as_kernel ./x
	want_status 1
}

@test "exit status 42 passes through" {
	export ARGV_EXIT=42
	same_as_kernel ./x
	want_status 42
}

@test "exit status 255 passes through" {
	export ARGV_EXIT=255
	same_as_kernel ./x
	want_status 255
}

@test "exit statuses 125, 126, 127 of the script are the script's" {
	for n in 125 126 127; do
		export ARGV_EXIT=$n
		same_as_kernel ./x
		want_status "$n"
	done
}

@test "death by SIGTERM passes through" {
	export ARGV_SIGNAL=15
	same_as_kernel ./x
	want_status 143
}

@test "death by SIGKILL passes through" {
	export ARGV_SIGNAL=9
	same_as_kernel ./x
	want_status 137
}

@test "the parent sees a death by signal, not an exit with 128+n" {
	command -v perl >/dev/null || skip "perl is missing: cannot read a raw wait status"
	for sig in 15 9 1; do
		export ARGV_SIGNAL=$sig
		direct=$(perl -e 'system { $ARGV[0] } @ARGV; print STDERR $?, "\n"' \
			env -- ./x 2>&1 >/dev/null)
		through=$(perl -e 'system { $ARGV[0] } @ARGV; print STDERR $?, "\n"' \
			"$RUNSCRIPT" ./x 2>&1 >/dev/null)
		echo "signal $sig: direct wait status $direct, through runscript $through"
		[ "$direct" = "$sig" ]
		[ "$through" = "$direct" ]
	done
}

@test "a signal sent to runscript's PID reaches the script" {
	mkscript slow '#!/bin/sh\ntrap "echo got-TERM; exit 3" TERM\n: >ready\nwhile :; do sleep 0.05; done\n'
	"$RUNSCRIPT" ./slow >out 3>&- &
	pid=$!
	for _ in $(seq 100); do [ -e ready ] && break; sleep 0.05; done
	[ -e ready ]
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	cat out
	[ "$st" -eq 3 ]
	[ "$(cat out)" = got-TERM ]
}

# --- PID -----------------------------------------------------------------------

@test "the script runs with the PID runscript was started with" {
	export ARGV_PID=1
	# Kernel first: env execs, so the printer's pid is the shell's $$.
	capture sh -c 'echo "$$"; exec env -- ./x'
	want_status 0
	[ "pid: ${lines[0]}" = "$(printf '%s\n' "$output" | grep '^pid: ')" ]
	capture sh -c 'echo "$$"; exec "$1" ./x' sh "$RUNSCRIPT"
	want_status 0
	printf '%s\n' "$output"
	[ "pid: ${lines[0]}" = "$(printf '%s\n' "$output" | grep '^pid: ')" ]
}

@test "the PID is kept through a chain of scripts and the /bin/sh fallback" {
	export ARGV_PID=1
	mkscript y '#!./x\n'
	mkscript z 'exec ./p "$@"\n'
	for s in ./y ./z; do
		capture sh -c 'echo "$$"; exec "$1" "$2"' sh "$RUNSCRIPT" "$s"
		want_status 0
		printf '%s\n' "$output"
		[ "pid: ${lines[0]}" = "$(printf '%s\n' "$output" | grep '^pid: ')" ]
	done
}

# --- environment -----------------------------------------------------------------

@test "a variable with newlines and odd bytes reaches the script unchanged" {
	export ODD=$'a\nb\tc \x01\x1b\xff\xfe=d=\'"$(x)`*'
	export ARGV_ENV=ODD
	same_as_kernel ./x
	want_output_has "env ODD: a\\x0ab"
}

@test "an empty variable stays set and empty; an unset one stays unset" {
	export EMPTY=
	export ARGV_ENV=EMPTY
	same_as_kernel ./x
	want_output_has "env EMPTY: "
	export ARGV_ENV=NOT_SET_ANYWHERE
	unset NOT_SET_ANYWHERE
	same_as_kernel ./x
	want_output_has "(unset)"
}

@test "the environment block reaches the script byte for byte, in order" {
	mkscript e '#!/bin/sh\n/usr/bin/od -An -tx1 -v /proc/$$/environ\n'
	vars=(Z=1 A=2 'SP=a b' $'NL=x\ny' $'BYTES=\xff\xc3' 'EQ==x=' 'E=' M=3)
	kernel_run env -i "${vars[@]}" /usr/bin/env -- ./e
	want_status 0
	[ -n "$kout" ]
	capture env -i "${vars[@]}" "$RUNSCRIPT" ./e
	like_kernel
}

@test "an empty environment stays empty" {
	mkscript e '#!/bin/sh\n/usr/bin/od -An -tx1 -v /proc/$$/environ; echo end\n'
	kernel_run env -i /usr/bin/env -- ./e
	want_status 0
	capture env -i "$RUNSCRIPT" ./e
	like_kernel
}

# --- descriptors -------------------------------------------------------------------

@test "inherited descriptors 5 and 7 reach the script" {
	echo in >file
	exec 5<file 7>file2
	same_as_kernel ./x
	fds=" $(printf '%s\n' "$output" | sed -n 's/^fds://p') "
	[[ $fds == *" 5 "* ]]
	[[ $fds == *" 7 "* ]]
}

@test "an inherited descriptor is the same open file (shared offset)" {
	mkscript r '#!/bin/sh\nread -r l <&5; echo "$l"; exec ./p "$@"\n'
	printf 'one\ntwo\nthree\n' >file
	exec 5<file
	kernel_run env -- ./r
	read -r after_kernel <&5
	exec 5<file
	capture "$RUNSCRIPT" ./r
	read -r after_runscript <&5
	like_kernel
	[[ $output == one* ]]
	[ "$after_kernel" = two ]
	[ "$after_runscript" = two ]
}

@test "runscript's own descriptors never reach the script (#! script)" {
	same_as_kernel ./x a
	want_output_has "fds:"
}

@test "runscript's own descriptors never reach the script (chain of scripts)" {
	mkscript y '#!./x -y\n'
	mkscript z '#!./y -z\n'
	same_as_kernel ./z a
}

@test "runscript's own descriptors never reach the script (ELF, no #!)" {
	same_as_kernel ./p a
}

@test "runscript's own descriptors never reach the script (found on PATH)" {
	mkdir d
	mkscript d/w '#!./p\n'
	kernel_run env -- PATH="$PWD/d" w
	capture env -- PATH="$PWD/d" "$RUNSCRIPT" w
	like_kernel
}

@test "runscript's own descriptors never reach the script (/bin/sh fallback)" {
	mkscript z 'exec ./p "$@"\n'
	same_as_kernel ./z a
}

@test "runscript's own descriptors never reach the script (stdin closed)" {
	mkscript y '#!./x -y\n'
	# Close stdin in the process that execs, so runscript's first open
	# would get descriptor 0.
	kernel_run bash -c 'exec "$@" <&-' bash env -- ./y
	capture bash -c 'exec "$@" <&-' bash "$RUNSCRIPT" ./y
	like_kernel
	want_output_has "fds: 1 "
}

# --- arguments ---------------------------------------------------------------------

@test "empty and blank-only arguments pass unchanged" {
	same_as_kernel ./x '' ' ' '   ' $'\t' '' ' a  b '
	want_output_has "argc: 8"
}

@test "newlines, tabs and other control bytes in arguments pass unchanged" {
	same_as_kernel ./x $'a\nb' $'\n' $'\t\t' $'\r\n' $'\x01\x1b\x7f' $'\v\f'
	want_output_has '\x0a'
}

@test "glob characters pass unchanged, never expanded" {
	touch a1 ab abc
	same_as_kernel ./x '*' 'a?' '[a]*' 'a*' '*?[' '[' '**/*' '{a,b}' '~' '~root'
	want_output_has "argv[2]: *"
}

@test "shell characters pass unchanged and nothing is executed" {
	same_as_kernel ./x '$(touch pwned)' '`touch pwned`' ';' '|' '&' '<' '>' \
		"'" '"' '$HOME' '${x:-y}' '\' '!' '#' '&&' '||' '; touch pwned'
	[ ! -e pwned ]
}

@test "invalid UTF-8 bytes pass unchanged" {
	same_as_kernel ./x $'\xff\xfe' $'\xc3' $'\xc3(' $'\xed\xa0\x80' $'\x80' $'a\xffb'
	want_output_has '\xff\xfe'
}

@test "non-ASCII UTF-8 passes unchanged" {
	same_as_kernel ./x 'é' '日本語' '😀' $'\xc2\xa0'
}

@test "a 100 KB argument passes unchanged" {
	printf -v big '%*s' 102400 ''
	big=${big// /A}x
	# Compared by checksum, so that a failure report stays readable.
	kernel_run env -- ./x "$big" b
	capture "$RUNSCRIPT" ./x "$big" b
	[ "${#kout}" -gt 102400 ]
	k=$(printf '%s' "$kout" | md5sum) r=$(printf '%s' "$output" | md5sum)
	echo "direct: status $kstatus, ${#kout} bytes, md5 $k"
	echo "runscript: status $status, ${#output} bytes, md5 $r; stderr: ${stderr:0:300}"
	[ "$status" = "$kstatus" ]
	[ "$r" = "$k" ]
}

@test "arguments that look like runscript's options pass unchanged" {
	same_as_kernel ./x -n --dry-run -S --split -h --help -V --version -- -
}

@test "many arguments pass unchanged" {
	args=()
	for i in $(seq 1 2000); do args+=("a$i"); done
	same_as_kernel ./x "${args[@]}"
	want_output_has "argc: 2002"
}

@test "arguments pass unchanged through a chain and through the /bin/sh fallback" {
	mkscript y '#!./x -y\n'
	mkscript z 'exec ./p "$@"\n'
	for s in ./y ./z; do
		same_as_kernel "$s" '' $'a\nb' '*' $'\xff' '$(x)'
	done
}

# --- standard streams -------------------------------------------------------------

# piped INPUT CMD...: run CMD with INPUT on a pipe as standard input.
piped() {
	local input=$1
	shift
	printf '%s' "$input" | "$@"
}

@test "standard input on a pipe reaches the script" {
	mkscript c '#!/bin/sh\nod -An -tx1 -v; exec ./p "$@"\n'
	input=$'line one\nline two\n\xff\x01 end'
	kernel_run piped "$input" env -- ./c a
	want_output_has "6c 69 6e 65"
	capture piped "$input" "$RUNSCRIPT" ./c a
	like_kernel
}

@test "standard input from a file reaches the script at its offset" {
	mkscript c '#!/bin/sh\ncat; exec ./p "$@"\n'
	printf 'first\nsecond\n' >in
	kernel_run env -- ./c a <in
	[[ $kout == first* ]]
	capture "$RUNSCRIPT" ./c a <in
	like_kernel
}

@test "standard error of the script passes unchanged" {
	mkscript c '#!/bin/sh\nprintf "to stderr %s\\n" "$*" >&2; exec ./p "$@"\n'
	kernel_run env -- ./c a 'b c'
	want_stderr "to stderr a b c"
	capture "$RUNSCRIPT" ./c a 'b c'
	like_kernel
	want_stderr "$kerr"
}
