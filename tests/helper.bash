# Shared set-up and vocabulary of the bats suite. Every test runs in its own
# temporary directory, which is also the current directory, so fixtures can
# name the argv-printing interpreter as ./p and #! lines stay short.
#
# The vocabulary, used the same way in every file:
#
#   Fixtures     setup (or setup_tmpdir, from a file's own setup) enters
#                the test's directory with ./p in it; mkfile NAME MODE
#                BYTES and mkscript NAME BYTES (mode 755) write the rest.
#   Running      capture CMD... is the one way to run a command whose result
#                is checked: it sets status, output (stdout), lines and
#                stderr. bats' run is not used: it warns about a status of
#                127, which many tests here expect.
#                $RUNSCRIPT is the one name of the program under test.
#   The kernel   kernel_run CMD... runs a fixture directly, through env(1)
#                (execvp), as a capture whose result is also kept as
#                kstatus, kout and kerr: the kernel's answer.
#   Comparing    like_kernel: the last capture agrees with kernel_run's.
#                same_as_kernel ARGS...: kernel_run, runscript, like_kernel.
#                same_with_stderr ARGS...: the same, and stderr identical.
#   Asserting    want_status N, want_failure, want_output TEXT,
#                want_output_has TEXT, want_stderr TEXT, want_stderr_has TEXT:
#                the last capture's result. After like_kernel, status and
#                output are the kernel's too.
#   Messages     runscript reports `runscript: FILE: REASON`, naming the file
#                at fault (for a bad interpreter, the script whose #! line
#                names it), then may add hint lines
#                `runscript: FILE: hint: ...`. first_line_is TEXT and
#                has_hint FILE WORDS check them; usage_error LINE checks a
#                usage error (125, LINE and the Try line).
#   Reporting    Every check above prints, when it fails, what it wanted and
#                the run(s) it judged, through show_run and show_both.
#   Users        unprivileged CMD... runs CMD as nobody when root;
#                open_for_nobody makes the test directory and $RUNSCRIPT
#                reachable by nobody.
#   Mounts       noexec_mnt and readonly_mnt mount a tmpfs on ./mnt, which
#                umount_mnt (a file's teardown) takes away.
#   Writes       whole_line_writes FD CMD... runs CMD under strace: each
#                line it writes on FD goes out in one write(2) of its own.

bats_require_minimum_version 1.7.0

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
# make check-sanitize points RUNSCRIPT_BIN at a sanitizer build.
RUNSCRIPT=${RUNSCRIPT_BIN:-$ROOT/runscript}
ARGV=$ROOT/tests/bin/argv

# setup_tmpdir: enter the test's own directory and put ./p there. A file
# that needs more in its setup() calls this first.
setup_tmpdir() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cp "$ARGV" ./p
}

setup() {
	setup_tmpdir
}

# --- fixtures ----------------------------------------------------------------

# mkfile NAME MODE BYTES: write BYTES (printf %b escapes: \n, \r, \t, \0NNN,
# \xHH) to NAME and set its MODE.
mkfile() {
	printf '%b' "$3" >"$1"
	chmod "$2" "$1"
}

# mkscript NAME BYTES: an executable fixture.
mkscript() {
	mkfile "$1" 755 "$2"
}

# mkchain BASE N: scripts c1..cN, c1 run by BASE, each next one by the one
# before, each with its level as the #! argument.
mkchain() {
	local base=$1 n=$2 i
	mkscript c1 "#!$base L1\n"
	for ((i = 2; i <= n; i++)); do
		mkscript "c$i" "#!./c$((i - 1)) L$i\n"
	done
}

# What runscript says when it refuses to run with privileges (AT_SECURE).
# shellcheck disable=SC2034 # for the test files
REFUSAL="runscript: refusing to run with privileges that the caller may lack (set-user-ID, set-group-ID or file capabilities)"

# --- running -----------------------------------------------------------------

# capture CMD...: run CMD and set status, output (its stdout, trailing
# newlines removed), lines (output's lines) and stderr, as bats'
# `run --separate-stderr` does, without its warning about a status of 127.
# Works in setup_file and in background workers too: the file that holds
# stderr is named by this shell's pid.
# shellcheck disable=SC2034 # lines is for the caller, as run's is
capture() {
	local err=${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}/.stderr.$BASHPID
	status=0
	output=$("$@" 2>"$err") || status=$?
	stderr=$(<"$err")
	rm -f "$err"
	lines=()
	[ -z "$output" ] || mapfile -t lines <<<"$output"
}

# kernel_run CMD...: capture CMD, which execs the fixture directly (e.g.
# through env, that is execvp), and keep its result as what the kernel says:
# kstatus, kout and kerr. Until the next capture, status, output and stderr
# are the kernel's too, so want_status and the like check them.
kernel_run() {
	capture "$@"
	kstatus=$status kout=$output kerr=$stderr
}

# --- reporting ---------------------------------------------------------------

# show_run LABEL [STATUS STDOUT STDERR]: print a run, by default the last
# capture, for the report of a failing test.
show_run() {
	[ "$#" -gt 1 ] || set -- "$1" "$status" "$output" "$stderr"
	printf '%s: status %s\n--- stdout\n%s\n--- stderr\n%s\n' "$@"
}

