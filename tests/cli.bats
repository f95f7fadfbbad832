#!/usr/bin/env bats
# shellcheck disable=SC2154 # stderr: set by helper.bash
# Command line: option parsing, --dry-run, --split, --help, --version, usage
# errors and the set-uid refusal. Semantics are compared with a direct run
# (the kernel); runscript's own behaviour is checked against the documented
# values (exit 125, exact messages).

load helper

# A fixture that leaves a file named "ran" behind when it really runs.
mktoucher() {
	mkscript "$1" '#!/bin/touch ran\n'
}

# --- option parsing ---------------------------------------------------------

@test "option parsing stops at SCRIPT: later -n --help -V -S -- reach the script" {
	mkscript x '#!./p\n'
	kernel_run env -- ./x -n --help -V -S -- --version -x
	capture "$RUNSCRIPT" ./x -n --help -V -S -- --version -x
	like_kernel
}

@test "options after SCRIPT reach the script also when runscript had options" {
	mkscript x '#!./p\n'
	kernel_run env -- ./x --dry-run -n
	capture "$RUNSCRIPT" -S ./x --dry-run -n
	like_kernel
}

@test "-- ends options: a SCRIPT named --help is searched on PATH and run" {
	mkdir bin
	mkscript bin/--help '#!./p\n'
	kernel_run env -- PATH="$PWD/bin" --help a
	want_status 0
	capture env -- PATH="$PWD/bin" "$RUNSCRIPT" -- --help a
	like_kernel
}

@test "-- ends options: a SCRIPT named -n is run, not taken as --dry-run" {
	mkdir bin
	mkscript bin/-n '#!./p\n'
	kernel_run env -- PATH="$PWD/bin" -n -V
	want_status 0
	capture env -- PATH="$PWD/bin" "$RUNSCRIPT" -- -n -V
	like_kernel
}

@test "-- after options ends them: -n -- ./x is a dry run of ./x" {
	mktoucher x
	capture "$RUNSCRIPT" -n -- ./x
	want_status 0
	want_output "/bin/touch ran ./x"
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
	capture "$RUNSCRIPT" -n ./x 'a b'
	short=$output
	want_status 0
	capture "$RUNSCRIPT" --dry-run ./x 'a b'
	want_status 0
	want_output "$short"
	[ -n "$output" ]
}

@test "-n line, eval'd by bash, runs the exact argv the kernel builds (awkward bytes)" {
	mkscript x '#!./p\n'
	touch a1 ab pwned-not # so an unquoted glob would expand
	args=('' ' ' '  a  b  ' $'a\nb' $'\t' $'\r' "it's" "'" '"dq"' '\' '\\n'
		'$HOME' '$(touch pwned)' '`touch pwned`' ';|&<>' '*' 'a?' '[a]*' '~'
		'{a,b}' '!' '#' '-n' '--' $'\xff' $'\xff\xfe' $'\xc3' 'é' '日本'
		$'\x01\x02\x1b\x7f' $'tab\there' 'ok_@%+=:,./-')
	pastes_back ./x "${args[@]}"
	[ ! -e pwned ]
}

@test "-n line of a script without #! shows /bin/sh running it, as execvp does" {
	mkscript x 'exec ./p from-sh "$@"\n'
	pastes_back ./x 'a b' $'c\nd'
}

@test "-n line of a chain of scripts, eval'd, runs what the kernel runs" {
	mkscript y '#!./p -y\n'
	mkscript x '#!./y -x  x\n'
	pastes_back ./x 'a b'
}

@test "-n quotes as documented: bare, single quotes, \$'...' for control bytes" {
	mkscript x '#!./p\n'
	capture "$RUNSCRIPT" -n ./x 'ok_@%+=:,./-' '' 'a b' "it's" \
		'$HOME' '*' $'a\nb' $'\t' $'x\\y\rz' $'\x01' "q'"$'\n'
	want_status 0
	want="./p ./x ok_@%+=:,./- '' 'a b' 'it'\\''s' '\$HOME' '*' \$'a\\nb' \$'\\t' \$'x\\\\y\\rz' \$'\\001' \$'q\\'\\n'"
	want_output "$want"
}

