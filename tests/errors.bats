#!/usr/bin/env bats
# shellcheck disable=SC2154 # kstatus, kerr: set by helper.bash
# Bad input: the exit status comes from the kernel (a direct run of the same
# fixture), the message is runscript's own: a first line
# `runscript: FILE: REASON`, naming the file at fault (for a bad interpreter,
# the script whose #! line names it), then possibly hint lines
# `runscript: FILE: hint: ...`.

load helper

# Tests that mount, hold fd 9 or start a background process undo it here,
# also when they fail.
teardown() {
	umount_mnt
	exec 9>&- || true
	if [ -n "${BG:-}" ]; then
		kill "$BG" 2>/dev/null || true
		wait "$BG" 2>/dev/null || true
	fi
}

# --- the script --------------------------------------------------------------

@test "missing script: 127, 'No such file or directory'" {
	same_as_kernel ./nope a
	want_status 127
	want_stderr "runscript: ./nope: No such file or directory"
}

@test "dangling symlink as script: as the kernel, 127" {
	ln -s nowhere x
	same_as_kernel ./x
	want_status 127
	first_line_is "runscript: ./x: No such file or directory"
}

@test "a path through a regular file (ENOTDIR): as the kernel, message names it" {
	touch f
	same_as_kernel ./f/x
	want_status 126
	first_line_is "runscript: ./f/x: Not a directory"
}

@test "non-executable script: 126, 'Permission denied' and a chmod +x hint" {
	mkfile x 644 '#!./p\n'
	same_as_kernel ./x a
	want_status 126
	first_line_is "runscript: ./x: Permission denied"
	has_hint ./x "chmod +x ./x"
}

@test "script executable by its owner only, run by another user: as the kernel" {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot run a root-owned script as another user"
	open_for_nobody
	mkfile x 744 '#!./p\n'
	kernel_run unprivileged env -- ./x
	capture unprivileged "$RUNSCRIPT" ./x
	like_kernel
	want_status 126
	first_line_is "runscript: ./x: Permission denied"
}

@test "permission classes as the kernel: owner without x, others with x -> refused" {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot give a fixture to nobody"
	open_for_nobody
	mkfile x 075 '#!./p\n'
	chown nobody x
	kernel_run unprivileged env -- ./x
	capture unprivileged "$RUNSCRIPT" ./x
	like_kernel
	want_status 126
}

@test "root runs a script that has any execute bit, as the kernel lets it" {
	[ "$(id -u)" -eq 0 ] || skip "not root: the root-only permission rule cannot be tested"
	mkfile x 705 '#!./p\n'
	chown nobody x
	same_as_kernel ./x a
	want_status 0
}

@test "unreadable (execute-only) script: left to the kernel, as a direct run" {
	open_for_nobody
	mkfile x 111 '#!./p\n'
	if unprivileged test -r x; then
		skip "the unprivileged user can still read a mode 111 file"
	fi
	# runscript cannot read the #! line, so it execs the file itself and
	# the kernel does what it does for a direct run.
	kernel_run unprivileged env -- ./x a
	capture unprivileged "$RUNSCRIPT" ./x a
	like_kernel
	want_status 0
}

@test "unreadable (execute-only) binary: runs, as a direct run" {
	open_for_nobody
	cp p q
	chmod 111 q
	if unprivileged test -r q; then
		skip "the unprivileged user can still read a mode 111 file"
	fi
	kernel_run unprivileged env -- ./q a
	capture unprivileged "$RUNSCRIPT" ./q a
	like_kernel
	want_status 0
}

@test "a directory as script: 126, 'Permission denied' and an is-a-directory hint" {
	mkdir d
	same_as_kernel ./d
	want_status 126
	first_line_is "runscript: ./d: Permission denied"
	has_hint ./d "directory"
}

@test "a fifo as script: 126 as the kernel, without hanging" {
	mkfifo f
	chmod 755 f
	kernel_run timeout 5 env -- ./f
	capture timeout 5 "$RUNSCRIPT" ./f
	like_kernel
	want_status 126
	first_line_is "runscript: ./f: Permission denied"
}

@test "a fifo as interpreter: 126 as the kernel, without hanging" {
	mkfifo f
	chmod 755 f
	mkscript x '#!./f\n'
	kernel_run timeout 5 env -- ./x
	capture timeout 5 "$RUNSCRIPT" ./x
	like_kernel
	want_status 126
	first_line_is "runscript: ./x: bad interpreter './f': Permission denied"
}

@test "script on a noexec mount: 126 as the kernel, with a noexec hint" {
	noexec_mnt
	mkscript mnt/x '#!./p\n'
	same_as_kernel ./mnt/x a
	want_status 126
	first_line_is "runscript: ./mnt/x: Permission denied"
	has_hint ./mnt/x "noexec"
}

@test "non-executable script on a noexec mount: the noexec hint, not chmod +x" {
	noexec_mnt
	mkfile mnt/x 644 '#!./p\n'
	same_as_kernel ./mnt/x a
	want_status 126
	want_stderr "runscript: ./mnt/x: Permission denied
runscript: ./mnt/x: hint: its file system is mounted noexec"
}