# show_both: print the kernel's run and the last capture (runscript's).
show_both() {
	show_run 'direct (env)' "$kstatus" "$kout" "$kerr"
	show_run runscript
}

# --- comparing with the kernel -----------------------------------------------

# like_kernel: the last capture exited and printed as kernel_run's did; when
# env itself reported a failure, runscript reported one too, in its own words.
like_kernel() {
	if [ "$status" != "$kstatus" ] || [ "$output" != "$kout" ]; then
		show_both
		return 1
	fi
	case $kerr in
	env:*)
		case $stderr in
		runscript:*) ;;
		*)
			echo "env reported the failure, runscript did not in its own words"
			show_both
			return 1
			;;
		esac
		;;
	esac
}

# same_as_kernel ARGS...: run ARGS directly through env(1) and through
# runscript; both must print the same on standard output and exit with the
# same status (see like_kernel).
same_as_kernel() {
	kernel_run env -- "$@"
	capture "$RUNSCRIPT" -- "$@"
	like_kernel
}

# same_with_stderr ARGS...: as same_as_kernel, and standard error identical
# too: for fixtures the kernel hands to a program (/bin/sh) that reports.
same_with_stderr() {
	kernel_run env -- "$@"
	capture "$RUNSCRIPT" -- "$@"
	if [ "$status" != "$kstatus" ] || [ "$output" != "$kout" ] ||
		[ "$stderr" != "$kerr" ]; then
		show_both
		return 1
	fi
}

# --- asserting on the last capture -------------------------------------------

# want_status N: the last capture exited with status N.
want_status() {
	[ "$status" = "$1" ] && return 0
	printf 'want status %s\n' "$1"
	show_run got
	return 1
}

# want_failure: the last capture exited with a status other than 0.
want_failure() {
	[ "$status" != 0 ] && return 0
	echo 'want a status other than 0'
	show_run got
	return 1
}

# want_output TEXT: the last capture printed exactly TEXT on stdout ('' for
# nothing).
want_output() {
	[ "$output" = "$1" ] && return 0
	printf 'want stdout:\n%s\n' "$1"
	show_run got
	return 1
}

# want_output_has TEXT: the last capture's stdout contains TEXT.
want_output_has() {
	[[ $output == *"$1"* ]] && return 0
	printf 'want stdout containing:\n%s\n' "$1"
	show_run got
	return 1
}

# want_stderr TEXT: the last capture printed exactly TEXT on stderr ('' for
# nothing).
want_stderr() {
	[ "$stderr" = "$1" ] && return 0
	printf 'want stderr:\n%s\n' "$1"
	show_run got
	return 1
}

# want_stderr_has TEXT: the last capture's stderr contains TEXT.
want_stderr_has() {
	[[ $stderr == *"$1"* ]] && return 0
	printf 'want stderr containing:\n%s\n' "$1"
	show_run got
	return 1
}

# --- runscript's messages ----------------------------------------------------

# stderr_line N: line N (1-based) of the last capture's stderr.
stderr_line() {
	printf '%s\n' "$stderr" | sed -n "$1p"
}

# first_line_is TEXT: the first line of the last capture's stderr is exactly
# TEXT.
first_line_is() {
	[ "$(stderr_line 1)" = "$1" ] && return 0
	printf 'want stderr line 1:\n%s\n' "$1"
	show_run got
	return 1
}

# has_hint FILE WORDS: a line of the last capture's stderr is
# `runscript: FILE: hint: ...` and contains WORDS.
has_hint() {
	local l
	while IFS= read -r l; do
		case $l in
		"runscript: $1: hint: "*"$2"*) return 0 ;;
		esac
	done <<<"$stderr"
	printf 'want a line "runscript: %s: hint: ...%s..."\n' "$1" "$2"
	show_run got
	return 1
}

TRY="Try 'runscript --help' for more information."

# usage_error LINE: the last capture was a usage error: status 125, nothing
# on stdout, exactly LINE then the Try line on stderr.
usage_error() {
	want_status 125 && want_output '' && want_stderr "$1"$'\n'"$TRY"
}

# --- users -------------------------------------------------------------------

# pastes_back ARGS...: the -n line for ARGS, eval'd by bash, runs what the
# kernel runs for them (a direct run through env), which must succeed for
# the comparison to mean anything.
pastes_back() {
	local line
	kernel_run env -- "$@"
	want_status 0
	line=$("$RUNSCRIPT" -n "$@")
	capture eval "$line"
	like_kernel
}

# on_path PATH ARGS...: same_as_kernel with PATH set to PATH for both runs,
# the direct one (through env, which uses execvp) and runscript's; both
# must agree, so the want_* checks that follow judge the kernel's status
# and output as much as runscript's.
on_path() {
	local p=$1
	shift
	kernel_run env -- PATH="$p" "$@"
	capture env -- PATH="$p" "$RUNSCRIPT" -- "$@"
	like_kernel
}