@test "-n runs nothing: a fixture that creates a file leaves no file" {
	mktoucher x
	capture "$RUNSCRIPT" -n ./x
	want_status 0
	[ ! -e ran ]
	# The fixture does create the file when it really runs.
	capture "$RUNSCRIPT" ./x
	want_status 0
	[ -e ran ]
}

# pastes_back_in_sh ARGS...: as pastes_back, with the line run by sh, the
# POSIX shell (dash on Debian), rather than bash.
pastes_back_in_sh() {
	local line
	kernel_run env -- "$@"
	want_status 0
	line=$("$RUNSCRIPT" -n "$@")
	capture sh -c "$line"
	like_kernel
}

@test "-n of a #!/usr/bin/env NAME script, NAME a program: env NAME, argv[0] NAME as the run gives it" {
	mkdir bin
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	capture env PATH="$PWD/bin:$PATH" "$RUNSCRIPT" -n ./x a 'b c'
	want_status 0
	want_output "/usr/bin/env myprog ./x a 'b c'"
	PATH=$PWD/bin:$PATH pastes_back ./x a 'b c' $'d\ne' "it's"
	want_output_has "argv[0]: myprog"
	# dash, Debian's sh, has no $'...' yet: no control bytes for it.
	PATH=$PWD/bin:$PATH pastes_back_in_sh ./x a 'b c' "it's" '$HOME'
	want_output_has "argv[0]: myprog"
}

@test "-n of a #!/usr/bin/env NAME script, NAME a script: its chain, which pastes back as it is" {
	mkdir bin
	mkscript bin/mycmd "#!$PWD/p -o\n"
	mkscript x '#!/usr/bin/env mycmd\n'
	capture env PATH="$PWD/bin:$PATH" "$RUNSCRIPT" -n ./x a
	want_status 0
	want_output "$PWD/p -o $PWD/bin/mycmd ./x a"
	PATH=$PWD/bin:$PATH pastes_back ./x a
	PATH=$PWD/bin:$PATH pastes_back_in_sh ./x a
}

@test "-n -S of a #!/usr/bin/env NAME -u script pastes back as the run of -S" {
	mkdir bin
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog -u\n'
	kernel_run env -- PATH="$PWD/bin:$PATH" "$RUNSCRIPT" -S ./x a
	want_status 0
	line=$(PATH=$PWD/bin:$PATH "$RUNSCRIPT" -n -S ./x a)
	[ "$line" = "/usr/bin/env myprog -u ./x a" ]
	PATH=$PWD/bin:$PATH capture eval "$line"
	like_kernel
	want_output_has "argv[0]: myprog"
}

@test "-n of a program found on PATH: env NAME, argv[0] NAME as execvp gives it" {
	mkdir bin
	cp p bin/myprog
	capture env PATH="$PWD/bin:$PATH" "$RUNSCRIPT" -n myprog a
	want_status 0
	want_output "env myprog a"
	PATH=$PWD/bin:$PATH pastes_back myprog a 'b c'
	want_output_has "argv[0]: myprog"
	PATH=$PWD/bin:$PATH pastes_back_in_sh myprog a
}

@test "-n of a program on PATH whose name starts with a hyphen: env -- NAME" {
	mkdir bin
	cp p bin/-prog
	capture env PATH="$PWD/bin:$PATH" "$RUNSCRIPT" -n -- -prog a
	want_status 0
	want_output "env -- -prog a"
	line=$output
	kernel_run env -- PATH="$PWD/bin:$PATH" -prog a
	want_status 0
	PATH=$PWD/bin:$PATH capture eval "$line"
	like_kernel
	want_output_has "argv[0]: -prog"
}

@test "-n that cannot be written: 125, runscript's write error" {
	[ -w /dev/full ] || skip "no /dev/full here"
	mktoucher x
	capture sh -c '"$1" -n ./x >/dev/full' sh "$RUNSCRIPT"
	want_status 125
	want_stderr "runscript: write error: No space left on device"
	[ ! -e ran ]
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
	want_failure
	local rstatus=$status rerr=$stderr
	capture env -- "${vars[@]}" "$RUNSCRIPT" -n "$@"
	want_status "$rstatus" && want_stderr "$rerr" && want_output ''
}

@test "-n fails exactly as the real run: missing script" {
	dry_run_fails_as_real ./nope
	want_status 127
}

