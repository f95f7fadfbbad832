#!/usr/bin/env bats
# Shebang semantics: every case runs the same fixture directly (the kernel
# decides) and through runscript, and compares what ./p receives and the
# exit status. Only the deliberate differences (-S, lines longer than the
# kernel's 256-byte buffer) have explicit expectations, and those tests also
# check that the kernel really does differ.

# helper.bash sets $stderr; each test runs in its own process, so exporting
# PATH is local to it; '$HOME' and the like are meant literally.
# shellcheck disable=SC2154,SC2030,SC2031,SC2016

load helper

# expect_runscript EXPECTED ARGS...: runscript ARGS must print EXPECTED on
# stdout and exit 0: for what the kernel cannot be asked.
expect_runscript() {
	local expected=$1
	shift
	capture "$RUNSCRIPT" "$@"
	want_status 0 && want_output "$expected"
}

# kernel_differs EXPECTED ARGS...: a direct run of ARGS does not print
# EXPECTED, so the test documents a deliberate difference from the kernel.
kernel_differs() {
	local expected=$1
	shift
	kernel_run env -- "$@"
	if [ "$output" = "$expected" ]; then
		printf 'the kernel now gives the same as runscript for %s\n' "$*"
		show_run 'direct (env)'
		return 1
	fi
}

SH_BODY='exec ./p from-sh "$@"\n'

# --- only space and tab are blanks -----------------------------------------

@test "a carriage return after the interpreter is part of its name (not found, 127)" {
	mkscript x '#!./p\r\n'
	same_as_kernel ./x A
	want_status 127
}

@test "a carriage return ending the argument is passed as part of it" {
	mkscript x '#!./p -x\r\n'
	same_as_kernel ./x A
	want_status 0
	want_output_has 'argv[1]: -x\x0d'
}

@test "vertical tab and form feed do not separate the interpreter from the argument" {
	mkscript x '#!./p\v-x\n'
	same_as_kernel ./x A
	want_status 127
	mkscript y '#!./p\f-x\n'
	same_as_kernel ./y A
	want_status 127
}

@test "vertical tab and form feed at the ends of the argument are kept" {
	mkscript x '#!./p \f-x\v\n'
	same_as_kernel ./x A
	want_status 0
	want_output_has 'argv[1]: \x0c-x\x0b'
}

@test "tabs separate like spaces, before and after the interpreter" {
	mkscript x '#!\t./p\t-x\n'
	same_as_kernel ./x A
	want_output_has 'argv[1]: -x'
	mkscript y '#! \t ./p \t -x\t \n'
	same_as_kernel ./y A
	want_output_has 'argv[1]: -x'
}

# --- the optional argument is one string -----------------------------------

@test "the argument is one string: leading and trailing blanks trimmed, inner blanks kept" {
	mkscript x '#!./p  \t a \t b  c \t \n'
	same_as_kernel ./x A 'B C'
	want_output_has 'argv[1]: a\x20\x09\x20b\x20\x20c'
}

@test "several words after the interpreter stay one argument" {
	mkscript x '#!./p -a -b --c=d\n'
	same_as_kernel ./x A
	want_output_has 'argc: 4'
}

@test "an interpreter followed only by blanks and a newline gets no argument" {
	mkscript x '#!./p\n'
	same_as_kernel ./x A
	want_output_has 'argc: 3'
	mkscript y '#!./p \t \n'
	same_as_kernel ./y A
	want_output_has 'argc: 3'
}

@test "shell and quoting bytes in the argument pass unchanged" {
	mkscript x "#!./p '\"a b\"' \\\\\$HOME * ; | \`x\`\n"
	same_as_kernel ./x A
	want_status 0
}

@test "bytes 0x80-0xff in the argument and the interpreter name pass unchanged" {
	mkscript x '#!./p \xff\xfe\xc3\x28\n'
	same_as_kernel ./x A
	want_output_has 'argv[1]: \xff\xfe\xc3('
	mkscript y '#!./p\xff\n'
	same_as_kernel ./y A
	want_status 127
}

# --- NUL and the end of the file -------------------------------------------

@test "a NUL before the newline takes the no-newline path: trailing blanks kept" {
	mkscript x '#!./p a b \t\0 c\n'"$SH_BODY"
	same_as_kernel ./x A
	want_output_has 'argv[1]: a\x20b\x20\x09'
}

