#!/usr/bin/env bats
# shellcheck disable=SC2154 # status, output, stderr, kstatus: helper.bash
# runscript --check: lints scripts without running them. Its verdicts are
# held to the kernel: a file it passes runs when exec'd directly, a file it
# reports an error for fails, or runs otherwise than written, when exec'd
# directly; and each finding says what a run of runscript says of the same
# file, in the layout compilers use: FILE:1: SEVERITY: MESSAGE, on standard
# output, standard error staying empty. The status is 1 when an error is
# found, whatever else is, and 0 otherwise.

load helper

teardown() {
	umount_mnt
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

# finds STATUS FILE SEVERITY TEXT: --check FILE exits with STATUS and
# reports, on one of its lines of standard output, FILE:1: SEVERITY: TEXT,
# with nothing on standard error.
finds() {
	check "$2"
	want_status "$1"
	want_stderr ''
	want_output_has "$2:1: $3: $4"
}

# no_errors: the last --check reported no line of severity error.
no_errors() {
	[[ $output != *": error: "* ]] && return 0
	echo 'want no error line'
	show_run got
	return 1
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

# same_words FILE [SEVERITY]: each finding of --check FILE of SEVERITY
# (error when not given) reads as the line a run of runscript FILE writes
# for it, past the prefix, and so does each note as a hint of the run.
same_words() {
	local line severity=${2:-error}
	check "$1"
	local findings=$output
	capture "$RUNSCRIPT" "$1"
	while IFS= read -r line; do
		case $line in
		*":1: $severity: "*)
			want_stderr_has "runscript: ${line%%:1: "$severity": *}: ${line#*:1: "$severity": }" || return 1
			;;
		*:1:\ note:\ *)
			want_stderr_has "runscript: ${line%%:1: note: *}: hint: ${line#*:1: note: }" || return 1
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
	want_output ''
	want_stderr ''
}

@test "findings go to standard output, each line in one write of its own" {
	mkscript x '#!/nonexistent/interp\n'
	mkfile y 644 '#!/bin/sh\r\n'
	whole_line_writes 1 "$RUNSCRIPT" --check ./x ./y ./nope
	[ "$writes" -ge 4 ]
	grep -qx "./x:1: error: bad interpreter '/nonexistent/interp': No such file or directory" fd.out
	grep -qx "./nope:1: error: No such file or directory" fd.out
	[ ! -s stderr.out ]
}

@test "findings that cannot be written: 125, runscript's write error" {
	[ -w /dev/full ] || skip "no /dev/full here"
	mkscript x '#!/nonexistent/interp\n'
	capture "$RUNSCRIPT" --check ./x
	want_status 1
	capture sh -c '"$1" --check ./x >/dev/full' sh "$RUNSCRIPT"
	want_status 125
	want_stderr "runscript: write error: No space left on device"
	# Nothing found, nothing written: no write error either.
	capture sh -c '"$1" --check ./p >/dev/full' sh "$RUNSCRIPT"
	want_status 0
	want_stderr ''
}

# --- errors, each one the kernel bears out --------------------------------------------

@test "a missing interpreter: error, as a run says it" {
	mkscript x '#!/nonexistent/interp\n'
	directly_fails ./x
	finds 1 ./x error "bad interpreter '/nonexistent/interp': No such file or directory"
	same_words ./x
}

@test "a non-executable interpreter: error, as a run says it, with the chmod note" {
	cp p q
	chmod 644 q
	mkscript x "#!$PWD/q\n"
	directly_fails ./x
	finds 1 ./x error "bad interpreter '$PWD/q': Permission denied"
	want_output_has "$PWD/q:1: note: it is not executable; make it so with: chmod +x $PWD/q"
	same_words ./x
}

@test "an interpreter on /proc: error, and no chmod note, which cannot work there" {
	[ -r /proc/version ] || skip "no /proc/version here"
	mkscript x '#!/proc/version\n'
	directly_fails ./x
	[ "$kout" = "launch: execve: errno=EACCES" ]
	finds 1 ./x error "bad interpreter '/proc/version': Permission denied"
	want_output_has "/proc/version:1: note: the kernel executes no file on /proc or /sys, whatever its mode"
	[[ $output != *chmod\ +x* ]]
	same_words ./x
}

@test "an interpreter on a read-only mount: error, and no chmod note" {
	readonly_mnt q 644 '\x7fELF'
	capture chmod +x mnt/q
	want_failure
	mkscript x "#!$MNT/q\n"
	directly_fails ./x
	finds 1 ./x error "bad interpreter '$MNT/q': Permission denied"
	want_output_has "$MNT/q:1: note: it is not executable, and chmod cannot make it so on a read-only file system"
	[[ $output != *chmod\ +x* ]]
}

