#!/usr/bin/env bats
# PATH search for a SCRIPT without '/': it must find what glibc's execvp finds
# (env(1) runs the same name with the same PATH, and the kernel decides), and
# hand the interpreter the path the search built.

load helper

# Each fixture script names where it lives in its #! argument, so the output
# shows which one ran and which path its interpreter was given.
mkwhere() {
	mkscript "$1" "#!./p $1\n"
}

@test "a name without '/' is found in the second PATH directory" {
	mkdir d1 d2
	touch d1/other
	mkwhere d2/x
	on_path "$PWD/d1:$PWD/d2" x a 'b c'
	want_status 0
}

@test "the first match on PATH wins" {
	mkdir d1 d2
	mkwhere d1/x
	mkwhere d2/x
	on_path "$PWD/d1:$PWD/d2" x
	want_status 0
}

@test "the interpreter gets the path the search built: absolute dir + /x" {
	mkdir d
	mkwhere d/x
	on_path "$PWD/d" x a
	want_output_has "$PWD/d/x"
}

@test "the interpreter gets the path the search built: relative dir d/x" {
	mkdir d
	mkwhere d/x
	on_path d x a
	want_status 0
}

@test "the interpreter gets the path the search built: element with a trailing /" {
	mkdir d
	mkwhere d/x
	on_path "$PWD/d/" x
	want_status 0
}

@test "a name found nowhere on PATH: 127, 'command not found'" {
	mkdir d1 d2
	on_path "$PWD/d1:$PWD/d2" x
	want_status 127
	want_stderr "runscript: x: command not found"
}

@test "unset PATH: the default path finds sh" {
	without_path sh -c 'echo "$0:$1:$#"' one
	want_status 0
}

@test "unset PATH: the default path does not include the current directory" {
	mkwhere x
	without_path x
	want_failure
}

@test "empty PATH variable: the name is looked up in the current directory" {
	mkwhere x
	on_path "" x a
	want_status 0
}

@test "a leading empty PATH element means the current directory (bare name)" {
	mkdir d
	mkwhere x
	mkwhere d/x
	on_path ":$PWD/d" x a
	want_status 0
}

@test "a trailing empty PATH element means the current directory" {
	mkdir d
	mkwhere x
	on_path "$PWD/d:" x a
	want_status 0
}

@test "an empty PATH element in the middle means the current directory" {
	mkdir d e
	mkwhere x
	mkwhere e/x
	on_path "$PWD/d::$PWD/e" x a
	want_status 0
}

@test "a non-executable match is skipped and a later one runs" {
	mkdir d1 d2
	mkfile d1/x 644 '#!./p d1/x\n'
	mkwhere d2/x
	on_path "$PWD/d1:$PWD/d2" x
	want_status 0
}

@test "only a non-executable match: 126 (EACCES)" {
	mkdir d1
	mkfile d1/x 644 '#!./p d1/x\n'
	on_path "$PWD/d1" x
	want_status 126
}

@test "EACCES wins over ENOENT at the end of the search (EACCES first)" {
	mkdir d1 d2 d3
	mkfile d1/x 644 '#!./p d1/x\n'
	on_path "$PWD/d1:$PWD/d2:$PWD/d3" x
	want_status 126
}

@test "EACCES wins over ENOENT at the end of the search (EACCES last)" {
	mkdir d1 d2 d3
	mkfile d3/x 644 '#!./p d3/x\n'
	on_path "$PWD/d1:$PWD/d2:$PWD/d3" x
	want_status 126
}

@test "a directory with the name on PATH is skipped" {
	mkdir -p d1/x d2
	mkwhere d2/x
	on_path "$PWD/d1:$PWD/d2" x
	want_status 0
}

@test "only a directory with the name on PATH: as the kernel (EACCES)" {
	mkdir -p d1/x d2
	on_path "$PWD/d1:$PWD/d2" x
	want_failure
}

