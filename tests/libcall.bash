# The vocabulary of the tests that compare a libc call made with and
# without librunscript.so (preload.bats, safety.bats, libdiff.bats), loaded
# after helper.bash:
#
#   launch_run PRELOAD METHOD ARG...  tests/bin/launch METHOD ARG..., with
#                 LD_PRELOAD=PRELOAD unless PRELOAD is empty: a capture.
#   same_with_lib METHOD ARG...  the run without the library (the oracle)
#                 and the run with it print and exit the same; the command
#                 in BEFORE_RUN, if any, runs before each.
#   each METHODS ARG...  same_with_lib for each of METHODS.
#   oracle_has METHOD TEXT  the oracle's last run of METHOD printed TEXT:
#                 the fixture reaches the case its test is named after.
# LIB is the library under test, LAUNCH the caller, ALL, WITH_ENVP and SPAWN
# lists of launch's methods.

LAUNCH=$ROOT/tests/bin/launch
# RUNSCRIPT_PRELOAD points the suite at another build of the library.
LIB=${RUNSCRIPT_PRELOAD:-$ROOT/librunscript.so}
# Every run is killed by SIGALRM after this many seconds rather than hang.
ALARM=20

# shellcheck disable=SC2034 # for the test files
ALL='execve execv execvp execvpe execl execlp execle posix_spawn posix_spawnp fork-execv vfork-execve'
# shellcheck disable=SC2034
WITH_ENVP='execve execvpe execle posix_spawn posix_spawnp vfork-execve'
# shellcheck disable=SC2034
SPAWN='posix_spawn posix_spawnp'

# launch_run PRELOAD METHOD ARG...: launch METHOD ARG..., with
# LD_PRELOAD=PRELOAD unless PRELOAD is empty, through the command in RUNNER
# if any (unprivileged); sets status, output and stderr. Descriptor 9, which
# tests hold a file open with, and bats' 3 and 4 are not passed on.
RUNNER=()
launch_run() {
	local preload=$1 method=$2 err=$BATS_TEST_TMPDIR/.launch-stderr
	local -a env=()
	shift 2
	# env sets LD_PRELOAD for launch alone, not for the RUNNER before it.
	[ -z "$preload" ] || env=(env LD_PRELOAD="$preload")
	status=0
	output=$("${RUNNER[@]}" "${env[@]}" "$LAUNCH" "$method" -t "$ALARM" "$@" 2>"$err" 3>&- 4>&- 9>&-) || status=$?
	stderr=$(<"$err")
	rm -f "$err"
}

# same_with_lib METHOD ARG...: launch METHOD ARG... without the library and
# with it; both must print and exit the same. The oracle's run is kept in
# ORACLE[METHOD] ("status N" and its stdout).
# BEFORE_RUN, when set, is a command run before each of the two runs (to
# remove what the first run created).
declare -gA ORACLE
BEFORE_RUN=
same_with_lib() {
	local ostatus oout oerr
	$BEFORE_RUN
	launch_run '' "$@"
	ostatus=$status oout=$output oerr=$stderr
	ORACLE[$1]="status $ostatus"$'\n'"$oout"
	$BEFORE_RUN
	launch_run "$LIB" "$@"
	if [ "$status" != "$ostatus" ] || [ "$output" != "$oout" ] ||
		[ "$stderr" != "$oerr" ]; then
		printf '=== in %s: launch %s\n' "$PWD" "$(printf '%q ' "$@")"
		show_run "with $LIB"
		show_run 'libc alone (the oracle)' "$ostatus" "$oout" "$oerr"
		return 1
	fi
}

# each METHODS ARG...: same_with_lib for each of METHODS (one word, the
# names separated by spaces); reports every method that differs.
each() {
	local m bad=0
	for m in $1; do
		same_with_lib "$m" "${@:2}" || bad=1
	done
	return "$bad"
}

# oracle_has METHOD TEXT: the oracle's last run of METHOD printed TEXT (or
# its status line is TEXT, as "status 0").
oracle_has() {
	case ${ORACLE[$1]} in
	*"$2"*) ;;
	*)
		printf 'the fixture does not reach its case: %s should give %s, gave:\n%s\n' \
			"$1" "$2" "${ORACLE[$1]}"
		return 1
		;;
	esac
}
