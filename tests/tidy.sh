#!/bin/sh
# tidy.sh FILE... -- FLAGS...: clang-tidy on FILEs, quiet when they are
# clean: its "N warnings generated." lines count what .clang-tidy turns off.
echo "clang-tidy $*"
out=$(clang-tidy --quiet "$@" -std=c11 2>&1)
status=$?
printf '%s\n' "$out" | grep -v '^[0-9]* warnings\{0,1\} generated\.$'
exit "$status"
