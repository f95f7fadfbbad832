#!/usr/bin/env bats
# shellcheck disable=SC2154 # kstatus, kout, kerr, stderr: set by helper.bash
# Command line: option parsing, --dry-run, --split, --help, --version, usage
# errors and the set-uid refusal. Semantics are compared with a direct run
# (the kernel); runscript's own behaviour is checked against the documented
# values (exit 125, exact messages).

load helper

TRY="Try 'runscript --help' for more information."

# usage_error STATUS-LINE: the last run was a usage error: status 125,
# nothing on stdout, exactly the given line then the Try line on stderr.
usage_error() {
	local want
	want=$(printf '%s\n%s' "$1" "$TRY")
	if [ "$status" != 125 ] || [ -n "$output" ] || [ "$stderr" != "$want" ]; then
		printf 'want: status 125, empty stdout, stderr:\n%s\n' "$want"
		printf 'got:  status %s\n--- stdout\n%s\n--- stderr\n%s\n' \
			"$status" "$output" "$stderr"
		return 1
	fi
}

# A fixture that leaves a file named "ran" behind when it really runs.
mktoucher() {
	mkscript "$1" '#!/bin/touch ran\n'
}

# --- option parsing ---------------------------------------------------------

@test "option parsing stops at SCRIPT: later -n --help -V -S -- reach the script" {
	mkscript x '#!./p\n'
	kernel_run env -- ./x -n --help -V -S -- --version -x
	run --separate-stderr "$RUNSCRIPT" ./x -n --help -V -S -- --version -x
	like_kernel
}

@test "options after SCRIPT reach the script also when runscript had options" {
	mkscript x '#!./p\n'
	kernel_run env -- ./x --dry-run -n
	run --separate-stderr "$RUNSCRIPT" -S ./x --dry-run -n
	like_kernel
}

@test "-- ends options: a SCRIPT named --help is searched on PATH and run" {
	mkdir bin
	mkscript bin/--help '#!./p\n'
	kernel_run env -- PATH="$PWD/bin" --help a
	[ "$kstatus" -eq 0 ]
	run --separate-stderr env -- PATH="$PWD/bin" "$RUNSCRIPT" -- --help a
	like_kernel
}

@test "-- ends options: a SCRIPT named -n is run, not taken as --dry-run" {
	mkdir bin
	mkscript bin/-n '#!./p\n'
	kernel_run env -- PATH="$PWD/bin" -n -V
	[ "$kstatus" -eq 0 ]
	run --separate-stderr env -- PATH="$PWD/bin" "$RUNSCRIPT" -- -n -V
	like_kernel
}

@test "-- after options ends them: -n -- ./x is a dry run of ./x" {
	mktoucher x
	run --separate-stderr "$RUNSCRIPT" -n -- ./x
	[ "$status" -eq 0 ]
	[ "$output" = "/bin/touch ran ./x" ]
	[ ! -e ran ]
}

# --- --dry-run ----------------------------------------------------------------

@test "-n prints exactly one line on stdout, nothing on stderr, exit 0" {
	mkscript x '#!./p\n'
	"$RUNSCRIPT" -n ./x '' $'a\nb' $'\t' $'\xff' >out 2>err
	[ "$(wc -l <out)" -eq 1 ]
	[ "$(tail -c 1 out | od -An -tx1)" = " 0a" ]
	[ ! -s err ]
}

@test "--dry-run is the long form of -n" {
	mkscript x '#!./p -a\n'
	run --separate-stderr "$RUNSCRIPT" -n ./x 'a b'
	short=$output
	[ "$status" -eq 0 ]
	run --separate-stderr "$RUNSCRIPT" --dry-run ./x 'a b'
	[ "$status" -eq 0 ]
	[ "$output" = "$short" ]
	[ -n "$output" ]
}