@test "a NUL right after the interpreter and a blank gives an empty argument" {
	mkscript x '#!./p \0\n'"$SH_BODY"
	same_as_kernel ./x A
	want_output_has 'argc: 4'
}

@test "a NUL right after the interpreter gives no argument" {
	mkscript x '#!./p\0 -x\n'"$SH_BODY"
	same_as_kernel ./x A
	want_output_has 'argc: 3'
}

@test "a NUL where the interpreter would be is the same as #! at end of file" {
	mkscript x '#!\0\n'"$SH_BODY"
	same_as_kernel ./x A
	mkscript y '#! \t\0\n'"$SH_BODY"
	same_as_kernel ./y A
	want_status 126
}

@test "without a newline at end of file, trailing blanks of the argument are kept" {
	mkscript x '#!./p a \t '
	same_as_kernel ./x A
	want_output_has 'argv[1]: a\x20\x09\x20'
}

@test "without a newline at end of file, one blank after the interpreter passes an empty argument" {
	mkscript x '#!./p '
	same_as_kernel ./x A
	want_output_has 'argc: 4'
	mkscript y '#!./p \t'
	same_as_kernel ./y A
	want_output_has 'argc: 4'
}

@test "without a newline at end of file, a bare interpreter gets no argument" {
	mkscript x '#!./p'
	same_as_kernel ./x A
	want_output_has 'argc: 3'
}

# --- #! with no interpreter ------------------------------------------------

@test "#! and a newline is ENOEXEC: /bin/sh runs the script" {
	mkscript x '#!\n'"$SH_BODY"
	same_as_kernel ./x A 'B C'
	want_output_has 'argv[1]: from-sh'
}

@test "#! with only blanks before the newline is ENOEXEC: /bin/sh runs the script" {
	mkscript x '#! \t  \n'"$SH_BODY"
	same_as_kernel ./x A ''
	want_output_has 'argv[1]: from-sh'
}

@test "#! at end of file is EACCES (126)" {
	mkscript x '#!'
	same_as_kernel ./x A
	want_status 126
}

@test "#! and blanks at end of file is EACCES (126)" {
	mkscript x '#!  \t'
	same_as_kernel ./x A
	want_status 126
}

# --- the interpreter's argv --------------------------------------------------

@test "the interpreter gets SCRIPT exactly as given: ./x, .//x, sub/../x, an absolute path" {
	mkdir sub
	mkscript x '#!./p -o\n'
	same_as_kernel ./x A
	same_as_kernel .//x A
	same_as_kernel sub/../x A
	same_as_kernel "$PWD/x" A
	want_output_has "argv[2]: $PWD/x"
}

@test "the interpreter gets the path the PATH search built for a SCRIPT without a slash" {
	mkdir bin
	mkscript bin/x '#!./p -o\n'
	export PATH="$PWD/nothing-here:$PWD/bin:$PATH"
	same_as_kernel x A
	want_output_has "argv[2]: $PWD/bin/x"
}

@test "the interpreter's argv[0] is its name as written on the #! line" {
	mkscript x '#!.//p\n'
	same_as_kernel ./x
	want_output_has 'argv[0]: .//p'
	mkscript y "#!$PWD/p\n"
	same_as_kernel ./y
	want_output_has "argv[0]: $PWD/p"
}

@test "every byte of every ARG passes unchanged after SCRIPT" {
	mkscript x '#!./p\n'
	same_as_kernel ./x '' ' ' $'a\nb' '*' '$HOME' $'\xff\x01' -- -x
	want_output_has 'argc: 10'
}

# --- where the interpreter is looked up ------------------------------------

@test "an interpreter without a slash is relative to the current directory" {
	mkscript x '#!p -o\n'
	same_as_kernel ./x A
	want_output_has 'argv[0]: p'
}

@test "an interpreter without a slash is not searched on PATH (127)" {
	mkdir bin
	cp p bin/argv-only-on-path
	export PATH="$PWD/bin:$PATH"
	mkscript x '#!argv-only-on-path\n'
	same_as_kernel ./x A
	want_status 127
}