@test "non-executable script on a read-only mount: 126, a hint without chmod +x, which would fail" {
	readonly_mnt x 644 '#!/bin/sh\n'
	capture chmod +x mnt/x
	want_failure
	same_as_kernel ./mnt/x a
	want_status 126
	want_stderr "runscript: ./mnt/x: Permission denied
runscript: ./mnt/x: hint: it is not executable, and chmod cannot make it so on a read-only file system"
}

@test "non-executable script someone else owns: 126, a hint without chmod +x, which would fail" {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot run a root-owned script as another user"
	open_for_nobody
	mkfile x 644 '#!./p\n'
	capture unprivileged chmod +x x
	want_failure
	kernel_run unprivileged env -- ./x
	capture unprivileged "$RUNSCRIPT" ./x
	like_kernel
	want_status 126
	want_stderr "runscript: ./x: Permission denied
runscript: ./x: hint: it is not executable, and only its owner can make it so"
}

@test "non-executable interpreter on a noexec mount: the noexec hint names it, not chmod +x" {
	noexec_mnt
	cp p mnt/p
	chmod 644 mnt/p
	mkscript x '#!./mnt/p\n'
	same_as_kernel ./x a
	want_status 126
	want_stderr "runscript: ./x: bad interpreter './mnt/p': Permission denied
runscript: ./mnt/p: hint: its file system is mounted noexec"
}

@test "interpreter on a noexec mount: 126 as the kernel, names the interpreter" {
	noexec_mnt
	cp p mnt/p
	mkscript x '#!./mnt/p\n'
	same_as_kernel ./x a
	want_status 126
	first_line_is "runscript: ./x: bad interpreter './mnt/p': Permission denied"
}

# --- contents of the script ------------------------------------------------------

@test "empty file: /bin/sh runs it, as execvp does" {
	mkscript x ''
	same_with_stderr ./x a
}

@test "binary garbage without #!: as the kernel and execvp's /bin/sh fallback" {
	mkscript x '\001\002\003\376\377 garbage\nexec ./p "$@"\n'
	same_with_stderr ./x a
}

@test "binary garbage with NUL bytes: as the kernel" {
	mkscript x '\x00\x01\x02\x80\xff\x00\n./p "$@"\n'
	same_with_stderr ./x a
}

@test "a truncated ELF header: as the kernel" {
	mkscript x '\x7fELF\x02\x01\x01\x00garbage\n'
	same_with_stderr ./x a
}

@test "CRLF #! line: 127, bad interpreter './p^M', hint about DOS line endings" {
	mkscript x '#!./p\r\necho hi\r\n'
	same_as_kernel ./x a
	want_status 127
	first_line_is "runscript: ./x: bad interpreter './p^M': No such file or directory"
	has_hint ./x "DOS"
}

@test "UTF-8 byte order mark before #!: /bin/sh runs it, as the kernel, with a warning" {
	mkscript x '\xef\xbb\xbf#!./p\n./p by-sh "$@"\n'
	same_as_kernel ./x a 'b c'
	[ "$(printf '%s\n' "$output" | grep -c by-sh)" -eq 1 ]
	printf '%s\n' "$stderr" | grep -Fqx "runscript: ./x: warning: a UTF-8 byte order mark precedes '#!', so the #! line is ignored and /bin/sh runs it"
}

@test "NUL right after the interpreter: as the kernel" {
	mkscript x '#!./p\0junk\n'
	same_as_kernel ./x a
}

@test "NUL inside the #! argument: as the kernel" {
	mkscript x '#!./p -a\0b c\n'
	same_as_kernel ./x a
}

@test "NUL after blanks following the argument: as the kernel" {
	mkscript x '#!./p -a  \0\n'
	same_as_kernel ./x a
}