@test "an interpreter someone else owns: error, and no chmod note for one who cannot" {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot check as another user"
	open_for_nobody
	cp p q
	chmod 644 q
	mkscript x "#!$PWD/q\n"
	# nobody may not chmod root's file; the note must not propose it.
	capture unprivileged chmod +x q
	want_failure
	kernel_run unprivileged "$ROOT/tests/bin/launch" execve ./x
	[ "$kout" = "launch: execve: errno=EACCES" ]
	capture unprivileged "$RUNSCRIPT" --check ./x
	want_status 1
	want_output_has "./x:1: error: bad interpreter '$PWD/q': Permission denied"
	want_output_has "$PWD/q:1: note: it is not executable, and only its owner can make it so"
	[[ $output != *chmod\ +x* ]]
	# Its owner, root, is told to chmod it, and that works.
	check ./x
	want_output_has "$PWD/q:1: note: it is not executable; make it so with: chmod +x $PWD/q"
}

@test "an interpreter that is a directory: error" {
	mkdir d
	mkscript x "#!$PWD/d\n"
	directly_fails ./x
	finds 1 ./x error "bad interpreter '$PWD/d': Permission denied"
	want_output_has "$PWD/d:1: note: it is a directory"
}

@test "a carriage return ending the #! line: error, with the fix" {
	mkscript x '#!/bin/sh\r\nexit 0\n'
	directly_fails ./x
	finds 1 ./x error "the #! line ends in a carriage return (DOS line endings); convert the file with: sed -i 's/\\r\$//' ./x"
}

@test "a carriage return after the argument, the interpreter found: still an error" {
	mkscript x '#!/bin/sh -e\r\nexit 0\n'
	directly_fails ./x
	finds 1 ./x error "the #! line ends in a carriage return"
}

@test "a byte order mark before #!: error, with the fix" {
	mkscript x '\xef\xbb\xbf#!/bin/bash\necho $BASH_VERSION\n'
	kernel_run env -- ./x
	# Run directly, /bin/sh runs it, not the bash its author named.
	[ "$kout" != "$(bash -c 'echo $BASH_VERSION')" ]
	finds 1 ./x error "a UTF-8 byte order mark precedes '#!', so the #! line is ignored and /bin/sh runs it"
	want_output_has "./x:1: note: remove the mark with: sed -i '1s/^\\xEF\\xBB\\xBF//' ./x"
	# Not taken for a file without #! as well.
	[[ $output != *"neither #!"* ]]
}

@test "a #! line past the kernel's 256 bytes: error; the kernel cuts the argument short" {
	local arg
	printf -v arg '%0300d' 0
	mkscript x "#!$PWD/p $arg\n"
	kernel_run env -- ./x
	# The direct run's argument is shorter than the line's.
	[[ $kout != *"$arg"* ]]
	finds 1 ./x error "the #! line is longer than the kernel's 256 bytes, which cut its argument short"
}

@test "an interpreter name past the kernel's 256 bytes: error; a direct exec fails" {
	local name dir
	printf -v name '%0100d' 0
	dir=$PWD/$name/$name/$name
	mkdir -p "$dir"
	cp p "$dir/p"
	mkscript x "#!$dir/p\n"
	directly_fails ./x
	finds 1 ./x error "the #! line is longer than the kernel's 256 bytes, which cut its interpreter short: a direct exec fails (ENOEXEC)"
}

@test "env given several words without -S: error as env's command not found, then the -S note" {
	mkscript x '#!/usr/bin/env nosuchprog-xyz -u\n'
	directly_fails ./x
	finds 1 ./x error "/usr/bin/env nosuchprog-xyz -u: command not found"
	want_output "./x:1: error: /usr/bin/env nosuchprog-xyz -u: command not found
./x:1: note: /usr/bin/env looks for one command named 'nosuchprog-xyz -u', which is not on PATH; to split it into words, run runscript -S, or write #!/usr/bin/env -S nosuchprog-xyz -u"
	same_words ./x
	# With -S, as runscript -S would run it, the words are split.
	mkdir bin
	cp p bin/nosuchprog-xyz
	PATH=$PWD/bin:$PATH capture "$RUNSCRIPT" --check -S ./x
	want_status 0
	want_output ''
	want_stderr ''
}

@test "env's command not on PATH: error, as a run says it" {
	mkscript x '#!/usr/bin/env nosuchprog-xyz\n'
	directly_fails ./x
	finds 1 ./x error "/usr/bin/env nosuchprog-xyz: command not found"
	same_words ./x
}

