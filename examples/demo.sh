#!/bin/sh
# demo.sh — the race side by side, in about 30 seconds: make demo
#
# Writer threads write a fresh script and run it while another thread forks
# without pause; each way of running the script gets the same load. Direct
# exec fails with "Text file busy" a few times in a thousand launches, so it
# and runscript get 10 s each to show it; the alternatives 10 s together.
# DEMO_SECONDS scales the whole run (default 30).
set -eu

cd "$(dirname "$0")/.."
total=${DEMO_SECONDS:-30}
load="-w 4 -f 1 -n 1000000000 -r ./runscript"
rest=retry,lock
[ ! -x /bin/bash ] || rest=bash,$rest

echo "Threads write a script and run it while another forks: launches per method, how many failed with ETXTBSY (\"Text file busy\") or otherwise, and successful launches per second."
echo
# shellcheck disable=SC2086 # $load is a list of options.
tests/bin/race -T $load -m direct,runscript -s "$(awk "BEGIN { print $total / 3 }")"
# shellcheck disable=SC2086
tests/bin/race -T $load -m "$rest" -s "$(awk "BEGIN { print $total / 9 }")" | sed 1,2d
