#!/usr/bin/env bats
# shellcheck disable=SC2154 # status, output, stderr, kstatus: helper.bash
# runscript --check: lints scripts without running them. Its verdicts are
# held to the kernel: a file it passes runs when exec'd directly, a file it
# reports an error for fails, or runs otherwise than written, when exec'd
# directly; and each finding says what a run of runscript says of the same
# file, in the layout compilers use: FILE:1: SEVERITY: MESSAGE.

load helper

teardown() {
	umount_noexec
}

# check FILE...: runscript --check FILE..., captured.
check() {
	capture "$RUNSCRIPT" --check "$@"
}

# clean FILE...: --check reports nothing and exits 0, and each FILE runs
# directly, as the kernel execs it.
clean() {
	local f
	check "$@"
	want_status 0
	want_output ''
	want_stderr ''
	for f in "$@"; do
		kernel_run env -- "$f"
		if [ "$kstatus" != 0 ]; then
			printf '%s passed --check, but a direct exec gives status %s:\n%s\n' \
				"$f" "$kstatus" "$kerr"
			return 1
		fi
	done
}

# finds FILE SEVERITY TEXT: --check FILE exits 1 (0 for a warning) and
# reports, on one of its lines, FILE:1: SEVERITY: TEXT.
finds() {
	check "$1"
	[ "$2" = error ] && want_status 1 || want_status 0
	want_output ''
	want_stderr_has "$1:1: $2: $3"
}

# directly_fails FILE: exec'd directly by execve(2) itself (execvp and
# shells would try /bin/sh on ENOEXEC), FILE does not run as written: the
# exec fails, or the program it names fails.
directly_fails() {
	kernel_run "$ROOT/tests/bin/launch" execve "$1"
	if [ "$kstatus" = 0 ]; then
		printf '%s ran directly (status 0):\n%s\n' "$1" "$kout"
		return 1
	fi
}

# same_words FILE: each error of --check FILE reads as the line a run of
# runscript FILE writes for it, past the prefix.
same_words() {
	local line
	check "$1"
	local findings=$stderr
	capture "$RUNSCRIPT" "$1"
	while IFS= read -r line; do
		case $line in
		"$1:1: error: "*)
			want_stderr_has "runscript: $1: ${line#"$1:1: error: "}" || return 1
			;;
		esac
	done <<<"$findings"
}

# --- clean ------------------------------------------------------------------------

@test "clean scripts: nothing reported, exit 0, and each runs directly" {
	mkscript sh.sh '#!/bin/sh\nexit 0\n'
	mkscript arg.sh '#!/bin/sh -e\nexit 0\n'
	mkscript env.sh '#!/usr/bin/env sh\nexit 0\n'
	mkscript y "#!$PWD/p\n"
	mkscript chain "#!$PWD/y\n"
	clean ./sh.sh ./arg.sh ./env.sh ./chain ./p
}

@test "--check runs nothing" {
	mkscript x '#!/bin/touch ran\n'
	clean ./x
	rm -f ran
	check ./x
	[ ! -e ran ]
}

@test "-q: nothing on output or error, the status only" {
	mkscript x '#!/nonexistent/interp\n'
	capture "$RUNSCRIPT" --check -q ./x
	want_status 1
	want_output ''
	want_stderr ''
	capture "$RUNSCRIPT" --check --quiet ./p
	want_status 0
	want_stderr ''
}

# --- errors, each one the kernel bears out --------------------------------------------

@test "a missing interpreter: error, as a run says it" {
	mkscript x '#!/nonexistent/interp\n'
	directly_fails ./x
	finds ./x error "bad interpreter '/nonexistent/interp': No such file or directory"
	same_words ./x
}

@test "a non-executable interpreter: error, as a run says it, with the chmod note" {
	cp p q
	chmod 644 q
	mkscript x "#!$PWD/q\n"
	directly_fails ./x
	finds ./x error "bad interpreter '$PWD/q': Permission denied"
	want_stderr_has "$PWD/q:1: note: it is not executable; make it so with: chmod +x $PWD/q"
	same_words ./x
}

@test "an interpreter that is a directory: error" {
	mkdir d
	mkscript x "#!$PWD/d\n"
	directly_fails ./x
	finds ./x error "bad interpreter '$PWD/d': Permission denied"
	want_stderr_has "$PWD/d:1: note: it is a directory"
}

@test "a carriage return ending the #! line: error, with the fix" {
	mkscript x '#!/bin/sh\r\nexit 0\n'
	directly_fails ./x
	finds ./x error "the #! line ends in a carriage return (DOS line endings); convert the file with: sed -i 's/\\r\$//' ./x"
}

@test "a carriage return after the argument, the interpreter found: still an error" {
	mkscript x '#!/bin/sh -e\r\nexit 0\n'
	directly_fails ./x
	finds ./x error "the #! line ends in a carriage return"
}

@test "a byte order mark before #!: error, with the fix" {
	mkscript x '\xef\xbb\xbf#!/bin/bash\necho $BASH_VERSION\n'
	kernel_run env -- ./x
	# Run directly, /bin/sh runs it, not the bash its author named.
	[ "$kout" != "$(bash -c 'echo $BASH_VERSION')" ]
	finds ./x error "a UTF-8 byte order mark precedes '#!', so the #! line is ignored and /bin/sh runs it"
	want_stderr_has "./x:1: note: remove the mark with: sed -i '1s/^\\xEF\\xBB\\xBF//' ./x"
}

