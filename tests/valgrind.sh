#!/bin/sh
# tests/valgrind.sh RUNSCRIPT ARGV — runs RUNSCRIPT (a dynamically linked
# build, so that memcheck sees its allocations) under valgrind memcheck on
# the success and error paths: no invalid access, no leak, and no
# descriptor of runscript's own open at exit or in the exec'd program.
# ARGV is the tests' argv-printing interpreter, which lists its fds.
set -u

abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
rs=$(abs "$1")
argv=$(abs "$2")
command -v valgrind >/dev/null 2>&1 || {
	echo "valgrind.sh: valgrind is not installed" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1

cp "$argv" p
printf '#!./p -x\n' >ok
printf '#!./ok two\n' >nested
printf 'exec ./p from-sh "$@"\n' >nosheb
printf '#!./missing\n' >badinterp
printf '#!/bin/sh\r\n' >crlf
printf '#!./self\n' >self
printf '#!./p\n' >noexec
awk 'BEGIN { printf "#!./p "; for (i = 0; i < 9000; i++) printf "a"; print "" }' >long
mkdir dir
chmod 755 ok nested nosheb badinterp crlf self long
chmod 644 noexec

failed=0 ran=0

# check NAME EXPECTED-STATUS ARGS...: one run under memcheck.
check() {
	name=$1 want=$2
	shift 2
	ran=$((ran + 1))
	# The log goes to stderr: a --log-file descriptor would reach the
	# exec'd program.
	valgrind --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--track-fds=yes "$rs" "$@" >"$tmp/out" 2>"$tmp/log"
	got=$?
	why=
	grep -q 'Memcheck' "$tmp/log" || why="valgrind did not run"
	[ "$got" = "$want" ] || why="$why; exit status $got, not $want"
	grep -q 'ERROR SUMMARY: [1-9]\|lost: [1-9]\|Invalid \|uninitialised' \
		"$tmp/log" && why="$why; memcheck errors"
	# Every descriptor still open at exit must be one we inherited.
	if awk '/Open file descriptor/ { fd = $0; getline
		if ($0 !~ /inherited from parent/) { print fd; bad = 1 } }
		END { exit !bad }' "$tmp/log" >"$tmp/fds"; then
		why="$why; left open: $(cat "$tmp/fds")"
	fi
	# The exec'd program must hold no more descriptors than we gave it.
	if grep -q '^fds:' "$tmp/out" &&
		[ "$(grep '^fds:' "$tmp/out")" != "$(./p | grep '^fds:')" ]; then
		why="$why; the program got $(grep '^fds:' "$tmp/out")"
	fi
	if [ -n "$why" ]; then
		failed=$((failed + 1))
		printf 'not ok %s: %s\n' "$name" "${why#; }"
		sed 's/^/#   /' "$tmp/log"
	else
		printf 'ok %s\n' "$name"
	fi
}

check "runs a script" 0 ./ok a b
check "runs a nested chain" 0 ./nested a
check "splits with -S" 0 -S ./ok a
check "runs a file without #! with /bin/sh" 0 ./nosheb a
check "runs a binary" 0 ./p a
check "dry run" 0 -n ./nested 'a b' ''
check "PATH search" 0 sh -c 'exit 0'
check "missing script" 127 ./nope
check "missing interpreter" 127 ./badinterp
check "CRLF line" 127 ./crlf
check "interpreter loop" 126 ./self
check "not executable" 126 ./noexec
check "a directory" 126 ./dir
check "line over the limit" 126 ./long
check "not found on PATH" 127 no-such-command-anywhere
check "usage error" 125 --bogus
check "no operand" 125
check "help" 0 --help

printf '%d passed, %d failed\n' "$((ran - failed))" "$failed"
[ "$failed" = 0 ]