@test "a relative interpreter is relative to the current directory, not to the script's" {
	mkdir sub elsewhere
	mkscript sub/x '#!./p -o\n'
	# A decoy beside the script: found only by resolving against sub/.
	mkscript sub/p '#!/bin/sh\necho decoy-in-script-dir\n'
	same_as_kernel sub/x A
	want_output_has 'argv[0]: ./p'
	cd elsewhere
	same_as_kernel ../sub/x A
	want_status 127
}

# --- nested interpreters ---------------------------------------------------

@test "chains of 1 to 7 nested interpreters run or fail as the kernel does" {
	local n seen_ok=0 seen_fail=0
	mkchain ./p 7
	for n in 1 2 3 4 5 6 7; do
		same_as_kernel "./c$n" A || {
			echo "chain of $n scripts differs"
			return 1
		}
		if [ "$status" = 0 ]; then seen_ok=1; else seen_fail=1; fi
	done
	# Both outcomes occur, so the kernel's limit lies inside the range tested.
	[ "$seen_ok" = 1 ] && [ "$seen_fail" = 1 ]
}

@test "a chain one level too deep says too many levels of nested interpreters" {
	local n
	mkchain ./p 7
	for n in 1 2 3 4 5 6 7; do
		capture env -- "./c$n"
		[ "$status" = 0 ] || break
	done
	want_failure
	same_as_kernel "./c$n" A
	want_stderr_has 'nested interpreters'
}

@test "a chain over a missing interpreter fails as the kernel does at every depth from 1 to 7" {
	local n
	mkchain ./missing 7
	for n in 1 2 3 4 5 6 7; do
		same_as_kernel "./c$n" A || {
			echo "chain of $n scripts over a missing interpreter differs"
			return 1
		}
		# Where the kernel says ENOENT, runscript names the missing one.
		if [ "$status" = 127 ] && [[ $stderr != *"'./missing'"* ]]; then
			echo "chain of $n: the message does not name ./missing: $stderr"
			return 1
		fi
	done
}

@test "a script that is its own interpreter fails as the kernel does, naming nested interpreters" {
	mkscript self '#!./self\n'
	same_as_kernel ./self A
	want_status 126
	want_stderr_has interpreter
}

@test "two scripts naming each other as interpreter fail as the kernel does" {
	mkscript a '#!./b -a\n'
	mkscript b '#!./a -b\n'
	same_as_kernel ./a A
	want_status 126
	want_stderr_has interpreter
}

@test "an interpreter that is a text file without #! is ENOEXEC: /bin/sh runs the SCRIPT" {
	mkscript text 'echo text-ran-instead\n'
	mkscript x '#!./text -o\n'"$SH_BODY"
	same_as_kernel ./x A 'B C'
	want_output_has 'argv[1]: from-sh'
}

@test "ENOEXEC two levels down: /bin/sh runs the SCRIPT named on the command line" {
	mkscript text 'echo text-ran-instead\n'
	mkscript y '#!./text -y\nexec ./p from-sh-y "$@"\n'
	mkscript x '#!./y -x\n'"$SH_BODY"
	same_as_kernel ./x A
	want_output_has 'argv[1]: from-sh'
}

@test "an empty file as interpreter is ENOEXEC at the nested level" {
	mkscript empty ''
	mkscript x '#!./empty\n'"$SH_BODY"
	same_as_kernel ./x A
}

# --- binaries --------------------------------------------------------------

@test "a binary SCRIPT is exec'd directly with argv[0] as given" {
	same_as_kernel ./p A 'B C'
	want_output_has 'argv[0]: ./p'
	same_as_kernel "$PWD/p" A
	want_output_has "argv[0]: $PWD/p"
	mkdir bin
	cp p bin/pp
	export PATH="$PWD/bin:$PATH"
	same_as_kernel pp A
	want_output_has 'argv[0]: pp'
}

@test "a binary interpreter given by absolute path runs with the script's arguments" {
	mkscript x "#!$ARGV -o\n"
	same_as_kernel ./x A
	want_output_has "argv[0]: $ARGV"
}

# --- -S (not a kernel feature: explicit expectations) ----------------------

@test "without -S the argument '-a  -b<TAB>-c' is one string, as the kernel passes it" {
	mkscript x '#!./p -a  -b\t-c\n'
	same_as_kernel ./x A
	want_output_has 'argv[1]: -a\x20\x20-b\x09-c'
}