# without_path ARGS...: the same with PATH unset.
without_path() {
	kernel_run env -u PATH -- "$@"
	capture env -u PATH -- "$RUNSCRIPT" -- "$@"
	like_kernel
}

# unprivileged CMD...: run CMD as nobody when root, else as ourselves.
unprivileged() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}

# open_for_nobody: let nobody reach the test directory and runscript, or
# skip. When nobody cannot reach $RUNSCRIPT where it is, RUNSCRIPT is
# re-pointed, for this test only, at a copy in the test directory.
open_for_nobody() {
	local d=$BATS_TEST_TMPDIR
	[ "$(id -u)" -eq 0 ] || return 0
	command -v setpriv >/dev/null ||
		skip "running as root without setpriv(1): cannot run as nobody"
	# Open bats' own directories only, from the test's up to the run's.
	local top=${BATS_RUN_TMPDIR:-$BATS_TEST_TMPDIR}
	case $d/ in "$top"/*) ;; *) top=$d ;; esac
	while :; do
		chmod o+x "$d"
		[ "$d" != "$top" ] || break
		d=$(dirname "$d")
	done
	chmod o+rx "$BATS_TEST_TMPDIR"
	unprivileged test -x ./p ||
		skip "nobody cannot reach the test directory $BATS_TEST_TMPDIR"
	if ! unprivileged test -x "$RUNSCRIPT"; then
		mkdir -p rsbin
		cp "$RUNSCRIPT" rsbin/runscript
		RUNSCRIPT=$PWD/rsbin/runscript
	fi
}

# --- mounts ---------------------------------------------------------------------

# noexec_mnt: a tmpfs mounted noexec on ./mnt, which the file's teardown
# takes away with umount_mnt; or skip.
noexec_mnt() {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot mount a noexec tmpfs"
	mkdir mnt
	mount -t tmpfs -o noexec tmpfs mnt 2>mount.err ||
		skip "cannot mount a noexec tmpfs here: $(cat mount.err)"
	MNT=$PWD/mnt
}

# readonly_mnt NAME MODE BYTES: a tmpfs on ./mnt holding NAME, written as
# mkfile writes it, then made read-only; or skip.
readonly_mnt() {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot mount a tmpfs"
	mkdir mnt
	mount -t tmpfs tmpfs mnt 2>mount.err ||
		skip "cannot mount a tmpfs here: $(cat mount.err)"
	MNT=$PWD/mnt
	mkfile "mnt/$1" "$2" "$3"
	mount -o remount,ro mnt 2>mount.err ||
		skip "cannot make a tmpfs read-only here: $(cat mount.err)"
	if touch mnt/probe 2>/dev/null; then
		echo "the tmpfs on ./mnt is still writable"
		return 1
	fi
}

# umount_mnt: undoes noexec_mnt or readonly_mnt, if either mounted.
umount_mnt() {
	if [ -n "${MNT:-}" ] && mountpoint -q "$MNT"; then
		umount "$MNT"
	fi
}

# --- writes ------------------------------------------------------------------

# whole_line_writes FD CMD...: CMD, run under strace, writes at least one
# line on descriptor FD, and each of them in one write(2) of its own: every
# write is one whole line. Sets writes to their count; the bytes written
# are in fd.out. Skips where strace cannot trace.
whole_line_writes() {
	local fd=$1 w body nl
	shift
	command -v strace >/dev/null ||
		skip "strace is missing: cannot count the writes"
	strace -f -qq -o /dev/null true 2>/dev/null ||
		skip "strace cannot trace here (ptrace not permitted)"
	# LeakSanitizer cannot run under ptrace, and says so at exit.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=write,writev,pwrite64 -e signal=none -xx \
		-s 100000 -o writes.out "$@" >stdout.out 2>stderr.out || true
	if [ "$fd" = 1 ]; then cp stdout.out fd.out; else cp stderr.out fd.out; fi
	writes=0
	while IFS= read -r w; do
		case $w in
		"write($fd, "* | *" write($fd, "*) ;;
		*"writev($fd, "* | *"pwrite64($fd, "*)
			printf 'a write to %s other than write(2):\n%s\n' "$fd" "$w"
			return 1
			;;
		*) continue ;;
		esac
		writes=$((writes + 1))
		body=${w#*\"}
		body=${body%\"*}
		nl=$(grep -o '\\x0a' <<<"$body" | wc -l)
		if [ "$nl" != 1 ] || [[ $body != *'\x0a' ]]; then
			printf 'a write to %s that is not one whole line:\n%s\n' "$fd" "$w"
			return 1
		fi
	done <writes.out
	if [ "$writes" -eq 0 ] || [ "$writes" != "$(wc -l <fd.out)" ]; then
		printf '%s writes to %s, for these lines:\n' "$writes" "$fd"
		cat fd.out
		return 1
	fi
}

# count METHOD KEY: KEY's value on METHOD's line of the race harness's last
# run (tests/race.c prints "method=METHOD key=value ...").
count() {
	awk -v m="method=$1" -v k="$2=" '$1 == m {
		for (i = 2; i <= NF; i++)
			if (index($i, k) == 1)
				print substr($i, length(k) + 1)
	}' <<<"$output"
}