@test "a #! line past the kernel's 256 bytes: error; the kernel cuts the argument short" {
	local arg
	printf -v arg '%0300d' 0
	mkscript x "#!$PWD/p $arg\n"
	kernel_run env -- ./x
	# The direct run's argument is shorter than the line's.
	[[ $kout != *"$arg"* ]]
	finds ./x error "the #! line is longer than the kernel's 256 bytes, which cut its argument short"
}

@test "an interpreter name past the kernel's 256 bytes: error; a direct exec fails" {
	local name dir
	printf -v name '%0100d' 0
	dir=$PWD/$name/$name/$name
	mkdir -p "$dir"
	cp p "$dir/p"
	mkscript x "#!$dir/p\n"
	directly_fails ./x
	finds ./x error "the #! line is longer than the kernel's 256 bytes, which cut its interpreter short: a direct exec fails (ENOEXEC)"
}

@test "env given several words without -S: error; env looks for one command" {
	mkscript x '#!/usr/bin/env nosuchprog-xyz -u\n'
	directly_fails ./x
	finds ./x error "/usr/bin/env will look for one command named 'nosuchprog-xyz -u', which is not on PATH; to split it into words, run runscript -S, or write #!/usr/bin/env -S nosuchprog-xyz -u"
	# With -S, as runscript -S would run it, the words are split.
	mkdir bin
	cp p bin/nosuchprog-xyz
	PATH=$PWD/bin:$PATH capture "$RUNSCRIPT" --check -S ./x
	want_status 0
	want_stderr ''
}

@test "env's command not on PATH: error, as a run says it" {
	mkscript x '#!/usr/bin/env nosuchprog-xyz\n'
	directly_fails ./x
	finds ./x error "/usr/bin/env nosuchprog-xyz: command not found"
	same_words ./x
}

@test "env's command found on PATH, its own interpreter missing: error at the command, as a run says it" {
	mkdir bin
	mkscript bin/badcmd '#!/nonexistent/interp\n'
	mkscript x '#!/usr/bin/env badcmd\n'
	PATH=$PWD/bin:$PATH directly_fails ./x
	PATH=$PWD/bin:$PATH check ./x
	want_status 1
	want_stderr_has "$PWD/bin/badcmd:1: error: bad interpreter '/nonexistent/interp': No such file or directory"
	want_stderr_has "./x:1: note: its #! line runs badcmd through /usr/bin/env"
}

@test "env given an assignment and a command: not taken for one command name" {
	mkscript x '#!/usr/bin/env X=1 sh\n'
	check ./x
	[[ $stderr != *"will look for one command"* ]]
}

@test "interpreters nested deeper than the kernel allows: error" {
	mkscript x '#!./x\n'
	directly_fails ./x
	finds ./x error "too many levels of nested interpreters"
	same_words ./x
}

@test "a #! line that names no interpreter: error; a direct exec fails" {
	mkscript x '#!  \nexit 0\n'
	directly_fails ./x
	[ "$kout" = "launch: execve: errno=ENOEXEC" ]
	finds ./x error "the #! line names no interpreter: a direct exec fails (ENOEXEC)"
}

@test "the file itself not executable: error, with the chmod note; its line still checked" {
	mkfile x 644 '#!/bin/sh\r\n'
	directly_fails ./x
	finds ./x error "Permission denied"
	want_stderr_has "./x:1: note: it is not executable; make it so with: chmod +x ./x"
	want_stderr_has "./x:1: error: the #! line ends in a carriage return"
}

@test "a script on a noexec mount: error, with the noexec note, not chmod" {
	noexec_mnt
	mkscript mnt/x '#!/bin/sh\n'
	directly_fails ./mnt/x
	finds ./mnt/x error "Permission denied"
	want_stderr_has "./mnt/x:1: note: its file system is mounted noexec"
	[[ $stderr != *chmod* ]]
}

@test "an error in a later script of a chain is reported at that script" {
	mkscript y '#!/nonexistent/interp\n'
	mkscript x "#!$PWD/y\n"
	directly_fails ./x
	check ./x
	want_status 1
	want_stderr_has "$PWD/y:1: error: bad interpreter '/nonexistent/interp': No such file or directory"
}

# --- warnings -------------------------------------------------------------------

@test "a relative interpreter: a warning, exit 0; it runs only from here" {
	mkscript x '#!./p\n'
	finds ./x warning "the kernel looks for './p' from the current directory, not the script's; write its absolute path"
	mkdir elsewhere
	kernel_run sh -c 'cd elsewhere && exec ../x'
	[ "$kstatus" = 127 ]
}

# --- runscript's own failures ----------------------------------------------------

@test "a FILE that does not exist: 127, runscript's own message" {
	check ./nope
	want_status 127
	want_stderr "runscript: ./nope: No such file or directory"
}

@test "a FILE that cannot be read: 126, runscript's own message" {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot make a file nobody reads"
	open_for_nobody
	mkfile x 711 '#!/bin/sh\n'
	capture unprivileged "$RUNSCRIPT" --check ./x
	want_status 126
	want_stderr "runscript: ./x: Permission denied"
}

@test "several files: each reported, the worst status wins" {
	mkscript ok '#!/bin/sh\n'
	mkscript bad '#!/nonexistent/interp\n'
	check ./ok ./bad
	want_status 1
	want_stderr_has "./bad:1: error: bad interpreter"
	check ./ok ./bad ./nope
	want_status 127
}

@test "usage: --check needs a FILE, takes no -n or --tree; -q goes with --check" {
	capture "$RUNSCRIPT" --check
	usage_error "runscript: missing FILE operand"
	capture "$RUNSCRIPT" --check -n ./p
	usage_error "runscript: option '--check' runs nothing: it takes no -n or --tree"
	capture "$RUNSCRIPT" -q ./p
	usage_error "runscript: option '-q' goes with --check only"
}
