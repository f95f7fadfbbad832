#!/bin/sh
# stack.sh CC FLAGS... -- FILE...: the stack frames of the code that runs
# inside other programs (the preload library and the core), as the compiler
# reports them (-fstack-usage), each held to a budget: a program may exec
# from a signal handler on an 8 KiB sigaltstack or from a thread with a
# 16 KiB stack, and the whole call path must stay far below that. A frame
# with a variable-length array is counted without it: those are sized to
# the call and bounded by src/core/run.c's stack_max.
# Prints each frame over budget and exits 1, or prints nothing.
set -u
budget=1024
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cc=$1
shift
flags=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	flags="$flags $1"
	shift
done
shift
for f in "$@"; do
	# shellcheck disable=SC2086 # flags are words
	$cc $flags -fstack-usage -c -o "$tmp/$(basename "$f" .c).o" "$f" || exit 1
done
awk -F '\t' -v budget="$budget" '
	$2 + 0 > budget {
		printf "stack.sh: %s uses %d bytes of stack (%s), over %d\n",
		    $1, $2, $3, budget
		over = 1
	}
	END { exit over }' "$tmp"/*.su
