#!/usr/bin/env bats
# The library's differential test (tests/libcall-gen.c): random calls of
# every exec and spawn function, on random fixtures, made with and without
# librunscript.so, must print and exit the same. LIBDIFF_CASES sets how
# many cases (make stress sets it much higher), LIBDIFF_SEED the seed; a
# disagreement's line names the case and the command that shows it whole.

load helper
load libcall

GEN=$ROOT/tests/bin/libcall-gen
CASES=${LIBDIFF_CASES:-1500}
SEED=${LIBDIFF_SEED:-1}

setup() {
	[ -f "$LIB" ] || skip "no preload library at $LIB (make builds it)"
	setup_tmpdir
}

# gen ARG...: the generator on $LAUNCH, the argv printer and the work
# directory ./work, captured.
gen() {
	mkdir -p work
	capture "$GEN" -l "$LAUNCH" -a "$ARGV" -d work "$@"
}

@test "libcall-gen: $CASES random calls agree with libc's (seed $SEED)" {
	gen -L "$LIB" -s "$SEED" -n "$CASES"
	printf '%s\n' "$output"
	want_output_has "libcall-gen: seed $SEED: $CASES cases, 0 disagreements"
	want_status 0
}

# The comparison sees a difference: a preload that cannot be loaded makes
# the dynamic loader complain in every run with it.
@test "libcall-gen reports a library that changes what the calls print" {
	gen -L "$PWD/not-a-library.so" -s "$SEED" -n 20
	want_status 1
	want_output_has "DIFFER case 0 (libcall-gen -s $SEED -c 0 -v)"
	want_output_has "libcall-gen: seed $SEED: 20 cases, "
}
