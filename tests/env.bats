#!/usr/bin/env bats
# shellcheck disable=SC2154 # kstatus, kout, kerr: set by helper.bash
# "#!/usr/bin/env NAME" (issue 10): for a plain command name, runscript does
# env's job itself, execvp(NAME, [NAME, SCRIPT, ARG...]), NAME's own #!
# chain resolved as any other. The oracle is the direct run: the kernel
# runs the real env, whose execvp searches PATH. Both must agree on the
# argv (and descriptors) the program sees and on the exit status; where env
# fails, runscript says so in its own words. Everything else on an env line
# (options, assignments, -S, a blank in the argument) still runs env.

load helper

# Tests that hold fd 9 open undo it here, also when they fail.
teardown() {
	exec 9>&- || true
}

setup() {
	setup_tmpdir
	mkdir bin
	PATH=$PWD/bin:$PATH
}

# execs CMD...: run CMD under strace and set execs to the files it exec'd,
# successfully, one a line, in order. Skips where strace cannot trace.
execs() {
	command -v strace >/dev/null ||
		skip "strace is missing: cannot see which programs are exec'd"
	strace -f -qq -o /dev/null true 2>/dev/null ||
		skip "strace cannot trace here (ptrace not permitted)"
	strace -f -qq -e trace=execve -e signal=none -o trace.out "$@" \
		>/dev/null 2>&1 || true
	execs=$(sed -n 's/^[0-9]* *execve("\([^"]*\)".* = 0$/\1/p' trace.out)
}

# want_execs LINE...: the files execs saw exec'd, exactly.
want_execs() {
	local want
	want=$(printf '%s\n' "$@")
	[ "$execs" = "$want" ] && return 0
	printf 'want exec'\''d:\n%s\ngot:\n%s\n--- strace\n' "$want" "$execs"
	cat trace.out
	return 1
}

# argv_is WORD...: the last capture's stdout starts with the argv printer's
# report of exactly WORD... as its argv.
argv_is() {
	local want i=0 w
	want="argc: $#"
	for w in "$@"; do
		want+=$'\n'"argv[$i]: $w"
		i=$((i + 1))
	done
	[[ $output == "$want"$'\n'* ]] && return 0
	printf 'want argv:\n%s\n' "$want"
	show_run got
	return 1
}

# --- NAME is found and run: runscript does env's job -----------------------

@test "an ELF program on PATH gets NAME, SCRIPT, ARG... as through env" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	same_as_kernel ./x a 'b c' ''
	want_status 0
	argv_is myprog ./x a 'b\x20c' ''
}

@test "the shortcut is taken: NAME is exec'd, /usr/bin/env never" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	execs env -- ./x a
	want_execs "$(command -v env)" ./x "$PWD/bin/myprog"
	execs "$RUNSCRIPT" ./x a
	want_execs "$RUNSCRIPT" "$PWD/bin/myprog"
}

@test "-n prints env NAME for a program, which gives it argv[0] NAME as the run does; a script's own chain" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	capture "$RUNSCRIPT" -n ./x a 'b c'
	want_status 0
	want_output "/usr/bin/env myprog ./x a 'b c'"
	mkscript bin/mycmd "#!$PWD/p -o\n"
	mkscript x '#!/usr/bin/env mycmd\n'
	capture "$RUNSCRIPT" -n ./x a
	want_status 0
	want_output "$PWD/p -o $PWD/bin/mycmd ./x a"
	mkscript bin/mysh 'echo\n'
	mkscript x '#!/usr/bin/env mysh\n'
	capture "$RUNSCRIPT" -n ./x a
	want_status 0
	want_output "/bin/sh $PWD/bin/mysh ./x a"
	mkscript x '#!/usr/bin/env nope\n'
	capture "$RUNSCRIPT" -n ./x a
	want_status 127
	want_output ''
	want_stderr "runscript: ./x: /usr/bin/env nope: command not found"
}

