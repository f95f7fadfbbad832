#!/usr/bin/env bats
# shellcheck disable=SC2154 # kstatus, kout, kerr, stderr: set by helper.bash
# runscript --tree: librunscript.so in LD_PRELOAD for a whole process tree.
# The race harness (tests/race.c, built against the system's libc as
# tests/bin/race-sys, since a static program ignores LD_PRELOAD) execs
# freshly written scripts directly from many threads: without the library
# that fails with ETXTBSY now and then, under --tree it must never fail.
# Where direct exec does not fail within its budget, the --tree test is
# skipped with the kernel version and the counts: never passed.

load helper

RACE_SYS=$ROOT/tests/bin/race-sys
# The library runscript finds: the one next to the binary under test.
LIB=$(dirname "$RUNSCRIPT")/librunscript.so
# The mission's scale: hundreds of threads writing scripts and forking.
BIG=(-w "${TREE_WRITERS:-256}" -f "${TREE_FORKERS:-64}")
# The fast load of race.bats.
SMALL=(-w 4 -f 1)
# make stress sets these: launches per run, and the time limit of one run.
LAUNCHES=${TREE_LAUNCHES:-3000}
LIMIT=(-s "${TREE_SECONDS:-300}")

# race_sys ARG...: one run of the dynamically linked harness, kept in
# $output, $stderr and $status.
race_sys() {
	capture "$RACE_SYS" "${LIMIT[@]}" -r "$RUNSCRIPT" -d "$BATS_FILE_TMPDIR" "$@"
}

# direct_fails LOAD...: direct exec under LOAD, in rounds of 500 launches
# until one fails with ETXTBSY or $LAUNCHES have run; the totals go to
# $BATS_FILE_TMPDIR/direct-NAME, NAME being the first argument.
direct_fails() {
	local name=$1 total=0 busy=0
	shift
	while [ "$busy" = 0 ] && [ "$total" -lt "$LAUNCHES" ]; do
		race_sys "$@" -m direct -n 500
		if [ "$status" != 0 ]; then
			printf 'the harness failed (status %s): %s\n' "$status" "$stderr" \
				>"$BATS_FILE_TMPDIR/direct-$name"
			return
		fi
		total=$((total + $(count direct launches)))
		busy=$((busy + $(count direct etxtbsy)))
	done
	echo "launches=$total etxtbsy=$busy" >"$BATS_FILE_TMPDIR/direct-$name"
}

# proves_load NAME: direct exec failed with ETXTBSY under load NAME, or skip.
proves_load() {
	local totals
	totals=$(cat "$BATS_FILE_TMPDIR/direct-$1")
	echo "direct exec without the library, $1 load: $totals"
	case $totals in
	"the harness failed"*) return 1 ;;
	*etxtbsy=0) skip "kernel $(uname -r): direct exec never failed with ETXTBSY under the $1 load ($totals), so it proves nothing here" ;;
	esac
}

# tree_ran_clean: the last run launched $LAUNCHES scripts directly and
# none failed.
tree_ran_clean() {
	printf 'kernel %s\n%s\n' "$(uname -r)" "$output"
	[ "$status" = 0 ]
	[ "$(count direct launches)" = "$LAUNCHES" ]
	[ "$(count direct etxtbsy)" = 0 ]
	[ "$(count direct other)" = 0 ]
}

setup_file() {
	direct_fails big "${BIG[@]}"
	direct_fails small "${SMALL[@]}"
}

# --- the race ---------------------------------------------------------------

@test "without the library, direct exec by 256 writers and 64 forkers fails with ETXTBSY (the load is real)" {
	proves_load big
}

@test "--tree: 256 writers and 64 forkers exec scripts directly, none fails" {
	capture "$RUNSCRIPT" --tree "$RACE_SYS" "${LIMIT[@]}" -r "$RUNSCRIPT" \
		-d "$BATS_FILE_TMPDIR" "${BIG[@]}" -m direct -n "$LAUNCHES"
	tree_ran_clean
	proves_load big
}

@test "--tree: 4 writers and a forker exec scripts directly, none fails" {
	capture "$RUNSCRIPT" --tree "$RACE_SYS" "${LIMIT[@]}" -r "$RUNSCRIPT" \
		-d "$BATS_FILE_TMPDIR" "${SMALL[@]}" -m direct -n "$LAUNCHES"
	tree_ran_clean
	proves_load small
}

@test "the runscript prefix under 256 writers and 64 forkers: none fails" {
	race_sys "${BIG[@]}" -m runscript -n "$LAUNCHES"
	printf 'kernel %s\n%s\n' "$(uname -r)" "$output"
	[ "$status" = 0 ]
	awk '$1 == "method=runscript" && $2 == "launches='"$LAUNCHES"'" &&
		$3 == "etxtbsy=0" && $4 == "other=0" { ok = 1 } END { exit !ok }' <<<"$output"
	proves_load big
}

