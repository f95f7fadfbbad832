#!/usr/bin/env bats
# The build as packagers drive it. Debian's tooling (dpkg-buildflags)
# exports CFLAGS, CPPFLAGS and LDFLAGS rather than passing them to make, so
# the flags from the environment must reach the compiler and the linker;
# a CFLAGS on make's command line still wins, and the project's own flags
# are always there. Each build is a real one, in a copy of the tree, and
# the flags are read back from what it built: -frandom-seed=WORD, which gcc
# and clang record in the .GCC.command.line section; a -include'd header
# that leaves a marker string in every object; a --defsym'd symbol.

load helper

setup_file() {
	local tool
	for tool in readelf grep; do
		command -v "$tool" >/dev/null ||
			skip "$tool is not installed: the built files cannot be read back"
	done
	export TREE=$BATS_FILE_TMPDIR/tree
	mkdir "$TREE"
	cp -R "$ROOT/Makefile" "$ROOT/VERSION" "$ROOT/src" "$ROOT/man" "$TREE"
	printf '%s\n' \
		'static const char rs_marker_cppflags[] __attribute__((used)) =' \
		'        "rs-marker-cppflags-env";' >"$BATS_FILE_TMPDIR/marker.h"
}

# build VAR=VALUE... -- MAKE-ARG...: make in the copy with only the given
# flags in its environment: none inherited from the make running the tests
# (MAKEFLAGS would pass its command line on), nor from the caller's shell.
build() {
	local assign=()
	while [ "$1" != -- ]; do
		assign+=("$1")
		shift
	done
	shift
	capture env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u CFLAGS -u CPPFLAGS \
		-u LDFLAGS "${assign[@]}" make -C "$TREE" "$@"
	if [ "$status" != 0 ]; then
		show_run make
		return 1
	fi
}

# recorded FILE: the compiler options recorded in FILE.
recorded() {
	readelf -p .GCC.command.line "$1" 2>/dev/null
}

# has FILE WHAT TEXT: TEXT is among FILE's recorded compiler options (WHAT
# switches), its bytes (bytes) or its symbols (symbols).
has() {
	local got
	case $2 in
	switches) got=$(recorded "$1") ;;
	symbols) got=$(readelf -s "$1") ;;
	bytes) grep -q -a -F -- "$3" "$1" && return 0 ;;
	esac
	[ -n "$got" ] && [[ $got == *"$3"* ]] && return 0
	printf '%s: no %s in its %s\n' "$1" "$3" "$2"
	return 1
}

@test "CFLAGS, CPPFLAGS and LDFLAGS from the environment reach the compiler and the linker of both products" {
	local f
	build CFLAGS='-O2 -frecord-gcc-switches -frandom-seed=rsmarkerenv' \
		CPPFLAGS="-include $BATS_FILE_TMPDIR/marker.h" \
		LDFLAGS=-Wl,--defsym=rs_marker_ldflags_env=0 \
		-- runscript librunscript.so
	for f in "$TREE/runscript" "$TREE/librunscript.so"; do
		has "$f" switches -frandom-seed=rsmarkerenv
		# The project's own flags are there too.
		has "$f" switches -std=c11
		has "$f" bytes rs-marker-cppflags-env
		has "$f" symbols rs_marker_ldflags_env
	done
}

@test "a CFLAGS on make's command line wins over the environment's" {
	build CFLAGS='-frecord-gcc-switches -frandom-seed=rsmarkerenv' \
		-- CFLAGS='-O2 -frecord-gcc-switches -frandom-seed=rsmarkercmd' runscript
	has "$TREE/runscript" switches -frandom-seed=rsmarkercmd
	has "$TREE/runscript" switches -std=c11
	if recorded "$TREE/runscript" | grep -q rsmarkerenv; then
		echo "the environment's CFLAGS reached the compiler too"
		recorded "$TREE/runscript"
		return 1
	fi
}

# GNU make defines CFLAGS = -O1 itself in .POSIX mode: the Makefile's own
# default must still be the one used when the environment has none.
@test "with no CFLAGS anywhere, the build uses the Makefile's -O2 -g" {
	build -- build/flags
	grep -q -- ' -O2 -g ' "$TREE/build/flags" || {
		echo "build/flags, the compile and link lines, lack -O2 -g:"
		cat "$TREE/build/flags"
		return 1
	}
}
