#!/bin/sh
# bench/bench.sh BUILD — what runscript costs, as ratios to direct exec
# measured side by side in one run (a noisy machine slows all alike).
# Prints markdown on standard output. BUILD says how runscript was built.
# Knobs: BENCH_ROUNDS (9), BENCH_RUNS (500 per method and round),
# BENCH_TREE_ROUNDS (201), BENCH_TREE_RUNS (20 per case, library and round),
# BENCH_RACE_LAUNCHES (3000 per method), BENCH_RACE_SECONDS (20),
# BENCH_SUP_ROUNDS (15), BENCH_SUP_RUNS (300 per run; threads 100 times as
# many). BENCH_ONLY=supervise runs the --supervise section alone.
set -eu
cd "$(dirname "$0")/.."

rounds=${BENCH_ROUNDS:-9}
runs=${BENCH_RUNS:-500}
launches=${BENCH_RACE_LAUNCHES:-3000}
seconds=${BENCH_RACE_SECONDS:-20}
tree_rounds=${BENCH_TREE_ROUNDS:-201}
tree_runs=${BENCH_TREE_RUNS:-20}
sup_rounds=${BENCH_SUP_ROUNDS:-15}
sup_runs=${BENCH_SUP_RUNS:-300}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '#!/bin/sh\nexit 0\n' >"$tmp/trivial.sh"
printf '#!/usr/bin/env sh\nexit 0\n' >"$tmp/env.sh"
chmod +x "$tmp/trivial.sh" "$tmp/env.sh"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "## runscript benchmark"
echo
echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, Linux $(uname -r)."
echo "runscript build timed: ${1:-unknown}."
echo

# median FILE COLUMN: the median of a column of numbers.
median() {
	cut -d ' ' -f "$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# sup_cost NAME CMD...: CMD prints the time of one operation in
# microseconds; it runs directly and under runscript --supervise, in turn
# (which first alternating), $sup_rounds times. Prints a table row: the
# median times and the median of the per-round ratios.
sup_cost() {
	name=$1
	shift
	: >"$tmp/sup"
	i=0
	while [ "$i" -lt "$sup_rounds" ]; do
		if [ $((i % 2)) = 0 ]; then
			d=$("$@")
			s=$(./runscript --supervise "$@")
		else
			s=$(./runscript --supervise "$@")
			d=$("$@")
		fi
		echo "$d $s $(awk -v d="$d" -v s="$s" 'BEGIN { print s / d }')" >>"$tmp/sup"
		i=$((i + 1))
	done
	printf '| %s | %s | %s | %.3f |\n' "$name" "$(median "$tmp/sup" 1)" \
		"$(median "$tmp/sup" 2)" "$(median "$tmp/sup" 3)"
}

supervise_section() {
	echo "### Cost of --supervise"
	echo
	echo "Each program times one operation over many and runs directly and under"
	echo "runscript --supervise in turn, $sup_rounds rounds; the ratio is the median"
	echo "over rounds of supervised/direct. Under --supervise every exec stops in"
	echo "the kernel until the supervisor has read its path and probed its file."
	echo
	echo "| operation | direct µs | supervised µs | ratio |"
	echo "|---|---:|---:|---:|"
	sup_cost "fork + execve of /bin/true (C)" bench/bin/supervise-cost fork "$sup_runs"
	sup_cost "posix_spawn of /bin/true (C)" bench/bin/supervise-cost spawn "$sup_runs"
	if command -v go >/dev/null 2>&1 &&
		(cd bench/go && GOCACHE=$tmp/gocache GOPATH=$tmp/gopath GOPROXY=off \
			go build -o "$tmp/execcost" .); then
		sup_cost "exec.Command(\"/bin/true\").Run() (Go)" "$tmp/execcost" "$sup_runs"
	else
		echo "| exec.Command (Go) | no go here | | |"
	fi
	sup_cost "pthread_create + pthread_join" bench/bin/supervise-cost thread $((sup_runs * 100))
}

if [ "${BENCH_ONLY:-}" = supervise ]; then
	supervise_section
	exit 0
fi
echo "### Cost of one run of a trivial \`#!/bin/sh\` script"
echo
echo "$rounds rounds of $runs runs per method, methods alternating."
echo
bench/bin/exec-cost "$rounds" "$runs" "$tmp/trivial.sh" "$PWD/runscript" \
	bench/bin/floor
echo
echo "### Cost of --tree"
echo
echo "A dynamically linked program starts a child and waits for it, with"
echo "librunscript.so in LD_PRELOAD and without: in its environment, so in the"
echo "child's too, as under runscript --tree. With the library, a start includes"
echo "its work in the starting program (reading the first bytes of the file, and"
echo "for the script those of /bin/sh, which it then starts in the script's"
echo "place) and the dynamic loader loading it into the child (/bin/sh or"
echo "/bin/true); not the starting program's own load of it, done once."
echo "$tree_rounds rounds of $tree_runs starts per case, with and without"
echo "alternating; the ratio is the median over rounds of with/without."
echo
bench/bin/tree-cost "$tree_rounds" "$tree_runs" "$PWD/librunscript.so" \
	"$tmp/trivial.sh"
echo
echo "### Cost of one run of a trivial \`#!/usr/bin/env sh\` script"
echo
echo "Run directly, the kernel starts env, which searches PATH and execs sh:"
echo "two execs. runscript does env's search itself and execs sh: one."
echo "$rounds rounds of $runs runs per method, methods alternating."
echo
bench/bin/exec-cost "$rounds" "$runs" "$tmp/env.sh" "$PWD/runscript" \
	bench/bin/floor | sed '/peak resident/d; ${/^$/d;}'
echo
echo "### Throughput under the race load"
echo
echo "The load of tests/race.bats and make demo, under which direct exec fails:"
echo "4 writer threads write and launch scripts while another thread forks,"
echo "up to $launches launches or $seconds s per method."
echo "Successful launches per second, relative to direct exec's."
echo
tests/bin/race -w 4 -f 1 -r "$PWD/runscript" -n "$launches" -s "$seconds" \
	-d "$tmp" |
	awk '
	{
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			v[kv[1]] = kv[2]
		}
		name[NR] = v["method"]; n[NR] = v["launches"]
		busy[NR] = v["etxtbsy"]; other[NR] = v["other"]; rate[NR] = v["per_s"]
		if (v["method"] == "direct")
			direct = v["per_s"]
	}
	END {
		print "| method | launches | ETXTBSY | other failures | successful launches/s | ratio to direct |"
		print "|---|---:|---:|---:|---:|---:|"
		for (i = 1; i <= NR; i++)
			printf "| %s | %d | %d | %d | %.0f | %s |\n", name[i], n[i], busy[i],
			    other[i], rate[i], (direct > 0 ? sprintf("%.2f×", rate[i] / direct) : "n/a")
	}'
echo
supervise_section