@test "-n line, eval'd by bash, runs the exact argv the kernel builds (awkward bytes)" {
	mkscript x '#!./p\n'
	touch a1 ab pwned-not # so an unquoted glob would expand
	args=('' ' ' '  a  b  ' $'a\nb' $'\t' $'\r' "it's" "'" '"dq"' '\' '\\n'
		'$HOME' '$(touch pwned)' '`touch pwned`' ';|&<>' '*' 'a?' '[a]*' '~'
		'{a,b}' '!' '#' '-n' '--' $'\xff' $'\xff\xfe' $'\xc3' 'é' '日本'
		$'\x01\x02\x1b\x7f' $'tab\there' 'ok_@%+=:,./-')
	kernel_run env -- ./x "${args[@]}"
	[ "$kstatus" -eq 0 ]
	line=$("$RUNSCRIPT" -n ./x "${args[@]}")
	run --separate-stderr eval "$line"
	like_kernel
	[ ! -e pwned ]
}

@test "-n line of a script without #! shows /bin/sh running it, as execvp does" {
	mkscript x 'exec ./p from-sh "$@"\n'
	kernel_run env -- ./x 'a b' $'c\nd'
	[ "$kstatus" -eq 0 ]
	line=$("$RUNSCRIPT" -n ./x 'a b' $'c\nd')
	run --separate-stderr eval "$line"
	like_kernel
}

@test "-n line of a chain of scripts, eval'd, runs what the kernel runs" {
	mkscript y '#!./p -y\n'
	mkscript x '#!./y -x  x\n'
	kernel_run env -- ./x 'a b'
	[ "$kstatus" -eq 0 ]
	line=$("$RUNSCRIPT" -n ./x 'a b')
	run --separate-stderr eval "$line"
	like_kernel
}

@test "-n quotes as documented: bare, single quotes, \$'...' for control bytes" {
	mkscript x '#!./p\n'
	run --separate-stderr "$RUNSCRIPT" -n ./x 'ok_@%+=:,./-' '' 'a b' "it's" \
		'$HOME' '*' $'a\nb' $'\t' $'x\\y\rz' $'\x01' "q'"$'\n'
	[ "$status" -eq 0 ]
	want="./p ./x ok_@%+=:,./- '' 'a b' 'it'\\''s' '\$HOME' '*' \$'a\\nb' \$'\\t' \$'x\\\\y\\rz' \$'\\001' \$'q\\'\\n'"
	printf 'want: %s\ngot:  %s\n' "$want" "$output"
	[ "$output" = "$want" ]
}

@test "-n runs nothing: a fixture that creates a file leaves no file" {
	mktoucher x
	run --separate-stderr "$RUNSCRIPT" -n ./x
	[ "$status" -eq 0 ]
	[ ! -e ran ]
	# The fixture does create the file when it really runs.
	run --separate-stderr "$RUNSCRIPT" ./x
	[ "$status" -eq 0 ]
	[ -e ran ]
}

# dry_run_fails_as_real [NAME=VALUE]... SCRIPT...: -n prints nothing and
# fails with the same status and stderr as the real run, which fails; both
# run in the environment changed by NAME=VALUE.
dry_run_fails_as_real() {
	local -a vars=()
	while [[ $1 == [A-Z]*=* ]]; do
		vars+=("$1")
		shift
	done
	capture env -- "${vars[@]}" "$RUNSCRIPT" "$@"
	local rstatus=$status rerr=$stderr
	capture env -- "${vars[@]}" "$RUNSCRIPT" -n "$@"
	printf 'real: status %s, stderr:\n%s\n' "$rstatus" "$rerr"
	printf 'dry:  status %s, stdout:\n%s\nstderr:\n%s\n' "$status" "$output" "$stderr"
	[ "$rstatus" -ne 0 ]
	[ "$status" = "$rstatus" ]
	[ "$stderr" = "$rerr" ]
	[ -z "$output" ]
}

@test "-n fails exactly as the real run: missing script" {
	dry_run_fails_as_real ./nope
	[ "$status" -eq 127 ]
}

@test "-n fails exactly as the real run: bad (missing) interpreter" {
	mkscript x '#!./nope\n'
	dry_run_fails_as_real ./x
	[ "$status" -eq 127 ]
}

@test "-n fails exactly as the real run: non-executable interpreter" {
	cp p q
	chmod 644 q
	mkscript x '#!./q\n'
	dry_run_fails_as_real ./x
	[ "$status" -eq 126 ]
}

