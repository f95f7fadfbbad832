#!/usr/bin/env bats
# shellcheck disable=SC2154 # kstatus, kerr, stderr: set by helper.bash
# The hints of issue 9, word for word as src/diag.c writes them: each
# fixture's status and output come from a direct run (the kernel, and env),
# the message is runscript's own, `runscript: FILE: REASON` and then
# `runscript: FILE: hint: ...` lines. Where a hint names a command to fix
# the file, the command is run and the file then runs.

load helper

# --- a name that PATH lacks but the current directory has ------------------

@test "runscript build.sh, with ./build.sh there and not on PATH: 127, and the hint to write ./build.sh" {
	mkdir bin
	mkscript build.sh '#!./p\n'
	kernel_run env -- PATH="$PWD/bin" build.sh a
	capture env -- PATH="$PWD/bin" "$RUNSCRIPT" build.sh a
	like_kernel
	want_status 127
	want_stderr "runscript: build.sh: command not found
runscript: build.sh: hint: to run the file in the current directory, write ./build.sh"
	# The hint works.
	kernel_run env -- ./build.sh a
	want_status 0
	capture env -- PATH="$PWD/bin" "$RUNSCRIPT" ./build.sh a
	like_kernel
}

@test "the ./NAME hint quotes a name the shell would split" {
	mkdir bin
	mkscript 'my build.sh' '#!./p\n'
	kernel_run env -- PATH="$PWD/bin" 'my build.sh'
	capture env -- PATH="$PWD/bin" "$RUNSCRIPT" 'my build.sh'
	like_kernel
	want_status 127
	want_stderr "runscript: my build.sh: command not found
runscript: my build.sh: hint: to run the file in the current directory, write ./'my build.sh'"
}

@test "a name neither PATH nor the current directory has: 127, no ./NAME hint" {
	mkdir bin
	kernel_run env -- PATH="$PWD/bin" build.sh
	capture env -- PATH="$PWD/bin" "$RUNSCRIPT" build.sh
	like_kernel
	want_status 127
	want_stderr "runscript: build.sh: command not found"
}

# --- #!/usr/bin/env NAME ---------------------------------------------------

@test "#!/usr/bin/env bash with CRLF: 127 as env, names bash^M, DOS line endings hint naming the script" {
	[ -x /usr/bin/env ] || skip "no /usr/bin/env here"
	mkscript x '#!/usr/bin/env bash\r\nexec ./p "$@"\r\n'
	same_as_kernel ./x a
	want_status 127
	want_stderr "runscript: ./x: /usr/bin/env bash^M: command not found
runscript: ./x: hint: the #! line ends in a carriage return (DOS line endings); convert the file with: sed -i 's/\\r\$//' ./x"
	# The hint works.
	hint=$(stderr_line 2)
	eval "${hint#*with: }"
	same_as_kernel ./x a
	want_status 0
}

@test "#!/usr/bin/env NAME -u without -S: 127 as env, env's command not found first, then the -S hint" {
	[ -x /usr/bin/env ] || skip "no /usr/bin/env here"
	mkscript x '#!/usr/bin/env nosuchprog-xyz -u\n'
	same_as_kernel ./x a
	want_status 127
	[ -n "$kerr" ]
	want_stderr "runscript: ./x: /usr/bin/env nosuchprog-xyz -u: command not found
runscript: ./x: hint: /usr/bin/env looks for one command named 'nosuchprog-xyz -u', which is not on PATH; to split it into words, run runscript -S, or write #!/usr/bin/env -S nosuchprog-xyz -u"
	# -n fails the same way, as the real run does.
	capture "$RUNSCRIPT" -n ./x a
	want_status 127
	want_output ''
	want_stderr "runscript: ./x: /usr/bin/env nosuchprog-xyz -u: command not found
runscript: ./x: hint: /usr/bin/env looks for one command named 'nosuchprog-xyz -u', which is not on PATH; to split it into words, run runscript -S, or write #!/usr/bin/env -S nosuchprog-xyz -u"
	# The hint works: the words split, the command runs.
	mkdir bin
	cp p bin/nosuchprog-xyz
	PATH=$PWD/bin:$PATH capture "$RUNSCRIPT" -S ./x a
	want_status 0
	want_output_has "argv[1]: -u"
}

# --- the #! line -----------------------------------------------------------

@test "UTF-8 byte order mark before #!: as the kernel, the warning and the hint to remove it" {
	mkscript x '\xef\xbb\xbf#!./p\n./p by-sh "$@"\n'
	same_as_kernel ./x a
	want_stderr "runscript: ./x: warning: a UTF-8 byte order mark precedes '#!', so the #! line is ignored and /bin/sh runs it
runscript: ./x: hint: remove the mark with: sed -i '1s/^\\xEF\\xBB\\xBF//' ./x
$kerr"
	# The hint works: the #! line is then the kernel's.
	hint=$(stderr_line 2)
	eval "${hint#*with: }"
	[ "$(head -c 2 x)" = '#!' ]
	same_as_kernel ./x a
	want_stderr ''
	want_output_has "argv[1]: ./x"
}