@test "/bin/env takes the shortcut as /usr/bin/env does" {
	[ -x /bin/env ] || skip "/bin/env does not exist here"
	cp p bin/myprog
	mkscript x '#!/bin/env myprog\n'
	same_as_kernel ./x a
	want_status 0
	argv_is myprog ./x a
	execs "$RUNSCRIPT" ./x a
	want_execs "$RUNSCRIPT" "$PWD/bin/myprog"
}

@test "only env by exactly /usr/bin/env or /bin/env: /usr/bin//env runs env" {
	cp p bin/myprog
	mkscript x '#!/usr/bin//env myprog\n'
	same_as_kernel ./x a
	want_status 0
	argv_is myprog ./x a
	execs "$RUNSCRIPT" ./x a
	want_execs "$RUNSCRIPT" /usr/bin//env "$PWD/bin/myprog"
}

@test "the #! line's spellings: blanks before and after NAME, a tab" {
	cp p bin/myprog
	for line in '#! /usr/bin/env myprog' '#!/usr/bin/env\tmyprog' \
		'#!/usr/bin/env   myprog \t ' '#!/usr/bin/env myprog\t'; do
		echo "line: $line"
		mkscript x "$line\n"
		same_as_kernel ./x a
		want_status 0
		argv_is myprog ./x a
	done
}

@test "SCRIPT found on PATH: NAME gets the path the search built" {
	cp p bin/myprog
	mkscript bin/x '#!/usr/bin/env myprog\n'
	same_as_kernel x a
	want_status 0
	argv_is myprog "$PWD/bin/x" a
}

@test "NAME with a '/': run as it is, relative to the current directory" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env bin/myprog\n'
	same_as_kernel ./x a
	want_status 0
	argv_is bin/myprog ./x a
}

@test "NAME's own #! line is resolved: a script on PATH" {
	mkscript bin/mycmd "#!$PWD/p -o\n"
	mkscript x '#!/usr/bin/env mycmd\n'
	same_as_kernel ./x a
	want_status 0
	argv_is "$PWD/p" -o "$PWD/bin/mycmd" ./x a
	execs "$RUNSCRIPT" ./x a
	want_execs "$RUNSCRIPT" "$PWD/p"
}

@test "a script on PATH that names another through env: env's job twice" {
	cp p bin/myprog
	mkscript bin/mycmd '#!/usr/bin/env myprog\n'
	mkscript x '#!/usr/bin/env mycmd\n'
	same_as_kernel ./x a
	want_status 0
	argv_is myprog "$PWD/bin/mycmd" ./x a
	execs "$RUNSCRIPT" ./x a
	want_execs "$RUNSCRIPT" "$PWD/bin/myprog"
}

@test "a chain of 12 commands naming the next through env runs as through env" {
	# More than runscript does itself (8): env then carries on.
	cp p bin/c13
	for n in $(seq 12); do
		mkscript "bin/c$n" "#!/usr/bin/env c$((n + 1))\n"
	done
	mkscript x '#!/usr/bin/env c1\n'
	same_as_kernel ./x a
	want_status 0
	want_output_has "argv[0]: c13"
	want_output_has "argv[13]: ./x"
}

@test "env below the first level: the line of the script that names it" {
	cp p bin/myprog
	mkscript mid '#!/usr/bin/env myprog\n'
	mkscript x '#!./mid -m\n'
	same_as_kernel ./x a
	want_status 0
	argv_is myprog ./mid -m ./x a
}

@test "NAME's chain gets a fresh nesting count, as env's exec does" {
	# x: s1 -> ... -> sK -> env n1;  n1 on PATH: t1 -> ... -> tK -> ./p.
	mkscript bin/t1 "#!$PWD/p -t1\n"
	mkscript s1 '#!/usr/bin/env t7\n'
	for n in 2 3 4 5 6 7; do
		mkscript "bin/t$n" "#!$PWD/bin/t$((n - 1)) -t$n\n"
		mkscript "s$n" "#!./s$((n - 1)) -s$n\n"
	done
	for k in 1 2 3 4 5 6 7; do
		mkscript s1 "#!/usr/bin/env t$k\n"
		for j in 1 2 3 4 5 6 7; do
			echo "$j scripts, then env, then $k scripts"
			same_as_kernel "./s$j" a
		done
	done
	# 5 and 5: more than the kernel runs in one exec, fine in two.
	mkscript s1 '#!/usr/bin/env t4\n'
	same_as_kernel ./s5 a
	want_status 0
}