@test "-n fails exactly as the real run: non-executable script" {
	mkfile x 644 '#!./p\n'
	dry_run_fails_as_real ./x
	[ "$status" -eq 126 ]
}

@test "-n fails exactly as the real run: script is a directory" {
	mkdir d
	dry_run_fails_as_real ./d
	[ "$status" -eq 126 ]
}

@test "-n fails exactly as the real run: nested interpreters loop" {
	mkscript x '#!./x\n'
	dry_run_fails_as_real ./x
	[ "$status" -eq 126 ]
}

@test "-n fails exactly as the real run: name not found on PATH" {
	mkdir bin
	dry_run_fails_as_real PATH="$PWD/bin" no-such-command-xyz
	[ "$status" -eq 127 ]
}

# --- --split ------------------------------------------------------------------

@test "without -S the #! argument is one string, as the kernel passes it" {
	mkscript x '#!./p -a  -b\tc\n'
	same_as_kernel ./x arg
}

@test "-S splits the #! argument on runs of blanks into several arguments" {
	mkscript x '#!./p  -a  -b\t\tc \n'
	kernel_run env -- ./p -a -b c ./x 'arg one'
	run --separate-stderr "$RUNSCRIPT" -S ./x 'arg one'
	like_kernel
}

@test "--split is the long form of -S" {
	mkscript x '#!./p -a \t -b\n'
	kernel_run env -- ./p -a -b ./x z
	run --separate-stderr "$RUNSCRIPT" --split ./x z
	like_kernel
}

@test "-S splits the #! argument of every script in the chain" {
	mkscript y '#!./p -c  d\n'
	mkscript x '#!./y -a\tb\n'
	kernel_run env -- ./p -c d ./y -a b ./x z
	run --separate-stderr "$RUNSCRIPT" -S ./x z
	like_kernel
}

@test "-S does not split the script's own arguments" {
	mkscript x '#!./p -a b\n'
	kernel_run env -- ./p -a b ./x 'c d' $'e\tf'
	run --separate-stderr "$RUNSCRIPT" -S ./x 'c d' $'e\tf'
	like_kernel
}

@test "-S with no #! argument changes nothing" {
	mkscript x '#!./p\n'
	kernel_run env -- ./x a
	run --separate-stderr "$RUNSCRIPT" -S ./x a
	like_kernel
}

@test "-n -S prints the split command" {
	mkscript x '#!./p -a  b\n'
	kernel_run env -- ./p -a b ./x
	line=$("$RUNSCRIPT" -n -S ./x)
	run --separate-stderr eval "$line"
	like_kernel
}

# --- --help, --version --------------------------------------------------------

@test "-h prints usage on stdout, exit 0" {
	run --separate-stderr "$RUNSCRIPT" -h
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	printf '%s\n' "$output" | grep -Eq '^[Uu]sage: runscript '
}

@test "--help prints the same usage as -h, naming every option" {
	run --separate-stderr "$RUNSCRIPT" -h
	short=$output
	run --separate-stderr "$RUNSCRIPT" --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "$short" ]
	for opt in -n --dry-run -S --split -h --help -V --version; do
		printf '%s\n' "$output" | grep -q -e "$opt" || {
			echo "help does not mention $opt"
			return 1
		}
	done
}

@test "-h runs nothing" {
	mktoucher x
	run --separate-stderr "$RUNSCRIPT" -h ./x
	[ "$status" -eq 0 ]
	[ ! -e ran ]
}

@test "-V prints 'runscript 1.0.0', exit 0" {
	run --separate-stderr "$RUNSCRIPT" -V
	[ "$status" -eq 0 ]
	[ "$output" = "runscript 1.0.0" ]
	[ -z "$stderr" ]
}

@test "--version prints 'runscript 1.0.0', exit 0" {
	run --separate-stderr "$RUNSCRIPT" --version
	[ "$status" -eq 0 ]
	[ "$output" = "runscript 1.0.0" ]
	[ -z "$stderr" ]
}

# --- usage errors: 125 ------------------------------------------------------