@test "-n fails exactly as the real run: bad (missing) interpreter" {
	mkscript x '#!./nope\n'
	dry_run_fails_as_real ./x
	want_status 127
}

@test "-n fails exactly as the real run: non-executable interpreter" {
	cp p q
	chmod 644 q
	mkscript x '#!./q\n'
	dry_run_fails_as_real ./x
	want_status 126
}

@test "-n fails exactly as the real run: non-executable script" {
	mkfile x 644 '#!./p\n'
	dry_run_fails_as_real ./x
	want_status 126
}

@test "-n fails exactly as the real run: script is a directory" {
	mkdir d
	dry_run_fails_as_real ./d
	want_status 126
}

@test "-n fails exactly as the real run: nested interpreters loop" {
	mkscript x '#!./x\n'
	dry_run_fails_as_real ./x
	want_status 126
}

@test "-n fails exactly as the real run: name not found on PATH" {
	mkdir bin
	dry_run_fails_as_real PATH="$PWD/bin" no-such-command-xyz
	want_status 127
}

# --- --split ------------------------------------------------------------------

@test "without -S the #! argument is one string, as the kernel passes it" {
	mkscript x '#!./p -a  -b\tc\n'
	same_as_kernel ./x arg
}

@test "-S splits the #! argument on runs of blanks into several arguments" {
	mkscript x '#!./p  -a  -b\t\tc \n'
	kernel_run env -- ./p -a -b c ./x 'arg one'
	capture "$RUNSCRIPT" -S ./x 'arg one'
	like_kernel
}

@test "--split is the long form of -S" {
	mkscript x '#!./p -a \t -b\n'
	kernel_run env -- ./p -a -b ./x z
	capture "$RUNSCRIPT" --split ./x z
	like_kernel
}

@test "-S splits the #! argument of every script in the chain" {
	mkscript y '#!./p -c  d\n'
	mkscript x '#!./y -a\tb\n'
	kernel_run env -- ./p -c d ./y -a b ./x z
	capture "$RUNSCRIPT" -S ./x z
	like_kernel
}

@test "-S does not split the script's own arguments" {
	mkscript x '#!./p -a b\n'
	kernel_run env -- ./p -a b ./x 'c d' $'e\tf'
	capture "$RUNSCRIPT" -S ./x 'c d' $'e\tf'
	like_kernel
}

@test "-S with no #! argument changes nothing" {
	mkscript x '#!./p\n'
	kernel_run env -- ./x a
	capture "$RUNSCRIPT" -S ./x a
	like_kernel
}

@test "-n -S prints the split command" {
	mkscript x '#!./p -a  b\n'
	kernel_run env -- ./p -a b ./x
	line=$("$RUNSCRIPT" -n -S ./x)
	capture eval "$line"
	like_kernel
}

# --- --help, --version --------------------------------------------------------

@test "-h prints usage on stdout, exit 0" {
	capture "$RUNSCRIPT" -h
	want_status 0
	want_stderr ''
	printf '%s\n' "$output" | grep -Eq '^[Uu]sage: runscript '
}

@test "--help prints the same usage as -h, naming every option" {
	capture "$RUNSCRIPT" -h
	short=$output
	capture "$RUNSCRIPT" --help
	want_status 0
	want_stderr ''
	want_output "$short"
	for opt in -n --dry-run -S --split -h --help -V --version; do
		printf '%s\n' "$output" | grep -q -e "$opt" || {
			echo "help does not mention $opt"
			return 1
		}
	done
}

@test "-h runs nothing" {
	mktoucher x
	capture "$RUNSCRIPT" -h ./x
	want_status 0
	[ ! -e ran ]
}

# prints_version OPTION: OPTION prints the version in the file VERSION,
# copyright and licence, in the coreutils form, and exits 0.
prints_version() {
	capture "$RUNSCRIPT" "$1"
	want_status 0
	want_output "runscript $(cat "$ROOT/VERSION")
Copyright (C) 2026 The runscript authors.
License ISC: <https://opensource.org/license/isc-license-txt>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law."
	want_stderr ''
}

@test "-V prints 'runscript', the version in the file VERSION, copyright and licence, exit 0" {
	prints_version -V
}