@test "an empty file on PATH: ENOEXEC, /bin/sh runs it" {
	mkscript bin/mysh ''
	mkscript x '#!/usr/bin/env mysh\n'
	same_with_stderr ./x a
	want_status 0
	want_output ''
}

@test "a file on PATH that is no program: ENOEXEC, /bin/sh fails on it alike" {
	mkscript bin/mysh '\177ELF\002\001\001\0\0\0\0\0\0\0\0\0garbage\n'
	mkscript x '#!/usr/bin/env mysh\n'
	same_with_stderr ./x a
	want_failure
}

@test "NAME a script whose interpreter is a shebang-less file: /bin/sh runs NAME" {
	mkscript txt 'echo never\n'
	mkscript bin/mycmd "#!$PWD/txt\nprintf '[%s]' \"\$0\" \"\$@\"; echo\n"
	mkscript x '#!/usr/bin/env mycmd\n'
	same_with_stderr ./x a
	want_status 0
	want_output "[$PWD/bin/mycmd][./x][a]"
}

@test "a shebang-less text file on PATH: ENOEXEC, /bin/sh runs it" {
	mkscript bin/mysh 'printf "[%s]" "$0" "$@"; echo\n'
	mkscript x '#!/usr/bin/env mysh\n'
	same_with_stderr ./x a 'b c'
	want_status 0
	want_output "[$PWD/bin/mysh][./x][a][b c]"
}

@test "ENOEXEC through a relative PATH element: /bin/sh gets the built path" {
	mkdir d
	mkscript d/mysh 'printf "[%s]" "$0" "$@"; echo\n'
	mkscript x '#!/usr/bin/env mysh\n'
	on_path d ./x a
	want_status 0
	want_output "[d/mysh][./x][a]"
}

@test "the program keeps the environment, descriptors and process id" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	exec 7</dev/null
	kernel_run env -- MYVAR='v a l' ARGV_ENV=MYVAR ./x a
	capture env -- MYVAR='v a l' ARGV_ENV=MYVAR "$RUNSCRIPT" ./x a
	exec 7<&-
	like_kernel
	grep -Eq '^fds:( [0-9]+)* 7( |$)' <<<"$output" ||
		{ show_run 'want descriptor 7 open' && false; }
	want_output_has 'env MYVAR: v\x20a\x20l'
	# The process runscript is started as is the one the program runs as.
	capture sh -c 'echo "pid: $$"; ARGV_PID=1 exec "$1" ./x' sh "$RUNSCRIPT"
	want_status 0
	[ "$(grep -c "^pid: $(sed -n '1s/^pid: //p' <<<"$output")\$" <<<"$output")" = 2 ] ||
		{ show_run 'two different pids' && false; }
}

@test "a NAME script held open for writing runs through runscript, not directly" {
	cp p bin/other
	mkscript bin/mycmd "#!$PWD/p -o\n"
	mkscript x '#!/usr/bin/env mycmd\n'
	# What runs when it is free, with descriptor 9 open all the same.
	exec 9>>bin/other
	kernel_run env -- ./x a
	exec 9>&-
	want_status 0
	free_out=$kout
	exec 9>>bin/mycmd
	capture env -- ./x a
	want_status 126
	want_stderr_has "Text file busy"
	capture "$RUNSCRIPT" ./x a
	want_status 0
	want_output "$free_out"
}

# --- the PATH search ---------------------------------------------------------

