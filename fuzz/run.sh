#!/bin/sh
# fuzz/run.sh SECONDS — fuzzes the #! parser for SECONDS from a corpus seeded
# with fuzz/seeds and with the differential test's generated fixtures. The
# corpus (fuzz/corpus, git-ignored) grows from run to run.
set -eu
cd "$(dirname "$0")/.."

seconds=${1:-60}
corpus=fuzz/corpus
mkdir -p "$corpus"
cp fuzz/seeds/* "$corpus"/
tests/bin/shebang-gen "$corpus" 200 1
# Inputs go past runscript's 8191-byte line limit (-max_len). A finding
# leaves its input in fuzz/ as crash-*, leak-* or timeout-*.
exec fuzz/bin/fuzz-shebang -max_total_time="$seconds" -max_len=10000 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=fuzz/ "$corpus"