# --- LD_PRELOAD ----------------------------------------------------------------

@test "--tree puts the library built next to runscript into LD_PRELOAD" {
	capture env -u LD_PRELOAD "$RUNSCRIPT" --tree sh -c 'echo "$LD_PRELOAD"'
	[ "$status" = 0 ]
	[ "$output" = "$LIB" ]
}

@test "--tree keeps the LD_PRELOAD entries already there, and puts the library last" {
	capture env LD_PRELOAD="$LIB:$LIB-not-there" "$RUNSCRIPT" --tree sh -c 'echo "$LD_PRELOAD"' 2>/dev/null
	[ "$output" = "$LIB:$LIB-not-there" ]
	capture env LD_PRELOAD=/nonexistent/a.so "$RUNSCRIPT" --tree sh -c 'echo "$LD_PRELOAD"'
	[ "$output" = "/nonexistent/a.so:$LIB" ]
}

@test "--tree runs COMMAND the runscript way: a busy script still runs" {
	mkscript x '#!./p -t\n'
	exec 9>>x
	capture ./x a
	[ "$status" = 126 ]
	kernel_run env -- ./p -t ./x a
	capture "$RUNSCRIPT" --tree ./x a
	exec 9>&-
	like_kernel
}

@test "--tree: a script that a program of the tree execs while it is busy runs" {
	mkscript x '#!./p -t\n'
	exec 9>>x
	capture bash -c './x a'
	[ "$status" = 126 ]
	kernel_run env -- ./p -t ./x a
	capture "$RUNSCRIPT" --tree bash -c './x a'
	exec 9>&-
	like_kernel
}

@test "--tree -n prints LD_PRELOAD's assignment before the command; eval'd, it runs the same" {
	mkscript x '#!./p\n'
	capture env -u LD_PRELOAD "$RUNSCRIPT" --tree -n ./x 'a b'
	[ "$status" = 0 ]
	local line=$output
	[ "$line" = "LD_PRELOAD=$LIB ./p ./x 'a b'" ]
	kernel_run env LD_PRELOAD="$LIB" ./x 'a b'
	capture eval "$line"
	like_kernel
}

# refuses_library_in DIR: a runscript copied with the library into DIR,
# whose path LD_PRELOAD would split, refuses --tree with 125 and why.
refuses_library_in() {
	mkdir "$1"
	cp "$RUNSCRIPT" "$LIB" "$1/"
	capture "$1/runscript" --tree true
	want_status 125
	want_stderr "runscript: $PWD/$1/librunscript.so: cannot be preloaded: LD_PRELOAD splits its entries at spaces and colons"
}

@test "--tree refuses a library path with a space, which LD_PRELOAD would split: 125" {
	refuses_library_in 'with space'
}

@test "--tree refuses a library path with a colon: 125" {
	refuses_library_in 'a:b'
}

@test "--tree without the library next to runscript or installed: 125, and nothing runs" {
	mkdir alone
	cp "$RUNSCRIPT" alone/
	capture alone/runscript --tree touch ran
	local want="runscript: --tree: librunscript.so is neither next to runscript nor in "
	[ "${stderr#"$want"}" != "$stderr" ]
	[ ! -e "${stderr#"$want"}/librunscript.so" ] || skip "the library is installed in ${stderr#"$want"}"
	[ "$status" = 125 ]
	[ ! -e ran ]
}

@test "a program that runs no script runs under --tree as without it" {
	kernel_run ./p a
	capture "$RUNSCRIPT" --tree ./p a
	like_kernel
}

# --- installed --------------------------------------------------------------------

@test "make install puts the library in LIBDIR, where the installed runscript --tree finds it; uninstall removes all" {
	command -v make >/dev/null || skip "make is not installed"
	mkdir src
	cp -R "$ROOT/src" "$ROOT/man" "$ROOT/Makefile" "$ROOT/VERSION" src/
	local prefix=$PWD/prefix
	capture make -C src install-strip PREFIX="$prefix"
	printf '%s\n' "$output" "$stderr" | tail -n 5
	[ "$status" = 0 ]
	[ -x "$prefix/bin/runscript" ]
	[ -f "$prefix/lib/runscript/librunscript.so" ]
	[ -f "$prefix/share/man/man1/runscript.1" ]
	# Away from the build tree, only LIBDIR can have given the library.
	rm -rf src
	capture env -u LD_PRELOAD "$prefix/bin/runscript" --tree sh -c 'echo "$LD_PRELOAD"'
	[ "$output" = "$prefix/lib/runscript/librunscript.so" ]
	mkdir src
	cp -R "$ROOT/src" "$ROOT/man" "$ROOT/Makefile" "$ROOT/VERSION" src/
	capture make -C src uninstall PREFIX="$prefix"
	[ "$status" = 0 ]
	[ -z "$(find "$prefix" -type f)" ]
	[ ! -e "$prefix/lib/runscript" ]
}