@test "NAME shadowed by an earlier non-executable match: the later one runs" {
	mkdir d1 d2
	mkfile d1/myprog 644 'not executable\n'
	cp p d2/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	on_path "$PWD/d1:$PWD/d2" ./x a
	want_status 0
	argv_is myprog ./x a
}

@test "NAME shadowed by an earlier directory: the later one runs" {
	mkdir -p d1/myprog d2
	cp p d2/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	on_path "$PWD/d1:$PWD/d2" ./x a
	want_status 0
}

@test "NAME shadowed by an earlier script whose interpreter is missing (ENOENT)" {
	mkdir d1 d2
	mkscript d1/myprog '#!/nonexistent/interp\n'
	cp p d2/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	on_path "$PWD/d1:$PWD/d2" ./x a
	want_status 0
	argv_is myprog ./x a
}

@test "an earlier match whose chain is too deep (ELOOP) ends the search" {
	mkdir d1 d2
	mkscript d1/t1 "#!$PWD/p\n"
	for n in 2 3 4 5 6 7; do
		mkscript "d1/t$n" "#!$PWD/d1/t$((n - 1))\n"
	done
	mv d1/t7 d1/myprog
	cp p d2/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	on_path "$PWD/d1:$PWD/d2" ./x a
	want_status 126
}

@test "an earlier match that is a symlink loop (ELOOP) ends the search" {
	mkdir d1 d2
	ln -s myprog d1/myprog
	cp p d2/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	on_path "$PWD/d1:$PWD/d2" ./x a
	want_status 126
}

@test "an earlier match that runs and fails in its own env job ends the search" {
	# Exec'ing d1/myprog succeeds; the env it runs then fails.
	mkdir d1 d2
	mkscript d1/myprog '#!/usr/bin/env nope\n'
	cp p d2/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	on_path "$PWD/d1:$PWD/d2" ./x a
	want_status 127
	want_stderr "runscript: $PWD/d1/myprog: /usr/bin/env nope: command not found"
}

@test "a PATH element that is a file (ENOTDIR) is passed over" {
	touch notdir
	mkdir d
	cp p d/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	on_path "$PWD/notdir:$PWD/d" ./x a
	want_status 0
}

@test "PATH unset: env's default path, /bin:/usr/bin" {
	mkscript x '#!/usr/bin/env echo\n'
	without_path ./x a 'b c'
	want_status 0
	want_output './x a b c'
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	without_path ./x a
	want_status 127
	first_line_is "runscript: ./x: /usr/bin/env myprog: command not found"
}

@test "PATH empty: NAME is looked for in the current directory" {
	cp p myprog
	mkscript x '#!/usr/bin/env myprog\n'
	on_path '' ./x a
	want_status 0
	argv_is myprog ./x a
}

@test "PATH with empty elements: each means the current directory" {
	cp p myprog
	mkscript x '#!/usr/bin/env myprog\n'
	mkdir d
	for p in ":$PWD/d" "$PWD/d:" "$PWD/d::$PWD/d" ':' '::'; do
		echo "PATH=$p"
		on_path "$p" ./x a
		want_status 0
		argv_is myprog ./x a
	done
	mkscript mysh 'printf "[%s]" "$0" "$@"; echo\n'
	mkscript x '#!/usr/bin/env mysh\n'
	on_path "$PWD/d::" ./x a
	want_status 0
	want_output '[mysh][./x][a]'
}

# --- NAME cannot be run: env's status, runscript's words ---------------------

@test "NAME nowhere on PATH: 127, naming env and NAME" {
	mkscript x '#!/usr/bin/env myprog\n'
	same_as_kernel ./x a
	want_status 127
	want_stderr "runscript: ./x: /usr/bin/env myprog: command not found"
}

@test "NAME's script names a missing command through env: that script is named" {
	mkscript bin/mycmd '#!/usr/bin/env nope\n'
	mkscript x '#!/usr/bin/env mycmd\n'
	same_as_kernel ./x a
	want_status 127
	want_stderr "runscript: $PWD/bin/mycmd: /usr/bin/env nope: command not found"
}