@test "--version prints 'runscript', the version in the file VERSION, copyright and licence, exit 0" {
	prints_version --version
}

# --- usage errors: 125 ------------------------------------------------------

@test "unknown short option: 125, 'invalid option', Try line; nothing runs" {
	mktoucher x
	capture "$RUNSCRIPT" -x ./x
	usage_error "runscript: invalid option -- 'x'"
	[ ! -e ran ]
}

@test "unknown short option among known ones: 125" {
	mktoucher x
	capture "$RUNSCRIPT" -nSk ./x
	usage_error "runscript: invalid option -- 'k'"
	[ ! -e ran ]
}

@test "unknown long option: 125, 'unrecognized option', Try line; nothing runs" {
	mktoucher x
	capture "$RUNSCRIPT" --foo ./x
	usage_error "runscript: unrecognized option '--foo'"
	[ ! -e ran ]
}

@test "no SCRIPT: 125, 'missing SCRIPT operand', Try line" {
	capture "$RUNSCRIPT"
	usage_error "runscript: missing SCRIPT operand"
}

@test "no SCRIPT after options and --: 125, 'missing SCRIPT operand'" {
	capture "$RUNSCRIPT" -n -S --
	usage_error "runscript: missing SCRIPT operand"
}

@test "-T and -C are not options: 125, 'invalid option'" {
	mktoucher x
	capture "$RUNSCRIPT" -T x
	usage_error "runscript: invalid option -- 'T'"
	capture "$RUNSCRIPT" -C x
	usage_error "runscript: invalid option -- 'C'"
	capture "$RUNSCRIPT" -nT ./x
	usage_error "runscript: invalid option -- 'T'"
	[ ! -e ran ]
}

@test "--tree=x and --check=x: 125, \"doesn't allow an argument\"" {
	capture "$RUNSCRIPT" --tree=x ./p
	usage_error "runscript: option '--tree' doesn't allow an argument"
	capture "$RUNSCRIPT" --check=x ./p
	usage_error "runscript: option '--check' doesn't allow an argument"
}

@test "--tree without COMMAND: 125, 'missing COMMAND operand'" {
	capture "$RUNSCRIPT" --tree
	usage_error "runscript: missing COMMAND operand"
	capture "$RUNSCRIPT" --tree -n --
	usage_error "runscript: missing COMMAND operand"
}

@test "--help=x: 125, \"option '--help' doesn't allow an argument\"" {
	capture "$RUNSCRIPT" --help=x
	usage_error "runscript: option '--help' doesn't allow an argument"
}

@test "--dry-run=x: 125, \"option '--dry-run' doesn't allow an argument\"" {
	mktoucher x
	capture "$RUNSCRIPT" --dry-run=x ./x
	usage_error "runscript: option '--dry-run' doesn't allow an argument"
	[ ! -e ran ]
}

@test "a newline in an unknown long option is shown as ^J, on one line: 125" {
	mktoucher x
	capture "$RUNSCRIPT" $'--fo\no' ./x
	usage_error "runscript: unrecognized option '--fo^Jo'"
	[ ! -e ran ]
}

@test "an escape as an unknown short option is shown as ^[: 125" {
	mktoucher x
	capture "$RUNSCRIPT" $'-\x1b' ./x
	usage_error "runscript: invalid option -- '^['"
	[ ! -e ran ]
}

@test "a terminal escape sequence in an unknown long option cannot reach the terminal: ^[, 125" {
	capture "$RUNSCRIPT" $'--\x1b[31mred\r' ./x
	usage_error "runscript: unrecognized option '--^[[31mred^M'"
}

@test "DEL after a known short option is shown as ^?: 125" {
	capture "$RUNSCRIPT" $'-n\x7f' ./x
	usage_error "runscript: invalid option -- '^?'"
}

@test "usage messages say 'runscript', whatever path runscript was run by" {
	mkdir -p bin/sub
	cp "$RUNSCRIPT" bin/sub/other-name
	capture ./bin/sub/other-name -x
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
	capture unprivileged ./sbin/runscript ./x
	want_status 125
	want_output ''
	want_stderr "$REFUSAL"
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
	want_status 0
	capture unprivileged ./sbin/runscript ./x a
	like_kernel
}