@test "-S splits the argument on runs of spaces and tabs" {
	mkscript x '#!./p -a  -b\t-c\n'
	expect_runscript "$(./p -a -b -c ./x A)" -S ./x A
	expect_runscript "$(./p -a -b -c ./x A)" --split ./x A
}

@test "-S drops empty fields and leaves a word without blanks alone" {
	mkscript x '#!./p \t -a \t \n'
	expect_runscript "$(./p -a ./x A)" -S ./x A
	mkscript y '#!./p\n'
	expect_runscript "$(./p ./y A)" -S ./y A
}

@test "-S does not split on CR, VT or FF and does not interpret quotes" {
	mkscript x $'#!./p \'a b\'\r\vc\fd "e f"\n'
	expect_runscript "$(./p "'a" $'b\'\r\vc\fd' '"e' 'f"' ./x A)" -S ./x A
}

@test "-S splits the argument of every script in a chain" {
	mkscript y '#!./p -a -b\n'
	mkscript x '#!./y -c  -d\n'
	expect_runscript "$(./p -a -b ./y -c -d ./x A)" -S ./x A
	same_as_kernel ./x A
	want_output_has 'argv[1]: -a\x20-b'
}

# --- lines longer than the kernel's buffer (deliberate difference) --------

# long_arg N: a printable argument of N bytes with inner blanks.
long_arg() {
	local n=$1 s=''
	while [ "${#s}" -lt "$n" ]; do s+='-long arg'; done
	printf '%s' "${s:0:n}"
}

@test "a #! line of 300 bytes passes its whole argument, where the kernel truncates it" {
	local arg
	arg=$(long_arg 293)
	printf '#!./p %s\n%b' "$arg" "$SH_BODY" >x
	chmod 755 x
	[ "$(head -n 1 x | wc -c)" = 300 ]
	expect_runscript "$(./p "$arg" ./x A)" ./x A
	kernel_differs "$(./p "$arg" ./x A)" ./x A
}

@test "a #! line of 4096 bytes passes its whole argument, where the kernel truncates it" {
	local arg
	arg=$(long_arg 4089)
	printf '#!./p %s\n%b' "$arg" "$SH_BODY" >x
	chmod 755 x
	[ "$(head -n 1 x | wc -c)" = 4096 ]
	expect_runscript "$(./p "$arg" ./x A)" ./x A
	kernel_differs "$(./p "$arg" ./x A)" ./x A
}

@test "an interpreter path longer than 256 bytes works, where the kernel gives up" {
	local d=. i interp
	for i in 1 2 3 4 5 6; do
		d+=/directory-name-of-about-fifty-bytes-to-make-a-long-path-$i
	done
	mkdir -p "$d"
	cp p "$d/p"
	interp=$d/p
	[ "${#interp}" -gt 256 ]
	printf '#!%s -o\n%b' "$interp" "$SH_BODY" >x
	chmod 755 x
	expect_runscript "$("$interp" -o ./x A)" ./x A
	kernel_differs "$("$interp" -o ./x A)" ./x A
}

# The other side of the boundary: 8191 bytes end within the limit, at the
# end of the file.
@test "a #! line of exactly 8191 bytes without a newline runs, its whole argument passed, where the kernel truncates it" {
	local arg
	arg=$(long_arg 8185)
	printf '#!./p %s' "$arg" >x
	chmod 755 x
	[ "$(wc -c <x)" = 8191 ]
	expect_runscript "$(./p "$arg" ./x A)" ./x A
	kernel_differs "$(./p "$arg" ./x A)" ./x A
}

@test "a #! line of 8192 bytes without a newline fails with 126, 'longer than'" {
	printf '#!./p %s' "$(long_arg 8186)" >x
	chmod 755 x
	[ "$(wc -c <x)" = 8192 ]
	capture "$RUNSCRIPT" ./x A
	want_status 126
	want_output ''
	want_stderr_has 'longer than'
}

@test "a #! line of 10000 bytes before its newline fails with 126, 'longer than'" {
	printf '#!./p %s\n%b' "$(long_arg 9993)" "$SH_BODY" >x
	chmod 755 x
	capture "$RUNSCRIPT" ./x A
	want_status 126
	want_output ''
	want_stderr_has 'longer than'
	capture "$RUNSCRIPT" -n ./x A
	want_status 126
	want_stderr_has 'longer than'
}
