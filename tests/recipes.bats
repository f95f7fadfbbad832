#!/usr/bin/env bats
# The README's recipes, run as written against small test suites that race
# (tests/recipes/): each test writes scripts and runs them at once from many
# threads, and fails, naming "Text file busy", when a launch does. Run
# directly, a suite must fail that way at least once in RECIPE_TRIES runs
# (3), or the load proves nothing here and that test is skipped, saying so;
# run the recipe's way RECIPE_RUNS times (1), it must not fail at all,
# whatever the direct runs did. A tool that is not installed skips its
# tests, naming the Debian package that brings it.

load helper

TRIES=${RECIPE_TRIES:-3}
RUNS=${RECIPE_RUNS:-1}

setup_file() {
	# The recipes name runscript as a command: the one under test, through
	# a link, as runscript finds its library next to its real path.
	mkdir "$BATS_FILE_TMPDIR/bin"
	ln -s "$RUNSCRIPT" "$BATS_FILE_TMPDIR/bin/runscript"
	export RECIPE_PATH=$BATS_FILE_TMPDIR/bin:$PATH
	export RUST_BACKTRACE=0
}

# in_dir DIR CMD...: CMD in DIR with runscript on PATH, stderr with stdout.
in_dir() {
	local dir=$1
	shift
	(cd "$dir" && PATH=$RECIPE_PATH "$@" 2>&1)
}

# fails_directly CMD...: runs CMD until a run fails naming Text file busy;
# skips after $TRIES runs without one, and fails on a run that fails
# otherwise.
fails_directly() {
	local i busy
	for ((i = 1; i <= TRIES; i++)); do
		capture "$@"
		busy=$(grep -c 'Text file busy' <<<"$output") || true
		if [ "$status" != 0 ] && [ "$busy" -gt 0 ]; then
			echo "run $i of $TRIES failed, $busy lines naming Text file busy:"
			grep 'Text file busy' <<<"$output"
			return 0
		fi
		if [ "$status" != 0 ]; then
			show_run "run $i of $TRIES failed, but not with Text file busy"
			return 1
		fi
	done
	skip "kernel $(uname -r): $TRIES direct runs of the suite, none failed with Text file busy, so the load proves nothing here"
}

# never_fails CMD...: $RUNS runs of CMD, none failing.
never_fails() {
	local i
	for ((i = 1; i <= RUNS; i++)); do
		capture "$@"
		if [ "$status" != 0 ] || [[ $output == *'Text file busy'* ]]; then
			show_run "protected run $i of $RUNS"
			return 1
		fi
	done
}

# --- Cargo's runner ----------------------------------------------------------

# cargo_or_skip: sets CARGO to cargo, from PATH or rustup's usual place.
cargo_or_skip() {
	CARGO=$(command -v cargo) || CARGO=$HOME/.cargo/bin/cargo
	[ -x "$CARGO" ] ||
		skip "cargo is not installed (Debian: apt-get install cargo)"
}

# cargo_suite: a copy of tests/recipes/cargo with its own CARGO_HOME and
# target directory, built offline (it has no dependencies); its scripts
# go to RACE_DIR.
cargo_suite() {
	cargo_or_skip
	export CARGO_HOME=$BATS_FILE_TMPDIR/cargo-home
	export CARGO_TARGET_DIR=$BATS_FILE_TMPDIR/cargo-target
	export RACE_DIR=$BATS_TEST_TMPDIR
	SUITE=$BATS_TEST_TMPDIR/suite
	cp -R "$ROOT/tests/recipes/cargo" "$SUITE"
	capture in_dir "$SUITE" "$CARGO" test --offline --lib --no-run
	if [ "$status" != 0 ]; then
		show_run "cargo test --no-run"
		return 1
	fi
}

@test "recipe, Cargo: cargo test of a suite that races fails with Text file busy when run directly" {
	cargo_suite
	fails_directly in_dir "$SUITE" "$CARGO" test --offline --lib
}

@test "recipe, Cargo: with runscript --tree as the runner in .cargo/config.toml, cargo test never fails" {
	local host
	cargo_suite
	host=$(rustc -vV 2>/dev/null | sed -n 's/^host: //p')
	[ -n "$host" ] || host=x86_64-unknown-linux-gnu
	mkdir "$SUITE/.cargo"
	printf '[target.%s]\nrunner = ["runscript", "--tree"]\n' "$host" \
		>"$SUITE/.cargo/config.toml"
	never_fails in_dir "$SUITE" "$CARGO" test --offline --lib -v
	# The runner ran the tests, and all of them passed.
	[[ $output == *'Running `runscript --tree '* ]] || {
		show_run "cargo did not run the tests through runscript --tree"
		return 1
	}
	[[ $output == *'test result: ok. 8 passed; 0 failed'* ]] || {
		show_run "not all 8 tests passed"
		return 1
	}
}

# --- pytest --------------------------------------------------------------------

# pytest_suite: PYTHON, a python3 that has pytest (on PATH, or Debian's),
# and a copy of tests/recipes/pytest.
pytest_suite() {
	local py
	PYTHON=
	for py in python3 /usr/bin/python3; do
		if "$py" -c 'import pytest' 2>/dev/null; then
			PYTHON=$py
			break
		fi
	done
	[ -n "$PYTHON" ] ||
		skip "pytest is not installed (Debian: apt-get install python3-pytest)"
	SUITE=$BATS_TEST_TMPDIR/suite
	cp -R "$ROOT/tests/recipes/pytest" "$SUITE"
	PYTEST=("$PYTHON" -m pytest -q -p no:cacheprovider
		--basetemp="$BATS_TEST_TMPDIR/tmp")
}

@test "recipe, pytest: a suite that races fails with Text file busy when run directly" {
	pytest_suite
	fails_directly in_dir "$SUITE" "${PYTEST[@]}"
}

@test "recipe, pytest: runscript --tree python3 -m pytest never fails" {
	pytest_suite
	never_fails in_dir "$SUITE" runscript --tree "${PYTEST[@]}"
	[[ $output == *' passed'* ]] || {
		show_run "pytest did not pass"
		return 1
	}
}
