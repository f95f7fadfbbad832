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

# same_as_kernel ARGS...: run ARGS directly through env(1) (execvp, so the
# kernel decides) and through runscript; both must print the same on
# standard output and exit with the same status. When env itself reports a
# failure, runscript must report one too, in its own words.
same_as_kernel() {
	local kstatus kout kerr
	capture env -- "$@"
	kstatus=$status kout=$output kerr=$stderr
	capture "$RUNSCRIPT" -- "$@"
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
