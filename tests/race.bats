#!/usr/bin/env bats
# The race runscript exists for (tests/race.c): writer threads write fresh
# scripts and run them while forker threads fork. Under a load that makes
# direct exec fail with "Text file busy" (ETXTBSY), runscript must not fail
# once. Where direct exec does not fail within its budget, the load proves
# nothing on this kernel, so the runscript tests are skipped with the kernel
# version and the counts: never passed.
#
# The load is the fast one (4 writers, 1 forker), at which direct exec hits
# ETXTBSY in about 0.5% of launches; tests/tree.bats runs the mission's
# scale, 256 writers and 64 forkers, too. RACE_WRITERS, RACE_FORKERS and
# RACE_LAUNCHES change it, RACE_SECONDS the time limit of one run (make
# stress sets them).

load helper

RACE=$ROOT/tests/bin/race
LOAD=(-w "${RACE_WRITERS:-4}" -f "${RACE_FORKERS:-1}")
LAUNCHES=${RACE_LAUNCHES:-5000}
# Direct exec runs in rounds of this many launches until it hits ETXTBSY
# or has had $LAUNCHES.
ROUND=$((LAUNCHES < 500 ? LAUNCHES : 500))
# Launches per method in the interpreter-rewrite tests.
REWRITES=200
# The time limit only stops a run that has gone badly wrong; a launch
# through runscript may wait up to 2 s for a busy interpreter.
LIMIT=(-s "${RACE_SECONDS:-300}")

# race ARG...: one run of the harness under the load, captured.
race() {
	capture "$RACE" "${LOAD[@]}" "${LIMIT[@]}" \
		-r "$RUNSCRIPT" -d "$BATS_FILE_TMPDIR" "$@"
}

# show WHAT: the kernel and the load of the run a test judges, for its
# report; the checks show the run itself.
show() {
	printf 'kernel %s; race %s %s\n' "$(uname -r)" "${LOAD[*]}" "$*"
}

# ran_clean METHOD WANT: METHOD was launched WANT times and never failed; a
# run that could not reach WANT launches within its time fails.
ran_clean() {
	local n busy other
	n=$(count "$1" launches) busy=$(count "$1" etxtbsy) other=$(count "$1" other)
	if [ -z "$n" ] || [ -z "$busy" ] || [ -z "$other" ]; then
		echo "no counts for $1 in the output of race"
		show_run race
		return 1
	fi
	if [ "$busy" != 0 ] || [ "$other" != 0 ]; then
		echo "$1 failed: $busy ETXTBSY and $other other failures in $n launches"
		show_run race
		return 1
	fi
	# Too few launches prove too little: a failure, never a skip.
	if [ "$n" -lt "$2" ]; then
		echo "only $n of $2 launches through $1 within ${LIMIT[1]} s"
		show_run race
		return 1
	fi
}

# proves_load: direct exec failed with ETXTBSY in the last run, or skip.
proves_load() {
	if [ "$(count direct etxtbsy)" = 0 ]; then
		skip "kernel $(uname -r): direct exec never failed with ETXTBSY under this load, so it proves nothing here: $(tr '\n' ' ' <<<"$output")"
	fi
}

# The direct rounds and the runscript run are shared by the two tests that
# judge them.
setup_file() {
	local total=0 busy=0 other=0
	status=0 output='' stderr=''
	while [ "$busy" = 0 ] && [ "$total" -lt "$LAUNCHES" ]; do
		race -m direct -n "$ROUND"
		[ "$status" = 0 ] || break
		total=$((total + $(count direct launches)))
		busy=$((busy + $(count direct etxtbsy)))
		other=$((other + $(count direct other)))
	done
	: >"$BATS_FILE_TMPDIR/direct"
	# A direct round that failed is the run both tests judge, so that they
	# fail with it, not skip as if direct exec had never hit ETXTBSY.
	if [ "$status" = 0 ]; then
		printf 'method=direct launches=%s etxtbsy=%s other=%s\n' \
			"$total" "$busy" "$other" >"$BATS_FILE_TMPDIR/direct"
		race -m runscript -n "$LAUNCHES"
	fi
	printf '%s\n' "$output" >>"$BATS_FILE_TMPDIR/direct"
	printf '%s' "$stderr" >"$BATS_FILE_TMPDIR/stderr"
	echo "$status" >"$BATS_FILE_TMPDIR/status"
}

shared_run() {
	output=$(cat "$BATS_FILE_TMPDIR/direct")
	stderr=$(cat "$BATS_FILE_TMPDIR/stderr")
	status=$(cat "$BATS_FILE_TMPDIR/status")
	show "(direct in rounds of $ROUND launches until the first ETXTBSY)"
	want_status 0
}

@test "direct exec under the load fails with ETXTBSY (the load is real)" {
	shared_run
	proves_load
}

@test "runscript under the same load: no ETXTBSY, no other failure in $LAUNCHES launches" {
	shared_run
	ran_clean runscript "$LAUNCHES"
	proves_load
}

# The fake interpreter the scripts name is rewritten under them: renamed
# over, and reopened for writing in place. runscript execs a binary one, so
# it must wait out the write descriptors other children still hold; a
# script one it only reads.
@test "runscript survives its binary interpreter being rewritten" {
	race -m direct,runscript -i binary -n "$REWRITES"
	show -i binary
	want_status 0
	ran_clean runscript "$REWRITES"
	proves_load
}

@test "runscript survives its script interpreter being rewritten" {
	race -m direct,runscript -i script -n "$REWRITES"
	show -i script
	want_status 0
	ran_clean runscript "$REWRITES"
	proves_load
}