@test "a match whose interpreter is missing: the search goes on as execvp's does" {
	mkdir d1 d2
	mkscript d1/x '#!./nope\n'
	mkwhere d2/x
	on_path "$PWD/d1:$PWD/d2" x a
}

@test "only a match whose interpreter is missing: as the kernel" {
	mkdir d1
	mkscript d1/x '#!./nope\n'
	on_path "$PWD/d1" x a
	want_failure
}

@test "a match whose interpreter is not executable: the search goes on" {
	mkdir d1 d2
	cp p q
	chmod 644 q
	mkscript d1/x '#!./q\n'
	mkwhere d2/x
	on_path "$PWD/d1:$PWD/d2" x a
}

@test "a match whose interpreters loop (ELOOP) stops the search as execvp's does" {
	mkdir d1 d2
	mkscript d1/x '#!./d1/x\n'
	mkwhere d2/x
	on_path "$PWD/d1:$PWD/d2" x a
}

@test "a match without #! runs by /bin/sh (ENOEXEC), no further search" {
	mkdir d1 d2
	mkscript d1/x 'exec ./p from-d1-by-sh "$0" "$@"\n'
	mkwhere d2/x
	on_path "$PWD/d1:$PWD/d2" x a 'b c'
	want_status 0
}

@test "an ELF binary found on PATH is run with argv[0] as given" {
	mkdir d
	cp p d/prog
	on_path "$PWD/d" prog a
	want_status 0
}

@test "a PATH element that is a regular file (ENOTDIR) is skipped" {
	mkdir d
	touch f
	mkwhere d/x
	on_path "$PWD/f:$PWD/d" x
	want_status 0
}

@test "a PATH of only a regular file (ENOTDIR): as the kernel" {
	touch f
	on_path "$PWD/f" x
	want_failure
}

@test "a PATH element that does not exist is skipped" {
	mkdir d
	mkwhere d/x
	on_path "$PWD/missing:$PWD/d" x
	want_status 0
}

@test "a name with '/' is not searched: d/x on PATH but not under cwd -> 127" {
	mkdir -p e/d
	mkwhere e/d/x
	on_path "$PWD/e" d/x
	want_status 127
}

@test "a name with '/' is run relative to cwd, not searched" {
	mkdir -p e/d d
	mkwhere e/d/x
	mkwhere d/x
	on_path "$PWD/e" d/x a
	want_status 0
}

@test "empty SCRIPT '' is not found: 127" {
	mkdir d
	on_path "$PWD/d" ''
	want_status 127
}

@test "empty SCRIPT '' is not found even with an empty PATH element: 127" {
	mkwhere x
	on_path ":$PWD" ''
	want_status 127
}

@test "a PATH-found script with a chain of interpreters gets the built path" {
	mkdir d
	mkscript y '#!./p -y\n'
	mkscript d/x '#!./y -x\n'
	on_path "$PWD/d" x a
	want_status 0
}

@test "a name longer than NAME_MAX: as the kernel (ENAMETOOLONG)" {
	mkdir d
	printf -v name '%*s' 256 ''
	name=${name// /n}
	on_path "$PWD/d" "$name"
	want_status 126
}

@test "a PATH element with a component over NAME_MAX stops the search as execvp's does" {
	mkdir d
	mkwhere d/x
	printf -v long '%*s' 300 ''
	long=/${long// /l}
	on_path "$long:$PWD/d" x
	want_failure
}

@test "a PATH element longer than PATH_MAX is passed over as execvp does" {
	mkdir d
	mkwhere d/x
	printf -v long '%*s' 5000 ''
	long=/${long// /l}
	on_path "$long:$PWD/d" x a
	want_status 0
}

@test "a PATH element longer than PATH_MAX, then the current directory: as execvp" {
	mkdir d
	mkwhere x
	mkwhere d/x
	printf -v long '%*s' 5000 ''
	long=/${long// /l}
	on_path "$long:$PWD/d" x a
	want_status 0
}