@test "a chain of 1 to 11 commands through env, the last missing: 127 as env" {
	for n in $(seq 11); do
		mkscript "bin/c$n" "#!/usr/bin/env c$((n + 1))\n"
	done
	for n in $(seq 11); do
		echo "c$n, through env, names missing c$((n + 1)) at the end"
		mkscript x "#!/usr/bin/env c$((12 - n))\n"
		same_as_kernel ./x a
		want_status 127
	done
}

@test "NAME ending in a CR (DOS line endings): 127, caret notation and a hint" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog\r\n'
	same_as_kernel ./x a
	want_status 127
	first_line_is "runscript: ./x: /usr/bin/env myprog^M: command not found"
	has_hint ./x "DOS line endings"
}

@test "NAME with a '/' that does not exist: 127" {
	mkscript x '#!/usr/bin/env nope/myprog\n'
	same_as_kernel ./x a
	want_status 127
	first_line_is "runscript: nope/myprog: No such file or directory"
	want_stderr_has "runscript: ./x: its #! line runs nope/myprog through /usr/bin/env"
}

@test "NAME not executable: 126, the file, then the script that named it" {
	mkfile bin/myprog 644 'not executable\n'
	mkscript x '#!/usr/bin/env myprog\n'
	same_as_kernel ./x a
	want_status 126
	first_line_is "runscript: $PWD/bin/myprog: Permission denied"
	has_hint "$PWD/bin/myprog" "chmod +x"
	want_stderr_has "runscript: ./x: its #! line runs myprog through /usr/bin/env"
}

@test "NAME a directory: 126" {
	mkdir bin/myprog
	mkscript x '#!/usr/bin/env myprog\n'
	same_as_kernel ./x a
	want_status 126
	first_line_is "runscript: $PWD/bin/myprog: Permission denied"
	has_hint "$PWD/bin/myprog" "it is a directory"
	want_stderr_has "runscript: ./x: its #! line runs myprog through /usr/bin/env"
}

@test "NAME a script whose interpreter is missing: 127" {
	mkscript bin/mycmd '#!/nonexistent/interp\n'
	mkscript x '#!/usr/bin/env mycmd\n'
	same_as_kernel ./x a
	want_status 127
	first_line_is "runscript: $PWD/bin/mycmd: bad interpreter '/nonexistent/interp': No such file or directory"
	want_stderr_has "runscript: ./x: its #! line runs mycmd through /usr/bin/env"
}

@test "NAME a script whose interpreter is not executable: 126" {
	mkfile q 644 ''
	mkscript bin/mycmd "#!$PWD/q\n"
	mkscript x '#!/usr/bin/env mycmd\n'
	same_as_kernel ./x a
	want_status 126
	first_line_is "runscript: $PWD/bin/mycmd: bad interpreter '$PWD/q': Permission denied"
	want_stderr_has "runscript: ./x: its #! line runs mycmd through /usr/bin/env"
}

@test "NAME's own chain too deep: 126 (ELOOP), as env's exec" {
	mkscript bin/t1 "#!$PWD/p\n"
	for n in 2 3 4 5 6 7; do
		mkscript "bin/t$n" "#!$PWD/bin/t$((n - 1))\n"
	done
	mkscript x '#!/usr/bin/env t7\n'
	same_as_kernel ./x a
	want_status 126
	want_stderr_has "runscript: ./x: its #! line runs t7 through /usr/bin/env"
}

@test "NAME that names itself through env loops as it does without runscript" {
	mkscript bin/loop '#!/usr/bin/env loop\n'
	mkscript x '#!/usr/bin/env loop\n'
	kernel_run timeout 1 env -- ./x
	capture timeout 1 "$RUNSCRIPT" ./x
	like_kernel
	want_status 124
}

# --- the lines env still runs ------------------------------------------------