@test "env's command found on PATH, its own interpreter missing: error at the command, as a run says it" {
	mkdir bin
	mkscript bin/badcmd '#!/nonexistent/interp\n'
	mkscript x '#!/usr/bin/env badcmd\n'
	PATH=$PWD/bin:$PATH directly_fails ./x
	PATH=$PWD/bin:$PATH check ./x
	want_status 1
	want_stderr ''
	want_output_has "$PWD/bin/badcmd:1: error: bad interpreter '/nonexistent/interp': No such file or directory"
	want_output_has "./x:1: note: its #! line runs badcmd through /usr/bin/env"
}

@test "env given an assignment and a command: not taken for one command name" {
	mkscript x '#!/usr/bin/env X=1 sh\n'
	check ./x
	want_status 0
	[[ $output != *"command not found"* ]]
	[[ $output != *"looks for one command"* ]]
}

@test "interpreters nested deeper than the kernel allows: error" {
	mkscript x '#!./x\n'
	directly_fails ./x
	finds 1 ./x error "too many levels of nested interpreters"
	same_words ./x
}

@test "a #! line that names no interpreter: error; a direct exec fails" {
	mkscript x '#!  \nexit 0\n'
	directly_fails ./x
	[ "$kout" = "launch: execve: errno=ENOEXEC" ]
	finds 1 ./x error "the #! line names no interpreter: a direct exec fails (ENOEXEC)"
	want_output_has "./x:1: note: shells and execvp(3) run it with /bin/sh, other launchers fail"
}

# --- files the kernel refuses with ENOEXEC -------------------------------------

# enoexec FILE: execve(2) itself refuses FILE with ENOEXEC, while execvp
# (env) runs it with /bin/sh: the kernel's answer, for the tests below.
enoexec() {
	kernel_run "$ROOT/tests/bin/launch" execve "$1"
	[ "$kout" = "launch: execve: errno=ENOEXEC" ] || {
		show_run 'execve, directly'
		return 1
	}
	kernel_run env -- "$1"
	want_status 0
}

# says_enoexec FILE: --check FILE finds the ENOEXEC error, and the note on
# what shells, execvp and other launchers do.
says_enoexec() {
	finds 1 "$1" error "neither #! nor a format the kernel loads: a direct exec fails (ENOEXEC)"
	want_output_has "$1:1: note: shells and execvp(3) run it with /bin/sh, other launchers fail; begin it with a #! line, such as #!/bin/sh"
}

@test "an executable file without #!, not ELF: error, execve fails with ENOEXEC" {
	mkscript x 'echo from-sh\n'
	enoexec ./x
	[ "$kout" = from-sh ]
	says_enoexec ./x
}

@test "an empty executable file: error, execve fails with ENOEXEC" {
	mkscript x ''
	enoexec ./x
	says_enoexec ./x
}

@test "an interpreter without #!, not ELF: error at the interpreter" {
	mkscript sh-lib 'exit 0\n'
	mkscript x "#!$PWD/sh-lib\n"
	enoexec ./x
	check ./x
	want_status 1
	want_output_has "$PWD/sh-lib:1: error: neither #! nor a format the kernel loads: a direct exec fails (ENOEXEC)"
}

@test "where binfmt_misc cannot be read, the ENOEXEC error says so" {
	mkscript x 'exit 0\n'
	enoexec ./x
	check ./x
	want_status 1
	if [ -r /proc/sys/fs/binfmt_misc/status ]; then
		[[ $output != *"cannot be told here"* ]]
	else
		want_output_has "./x:1: note: unless a binfmt_misc handler takes it, which cannot be told here: /proc/sys/fs/binfmt_misc cannot be read"
	fi
}

@test "an ELF program for this machine: clean" {
	clean ./p
}

# --- files not meant to be exec'd: warnings only -------------------------------------

@test "a file with no execute bit: a warning with the chmod note, status 0" {
	mkfile x 644 '#!/bin/sh\n'
	directly_fails ./x
	[ "$kout" = "launch: execve: errno=EACCES" ]
	finds 0 ./x warning "Permission denied"
	want_output "./x:1: warning: Permission denied
./x:1: note: it is not executable; make it so with: chmod +x ./x"
	same_words ./x warning
}

@test "a file with no execute bit: its other findings are warnings too, status 0" {
	mkfile x 644 '#!/nonexistent/interp\r\n'
	directly_fails ./x
	check ./x
	want_status 0
	want_stderr ''
	no_errors
	want_output_has "./x:1: warning: Permission denied"
	want_output_has "./x:1: warning: the #! line ends in a carriage return"
	want_output_has "./x:1: warning: bad interpreter '/nonexistent/interp^M': No such file or directory"
}

@test "a file with no execute bit and no #!: warnings only, status 0" {
	mkfile README 644 'Read me.\n'
	check ./README
	want_status 0
	no_errors
	want_output_has "./README:1: warning: Permission denied"
	want_output_has "./README:1: warning: neither #! nor a format the kernel loads"
}

