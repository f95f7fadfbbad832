#!/usr/bin/env bats
# shellcheck disable=SC2154 # kstatus, kout, stderr: set by helper.bash
# Differential test: a few hundred generated #! lines (tests/shebang-gen.c),
# each run directly (the kernel decides) and through runscript, with an
# empty argument and one with spaces. Every line fits the kernel's 256-byte
# buffer, so the two must agree on all of them. RUNSCRIPT_SEED=N replays
# another set; the seed is printed. DIFF_COUNT (400; at most 10000) sets
# how many lines: make stress runs more.
#
# The runs are many and process creation is slow on small machines, so
# setup_file makes them once, in one worker per core, and writes a report of
# every disagreement; the tests below read the reports.

load helper

GEN=$ROOT/tests/bin/shebang-gen
COUNT=${DIFF_COUNT:-400}
SEED=${RUNSCRIPT_SEED:-20240601}
WORKERS=$(nproc 2>/dev/null || echo 2)

# show_fixture F: names F and shows its first line byte by byte.
show_fixture() {
	printf '=== %s (seed %s), first line:\n' "$1" "$SEED"
	head -n 1 "$1" | od -c
}

# drop_argv0 VAR OUTPUT: sets VAR to the argv printer's OUTPUT without its
# argv[0] line, without a subshell.
drop_argv0() {
	local rest=${2#*$'\n'}
	printf -v "$1" '%s\n%s' "${2%%$'\n'*}" "${rest#*$'\n'}"
}

# check_fixtures W: worker W of $WORKERS. For each of its fixtures, appends
# to kernel.W a report when runscript differs from the direct run (see
# like_kernel), and to dryrun.W a report when -n does not print a command
# that bash runs with the same argv (or, for a failing run, does not fail
# the same way). Writes the outcomes seen to outcomes.W.
check_fixtures() {
	local w=$1 f i=0 rout rst rerr line ran got want
	local kreport=kernel.$w dreport=dryrun.$w why=why.$w
	# bats' DEBUG trap, which runs at every command to keep a stack trace,
	# would make this loop of a thousand captures several times slower.
	trap - DEBUG
	: >"$kreport"
	: >"$dreport"
	for f in f[0-9]*; do
		i=$((i + 1))
		[ $((i % WORKERS)) = "$w" ] || continue

		kernel_run env -- "./$f" '' 'a b'
		case $kstatus:$kout in
		0:*from-sh*) echo sh ;;
		0:*) echo interpreter ;;
		*) echo "$kstatus" ;;
		esac >>"outcomes.$w"

		capture "$RUNSCRIPT" -- "./$f" '' 'a b'
		rout=$output rst=$status rerr=$stderr
		like_kernel >"$why" || { show_fixture "$f" && cat "$why"; } >>"$kreport"

		capture "$RUNSCRIPT" -n -- "./$f" '' 'a b'
		if [ "$rst" != 0 ]; then
			# The dry run must fail exactly as the real run did.
			{ want_status "$rst" && want_stderr "$rerr" && want_output ''; } >"$why" ||
				{ show_fixture "$f" && cat "$why"; } >>"$dreport"
			continue
		fi
		echo ran >>"outcomes.$w"
		line=$output ran=-n
		case $line in
		*$'\n'*) status=printed-more-than-one-line ;;
		esac
		if [ "$status" = 0 ]; then
			capture eval "$line"
			ran='bash ran the -n line'
		fi
		# Compare all but argv[0], which bash sets to the word it ran.
		drop_argv0 got "$output"
		drop_argv0 want "$rout"
		if [ "$status" != 0 ] || [ "$got" != "$want" ]; then
			{
				show_fixture "$f"
				printf -- '--- -n printed:\n%s\n' "$line"
				show_run "$ran"
				printf -- '--- the real run printed:\n%s\n' "$rout"
			} >>"$dreport"
		fi
	done
	echo finished >>"outcomes.$w"
}

setup_file() {
	local w
	echo "# shebang-gen seed $SEED (set RUNSCRIPT_SEED to change it)" >&3
	export DIFF_DIR=$BATS_FILE_TMPDIR/fixtures
	mkdir "$DIFF_DIR"
	cd "$DIFF_DIR" || return 1
	cp "$ARGV" ./p
	"$GEN" . "$COUNT" "$SEED"
	for ((w = 0; w < WORKERS; w++)); do
		check_fixtures "$w" 3>&- &
	done
	wait
}

# report NAME: prints the reports NAME.* of all workers; fails if any is
# not empty.
report() {
	local bad
	bad=$(cat "$DIFF_DIR/$1".* | grep -c '^=== ') || true
	[ "$bad" = 0 ] && return 0
	cat "$DIFF_DIR/$1".*
	printf '%s of %s fixtures differ (reproduce: %s DIR %s %s)\n' \
		"$bad" "$COUNT" "$GEN" "$COUNT" "$SEED"
	return 1
}

@test "$COUNT generated #! lines: runscript prints and exits as the direct run does" {
	local want
	# Every worker ran to its end and every fixture was run.
	[ "$(cat "$DIFF_DIR"/outcomes.* | grep -cx finished)" = "$WORKERS" ]
	[ "$(cat "$DIFF_DIR"/outcomes.* | grep -cvx 'ran\|finished')" = "$COUNT" ]
	report kernel
	# The fixtures must reach every outcome, or this test checks little.
	for want in interpreter sh 126 127; do
		grep -qx "$want" "$DIFF_DIR"/outcomes.* || {
			echo "seed $SEED: no fixture gives outcome '$want'"
			return 1
		}
	done
}

@test "$COUNT generated #! lines: -n prints a command bash runs with the same argv, or fails as the run does" {
	report dryrun
	# Enough of the runs succeeded for the pasted commands to be tested.
	[ "$(cat "$DIFF_DIR"/outcomes.* | grep -cx ran)" -ge 50 ]
}

@test "shebang-gen writes the same fixtures for the same seed and others for another" {
	mkdir a b c
	"$GEN" a 50 7
	"$GEN" b 50 7
	"$GEN" c 50 8
	diff -r a b
	capture diff -r a c
	want_failure
	[ "$(find a -type f -perm 0755 | wc -l)" = 50 ]
}

@test "every generated #! line ends within the kernel's 256-byte buffer" {
	"$GEN" . "$COUNT" "$SEED"
	# Bytes up to and including the first newline or NUL, else the whole
	# file, must be at most 255 (perl-base is essential on Debian).
	capture perl -e 'for my $f (@ARGV) {
		open(my $h, "<", $f) or die "$f: $!\n";
		my $n = read($h, my $b, 256);
		$b =~ /\A[^\n\0]*[\n\0]?/;
		print "$f: first line of $+[0] of $n bytes read\n" if $+[0] > 255;
	}' f[0-9]*
	want_status 0
	want_output ''
	want_stderr ''
}