@test "a #! line of 8191 bytes works, the argument in full" {
	printf -v arg '%*s' 8185 ''
	arg=${arg// /y}
	mkscript x "#!./p $arg\n"
	[ "$(head -n 1 x | wc -c)" -eq 8192 ] # 8191 bytes + newline
	kernel_run env -- ./p "$arg" ./x a
	capture "$RUNSCRIPT" ./x a
	like_kernel
}

@test "a #! line of 8192 bytes: 126, 'longer than 8191 bytes', no silent truncation" {
	printf -v arg '%*s' 8186 ''
	arg=${arg// /y}
	mkscript x "#!./p $arg\n"
	[ "$(head -n 1 x | wc -c)" -eq 8193 ]
	kernel_run env -- ./x a
	capture "$RUNSCRIPT" ./x a
	# A documented difference: the kernel truncates (or refuses) at 256.
	echo "the kernel's direct run: status $kstatus, stderr: $kerr"
	want_status 126
	want_output ''
	first_line_is "runscript: ./x: #! line longer than 8191 bytes"
}

@test "an overlong #! line without a newline: 126, 'longer than'" {
	printf -v arg '%*s' 9000 ''
	arg=${arg// /z}
	mkscript x "#!./p $arg"
	capture "$RUNSCRIPT" ./x
	want_status 126
	first_line_is "runscript: ./x: #! line longer than 8191 bytes"
}

# --- the interpreter ------------------------------------------------------------

@test "missing interpreter: 127, bad interpreter naming it" {
	mkscript x '#!./nope\n'
	same_as_kernel ./x a
	want_status 127
	first_line_is "runscript: ./x: bad interpreter './nope': No such file or directory"
}

@test "missing absolute interpreter: 127, bad interpreter naming it" {
	mkscript x '#!/nonexistent/bin/tool -x\n'
	same_as_kernel ./x
	want_status 127
	first_line_is "runscript: ./x: bad interpreter '/nonexistent/bin/tool': No such file or directory"
}

@test "non-executable interpreter: 126, bad interpreter naming it" {
	cp p q
	chmod 644 q
	mkscript x '#!./q\n'
	same_as_kernel ./x a
	want_status 126
	first_line_is "runscript: ./x: bad interpreter './q': Permission denied"
}

@test "interpreter is a directory: 126, bad interpreter naming it" {
	mkdir d
	mkscript x '#!./d\n'
	same_as_kernel ./x a
	want_status 126
	first_line_is "runscript: ./x: bad interpreter './d': Permission denied"
}

@test "missing interpreter of an intermediate script: the file whose #! names it is at fault" {
	mkscript y '#!./nope\n'
	mkscript x '#!./y\n'
	same_as_kernel ./x a
	want_status 127
	first_line_is "runscript: ./y: bad interpreter './nope': No such file or directory"
}

@test "a script that is its own interpreter: 126 as the kernel (ELOOP)" {
	mkscript x '#!./x\n'
	same_as_kernel ./x a
	want_status 126
	first_line_is "runscript: ./x: too many levels of nested interpreters"
}

@test "two scripts naming each other as interpreter: 126 as the kernel (ELOOP)" {
	mkscript a '#!./b\n'
	mkscript b '#!./a\n'
	same_as_kernel ./a z
	want_status 126
	stderr_line 1 | grep -Eqx 'runscript: \./[ab]: too many levels of nested interpreters'
}

@test "chains of 1 to 7 scripts: each runs or fails as the kernel" {
	# s1 -> ./p; sN -> ./s(N-1)
	mkscript s1 '#!./p -1\n'
	for n in 2 3 4 5 6 7; do
		mkscript s$n "#!./s$((n - 1)) -$n\n"
	done
	for n in 1 2 3 4 5 6 7; do
		echo "chain of $n"
		same_as_kernel ./s$n a
	done
}

@test "the 6th interpreter of a chain is missing: ENOENT wins as in the kernel" {
	mkscript s1 '#!./nope\n'
	for n in 2 3 4 5 6 7; do
		mkscript s$n "#!./s$((n - 1))\n"
	done
	for n in 1 2 3 4 5 6 7; do
		echo "chain of $n"
		same_as_kernel ./s$n a
	done
}

# --- ETXTBSY ---------------------------------------------------------------------

@test "busy final interpreter: 126 after retrying, naming the busy file" {
	cp p p2
	mkscript x '#!./p2\n'
	exec 9>>./p2
	kernel_run env -- ./x a
	want_stderr_has "Text file busy"
	capture "$RUNSCRIPT" ./x a
	like_kernel
	want_status 126
	first_line_is "runscript: ./p2: Text file busy (still busy after retrying for 2 s)"
}

@test "busy ELF script: 126 after retrying, naming it" {
	cp p p2
	exec 9>>./p2
	same_as_kernel ./p2 a
	want_status 126
	first_line_is "runscript: ./p2: Text file busy (still busy after retrying for 2 s)"
}

@test "interpreter busy for 0.5 s: direct exec fails, runscript's retry runs it" {
	cp p p2
	mkscript x '#!./p2\n'
	exec 9>>./p2
	sleep 0.5 3>&- &
	BG=$!
	exec 9>&- # only the sleep holds ./p2 open for writing now
	capture env -- ./x a # direct, while busy
	want_status 126
	want_stderr_has "Text file busy"
	capture "$RUNSCRIPT" ./x a
	rstatus=$status rout=$output rerr=$stderr
	wait "$BG"
	BG=
	kernel_run env -- ./x a # the file is free now
	status=$rstatus output=$rout stderr=$rerr
	like_kernel
	want_status 0
}

@test "a script held open for writing still runs: only the interpreter is exec'd" {
	mkscript x '#!./p\n'
	capture env -- ./x a
	free_status=$status free_out=$output
	exec 9>>./x
	kernel_run env -- ./x a
	echo "direct while the script is open for writing: status $kstatus, stderr: $kerr"
	want_status 126
	# The child does not inherit fd 9; this shell still holds it open.
	capture "$RUNSCRIPT" ./x a 9>&-
	want_status "$free_status"
	want_output "$free_out"
}