@test "a Perl module with #!perl -w: warnings only, status 0" {
	mkfile Module.pm 644 '#!perl -w\npackage Module;\n1;\n'
	check ./Module.pm
	want_status 0
	no_errors
	want_output_has "./Module.pm:1: warning: bad interpreter 'perl': No such file or directory"
	want_output_has "./Module.pm:1: note: the kernel looks for 'perl' in the current directory, not on PATH"
}

@test "an executable file with an error beside a file with no execute bit: status 1" {
	mkfile lib.sh 644 '#!/bin/sh\r\n'
	mkscript x '#!/nonexistent/interp\n'
	check ./lib.sh ./x
	want_status 1
	want_output_has "./lib.sh:1: warning: the #! line ends in a carriage return"
	want_output_has "./x:1: error: bad interpreter"
}

@test "a file executable by someone, not by us: still an error" {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot check as another user"
	open_for_nobody
	mkfile x 744 '#!/bin/sh\n'
	kernel_run unprivileged "$ROOT/tests/bin/launch" execve ./x
	[ "$kout" = "launch: execve: errno=EACCES" ]
	capture unprivileged "$RUNSCRIPT" --check ./x
	want_status 1
	want_output_has "./x:1: error: Permission denied"
}

@test "a script on a noexec mount: error, with the noexec note, not chmod" {
	noexec_mnt
	mkscript mnt/x '#!/bin/sh\n'
	directly_fails ./mnt/x
	finds 1 ./mnt/x error "Permission denied"
	want_output_has "./mnt/x:1: note: its file system is mounted noexec"
	[[ $output != *chmod* ]]
}

@test "an error in a later script of a chain is reported at that script" {
	mkscript y '#!/nonexistent/interp\n'
	mkscript x "#!$PWD/y\n"
	directly_fails ./x
	check ./x
	want_status 1
	want_stderr ''
	want_output_has "$PWD/y:1: error: bad interpreter '/nonexistent/interp': No such file or directory"
}

# --- warnings -------------------------------------------------------------------

@test "a relative interpreter: a warning, exit 0; it runs only from here" {
	mkscript x '#!./p\n'
	finds 0 ./x warning "the kernel looks for './p' from the current directory, not the script's; write its absolute path"
	no_errors
	mkdir elsewhere
	kernel_run sh -c 'cd elsewhere && exec ../x'
	[ "$kstatus" = 127 ]
}

# --- files that cannot be checked: findings, errors ----------------------------------

@test "a FILE that does not exist: an error finding, status 1" {
	kernel_run "$ROOT/tests/bin/launch" execve ./nope
	[ "$kout" = "launch: execve: errno=ENOENT" ]
	check ./nope
	want_status 1
	want_stderr ''
	want_output "./nope:1: error: No such file or directory"
}

@test "a FILE that is a directory: an error finding with the note, status 1" {
	mkdir d
	kernel_run "$ROOT/tests/bin/launch" execve ./d
	[ "$kout" = "launch: execve: errno=EACCES" ]
	check ./d
	want_status 1
	want_stderr ''
	want_output "./d:1: error: Permission denied
./d:1: note: it is a directory"
	same_words ./d
}

@test "a FILE that cannot be read: an error finding, status 1" {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot make a file nobody reads"
	open_for_nobody
	mkfile x 711 '#!/bin/sh\n'
	capture unprivileged cat ./x
	want_failure
	capture unprivileged "$RUNSCRIPT" --check ./x
	want_status 1
	want_stderr ''
	want_output "./x:1: error: Permission denied"
}

@test "several files: each reported, one error makes status 1" {
	mkscript ok '#!/bin/sh\n'
	mkscript bad '#!/nonexistent/interp\n'
	check ./ok ./bad
	want_status 1
	want_output_has "./bad:1: error: bad interpreter"
	check ./ok ./bad ./nope
	want_status 1
	want_output_has "./bad:1: error: bad interpreter"
	want_output_has "./nope:1: error: No such file or directory"
	check ./ok ./nope
	want_status 1
}

@test "usage: --check needs a FILE, takes no -n or --tree; -q goes with --check" {
	capture "$RUNSCRIPT" --check
	usage_error "runscript: missing FILE operand"
	capture "$RUNSCRIPT" --check -n ./p
	usage_error "runscript: option '--check' runs nothing: it takes no -n, --tree or --supervise"
	capture "$RUNSCRIPT" -q ./p
	usage_error "runscript: option '-q' goes with --check only"
}

@test "-C is not --check: an invalid option" {
	capture "$RUNSCRIPT" -C ./p
	usage_error "runscript: invalid option -- 'C'"
}