@test "unknown short option: 125, 'invalid option', Try line; nothing runs" {
	mktoucher x
	run --separate-stderr "$RUNSCRIPT" -x ./x
	usage_error "runscript: invalid option -- 'x'"
	[ ! -e ran ]
}

@test "unknown short option among known ones: 125" {
	mktoucher x
	run --separate-stderr "$RUNSCRIPT" -nSq ./x
	usage_error "runscript: invalid option -- 'q'"
	[ ! -e ran ]
}

@test "unknown long option: 125, 'unrecognized option', Try line; nothing runs" {
	mktoucher x
	run --separate-stderr "$RUNSCRIPT" --foo ./x
	usage_error "runscript: unrecognized option '--foo'"
	[ ! -e ran ]
}

@test "no SCRIPT: 125, 'missing SCRIPT operand', Try line" {
	run --separate-stderr "$RUNSCRIPT"
	usage_error "runscript: missing SCRIPT operand"
}

@test "no SCRIPT after options and --: 125, 'missing SCRIPT operand'" {
	run --separate-stderr "$RUNSCRIPT" -n -S --
	usage_error "runscript: missing SCRIPT operand"
}

@test "--help=x: 125, \"option '--help' doesn't allow an argument\"" {
	run --separate-stderr "$RUNSCRIPT" --help=x
	usage_error "runscript: option '--help' doesn't allow an argument"
}

@test "--dry-run=x: 125, \"option '--dry-run' doesn't allow an argument\"" {
	mktoucher x
	run --separate-stderr "$RUNSCRIPT" --dry-run=x ./x
	usage_error "runscript: option '--dry-run' doesn't allow an argument"
	[ ! -e ran ]
}

@test "usage messages say 'runscript', whatever path runscript was run by" {
	mkdir -p bin/sub
	cp "$RUNSCRIPT" bin/sub/other-name
	run --separate-stderr ./bin/sub/other-name -x
	usage_error "runscript: invalid option -- 'x'"
}

# --- set-uid / set-gid refusal ------------------------------------------------

# setid_copy MODE: a root-owned copy of runscript with MODE, run as nobody;
# skips unless set-id bits take effect here.
setid_copy() {
	[ "$(id -u)" -eq 0 ] ||
		skip "not root: cannot make a set-uid-root copy of runscript"
	! grep -q LeakSanitizer "$RUNSCRIPT" ||
		skip "a sanitizer build: LeakSanitizer dies at exit in a set-id process"
	open_for_nobody
	mkdir sbin
	cp "$RUNSCRIPT" sbin/runscript
	cp /usr/bin/id sbin/id
	chown root:root sbin/runscript sbin/id
	chmod "$1" sbin/runscript sbin/id
	chmod 755 sbin
	# Control: does a set-id program get effective id 0 here (no nosuid
	# mount, no no_new_privs)?
	local ids
	ids=$(unprivileged ./sbin/id)
	case $1:$ids in
	4*:*euid=0*) ;;
	2*:*egid=0*) ;;
	*) skip "set-id bits have no effect here (nosuid mount or no_new_privs): id says: $ids" ;;
	esac
}

# refuses_setid MODE: a copy of runscript with MODE, run by nobody, refuses
# with 125 and its message, and runs nothing.
refuses_setid() {
	setid_copy "$1"
	mktoucher x
	chmod 777 .
	run --separate-stderr unprivileged ./sbin/runscript ./x
	[ "$status" -eq 125 ]
	[ -z "$output" ]
	[ "$stderr" = "runscript: refusing to run set-uid or set-gid: real and effective ids differ" ]
	[ ! -e ran ]
}

@test "set-uid: real and effective uid differ -> 125 and refusal; nothing runs" {
	refuses_setid 4755
}

@test "set-gid: real and effective gid differ -> 125 and refusal; nothing runs" {
	refuses_setid 2755
}

@test "the same copy without the set-uid bit runs the script for nobody" {
	setid_copy 4755
	chmod 755 sbin/runscript
	mkscript x '#!./p\n'
	kernel_run unprivileged env -- ./x a
	[ "$kstatus" -eq 0 ]
	run --separate-stderr unprivileged ./sbin/runscript ./x a
	like_kernel
}
