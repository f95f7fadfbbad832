# Shared set-up for the bats suite. Every test runs in its own temporary
# directory, which is also the current directory, so fixtures can name the
# argv-printing interpreter as ./p and #! lines stay short.

bats_require_minimum_version 1.7.0

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
# make check-sanitize points RUNSCRIPT_BIN at a sanitizer build.
RUNSCRIPT=${RUNSCRIPT_BIN:-$ROOT/runscript}
ARGV=$ROOT/tests/bin/argv

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cp "$ARGV" ./p
}

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

# capture CMD...: as bats' `run --separate-stderr` (status, output, lines,
# stderr), without its warning about a status of 127, expected here.
# shellcheck disable=SC2034 # lines is for the caller, as run's is
capture() {
	status=0
	output=$("$@" 2>"$BATS_TEST_TMPDIR/.stderr") || status=$?
	stderr=$(cat "$BATS_TEST_TMPDIR/.stderr")
	rm -f "$BATS_TEST_TMPDIR/.stderr"
	lines=()
	[ -z "$output" ] || mapfile -t lines <<<"$output"
}

# kernel_run CMD...: run CMD, which execs the fixture directly (e.g. through
# env, that is execvp), and keep its status and output as what the kernel
# says: kstatus, kout and kerr.
kernel_run() {
	capture "$@"
	kstatus=$status kout=$output kerr=$stderr
}

# like_kernel: the last capture exited and printed as kernel_run's did; when
# env itself reported a failure, runscript reported one too, in its own words.
like_kernel() {
	if [ "$status" != "$kstatus" ] || [ "$output" != "$kout" ]; then
		printf 'direct (env): status %s\n--- stdout\n%s\n--- stderr\n%s\n' \
			"$kstatus" "$kout" "$kerr"
		printf 'runscript:    status %s\n--- stdout\n%s\n--- stderr\n%s\n' \
			"$status" "$output" "$stderr"
		return 1
	fi
	case $kerr in
	env:*)
		case $stderr in
		runscript:*) ;;
		*)
			printf 'env failed with: %s\nrunscript said: %s\n' "$kerr" "$stderr"
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

# unprivileged CMD...: run CMD as nobody when root, else as ourselves.
unprivileged() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}

# open_for_nobody: let nobody reach the test directory and runscript (RS is
# then the runscript to run), or skip.
open_for_nobody() {
	local d=$BATS_TEST_TMPDIR
	RS=$RUNSCRIPT
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
	if ! unprivileged test -x "$RS"; then
		mkdir -p rsbin
		cp "$RUNSCRIPT" rsbin/runscript
		RS=$PWD/rsbin/runscript
	fi
}