@test "#!nosuchinterp-xyz (a relative interpreter): 127 as the kernel, the hint to write an absolute path or env" {
	mkscript x '#!nosuchinterp-xyz\n'
	same_as_kernel ./x a
	want_status 127
	want_stderr "runscript: ./x: bad interpreter 'nosuchinterp-xyz': No such file or directory
runscript: ./x: hint: the kernel looks for 'nosuchinterp-xyz' in the current directory, not on PATH; write its absolute path, or #!/usr/bin/env nosuchinterp-xyz"
}

@test "#!sh, a name on PATH but not in the current directory: 127 as the kernel, the same hint" {
	mkscript x '#!sh\n'
	same_as_kernel ./x a
	want_status 127
	want_stderr "runscript: ./x: bad interpreter 'sh': No such file or directory
runscript: ./x: hint: the kernel looks for 'sh' in the current directory, not on PATH; write its absolute path, or #!/usr/bin/env sh"
}

# --- an ELF program whose loader is missing --------------------------------

# noloader NAME: a copy of a dynamically linked test program, its PT_INTERP
# loader renamed to one that does not exist, of the same length; or skip.
LOADER=/lib64/ld-linux-x86-64.so.2
MISSING=/lib64/ld-nowhr-x86-64.so.2
noloader() {
	local prog=$ROOT/tests/bin/race-sys
	[ -x "$prog" ] || skip "no $prog (make test builds it)"
	grep -qaF "$LOADER" "$prog" ||
		skip "$prog does not name $LOADER (not x86-64 glibc)"
	[ ! -e "$MISSING" ]
	sed "s|$LOADER|$MISSING|g" "$prog" >"$1"
	chmod 755 "$1"
	grep -qaF "$MISSING" "$1"
}

@test "an ELF program whose loader is missing: 127 as the kernel, the message names the loader" {
	noloader prog
	same_as_kernel ./prog a
	want_status 127
	want_stderr "runscript: ./prog: ELF interpreter '$MISSING': No such file or directory"
}

@test "a script whose interpreter's loader is missing: 127 as the kernel, the message names the loader" {
	noloader prog
	mkscript x '#!./prog\n'
	same_as_kernel ./x a
	want_status 127
	first_line_is "runscript: ./prog: ELF interpreter '$MISSING': No such file or directory"
}

# --- a chmod that cannot work is never proposed ----------------------------

@test "#!/proc/version: 126 as the kernel, and no chmod +x, which cannot help on /proc" {
	[ -r /proc/version ] || skip "no /proc/version here"
	mkscript x '#!/proc/version\n'
	same_as_kernel ./x
	want_status 126
	want_stderr "runscript: ./x: bad interpreter '/proc/version': Permission denied
runscript: /proc/version: hint: the kernel executes no file on /proc or /sys, whatever its mode"
}

@test "an interpreter on /sys: no chmod +x either" {
	local f=/sys/kernel/mm/transparent_hugepage/enabled
	[ -r "$f" ] || f=$(find /sys/kernel -maxdepth 1 -type f -perm -u=r ! -perm /111 | head -n 1)
	[ -n "$f" ] && [ -r "$f" ] || skip "no readable file on /sys here"
	mkscript x "#!$f\n"
	same_as_kernel ./x
	want_status 126
	want_stderr "runscript: ./x: bad interpreter '$f': Permission denied
runscript: $f: hint: the kernel executes no file on /proc or /sys, whatever its mode"
}

# --- one write per line ----------------------------------------------------

@test "a failure and its hint reach standard error in one write per line" {
	mkscript x '#!nosuchinterp-xyz\n'
	whole_line_writes 2 "$RUNSCRIPT" ./x a
	[ "$writes" = 2 ]
	[ "$(sed -n 1p fd.out)" = "runscript: ./x: bad interpreter 'nosuchinterp-xyz': No such file or directory" ]
	[[ $(sed -n 2p fd.out) == "runscript: ./x: hint: "* ]]
}

@test "a usage error reaches standard error in one write per line" {
	whole_line_writes 2 "$RUNSCRIPT" --no-such-option
	[ "$writes" = 2 ]
	[ "$(cat fd.out)" = "runscript: unrecognized option '--no-such-option'
$TRY" ]
}

@test "a very long name is cut with [...], the line still whole and written once" {
	local comp d=.
	printf -v comp '%0200d' 0
	for _ in 1 2 3 4 5 6 7; do
		d=$d/$comp
	done
	mkdir -p "$d"
	mkscript "$d/x" '#!/nonexistent/interp\n'
	kernel_run env -- "$d/x"
	capture "$RUNSCRIPT" "$d/x"
	like_kernel
	want_status 127
	whole_line_writes 2 "$RUNSCRIPT" "$d/x"
	[ "$writes" = 1 ]
	line=$(cat fd.out)
	# The name is cut, the rest of the message kept, and the line bounded.
	[[ $line == "runscript: ./0000"*"[...]: bad interpreter '/nonexistent/interp': No such file or directory" ]]
	[ "${#line}" -lt 4096 ]
	[[ $line != *"/x:"* ]]
}