@test "an env -S line runs env, which splits it" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env -S myprog -u\n'
	same_with_stderr ./x a
	want_status 0
	argv_is myprog -u ./x a
	execs "$RUNSCRIPT" ./x a
	want_execs "$RUNSCRIPT" /usr/bin/env "$PWD/bin/myprog"
}

@test "an env option without -S runs env: --version" {
	mkscript x '#!/usr/bin/env --version\n'
	same_with_stderr ./x a
	want_status 0
	want_output_has "env"
}

@test "an env option without -S runs env: '-i myprog' fails in env's words" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env -i myprog\n'
	same_with_stderr ./x a
	want_status 125
}

@test "a blank in the argument, no -S: env looks for one name; runscript fails as env, then hints" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog -u\n'
	kernel_run env -- ./x a
	want_status 127
	capture "$RUNSCRIPT" ./x a
	like_kernel
	first_line_is "runscript: ./x: /usr/bin/env myprog -u: command not found"
	has_hint ./x "/usr/bin/env looks for one command named 'myprog -u'"
	execs "$RUNSCRIPT" ./x a
	want_execs "$RUNSCRIPT"
}

@test "a blank in the argument, no -S, and a command of that name: env runs it" {
	cp p 'bin/myprog -u'
	mkscript x '#!/usr/bin/env myprog -u\n'
	same_with_stderr ./x a
	want_status 0
	argv_is 'myprog\x20-u' ./x a
}

@test "a tab in the argument, no -S: fails as env does, with 127" {
	cp p bin/myprog
	mkscript x '#!/usr/bin/env myprog\t-u\n'
	kernel_run env -- ./x a
	want_status 127
	capture "$RUNSCRIPT" ./x a
	like_kernel
	first_line_is "runscript: ./x: /usr/bin/env myprog^I-u: command not found"
}

# runscript -S on "#!/usr/bin/env WORDS" against the kernel on
# "#!/usr/bin/env -S WORDS": the same argv, and env spared only when the
# first word is a plain command name.

# split_like_env_S WORDS: x says "#!/usr/bin/env WORDS"; runscript -S on it
# agrees with the direct run of "#!/usr/bin/env -S WORDS".
split_like_env_S() {
	mkscript x "#!/usr/bin/env -S $1\n"
	kernel_run env -- ./x a 'b c'
	mkscript x "#!/usr/bin/env $1\n"
	capture "$RUNSCRIPT" -S ./x a 'b c'
	like_kernel
}

@test "-S: NAME plus options for NAME, as env -S; NAME runs without env" {
	cp p bin/myprog
	split_like_env_S 'myprog -u  -v'
	want_status 0
	argv_is myprog -u -v ./x a 'b\x20c'
	execs "$RUNSCRIPT" -S ./x a
	want_execs "$RUNSCRIPT" "$PWD/bin/myprog"
	capture "$RUNSCRIPT" -n -S ./x a
	want_output "/usr/bin/env myprog -u -v ./x a"
}

@test "-S: NAME not found: 127 as env -S" {
	split_like_env_S 'myprog -u'
	want_status 127
	first_line_is "runscript: ./x: /usr/bin/env myprog: command not found"
}

@test "-S: an option first (-i) runs env, which empties the environment" {
	cp p bin/myprog
	export MYVAR=set ARGV_ENV=MYVAR
	split_like_env_S '-i bin/myprog -u'
	want_status 0
	argv_is bin/myprog -u ./x a 'b\x20c'
	execs "$RUNSCRIPT" -S ./x a
	want_execs "$RUNSCRIPT" /usr/bin/env bin/myprog
}

@test "-S: an assignment first runs env, which sets it" {
	cp p bin/myprog
	export ARGV_ENV=MYVAR
	split_like_env_S 'MYVAR=v myprog -u'
	want_status 0
	want_output_has "env MYVAR: v"
	execs "$RUNSCRIPT" -S ./x a
	want_execs "$RUNSCRIPT" /usr/bin/env "$PWD/bin/myprog"
}
