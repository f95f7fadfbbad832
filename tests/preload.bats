#!/usr/bin/env bats
# The preload library against libc. Each fixture is launched through every
# function the library interposes (tests/launch.c calls one of them), once
# without the library, which is the oracle, and once with
# LD_PRELOAD=librunscript.so: the two runs must print the same on stdout
# (the argv printer's argument vector and descriptors, the errno or the
# return value by name, the child's status) and on stderr, and exit the
# same. No expected result is typed here; a check on the oracle's run only
# makes sure a fixture reaches the case its test is named after.
#
# Three kinds of test go further. A library that does nothing would pass
# every comparison, so the ETXTBSY tests show it active: a busy script runs
# with it as libc runs the script when not busy. Where the library differs
# from the kernel by design (#! lines of 256 to 8191 bytes), its run is
# compared with libc's run of the argument vector written out. Where it
# disagrees with libc and the disagreement is reported but not fixed, the
# test skips naming it while the library shows exactly that difference,
# and fails on any other.

# shellcheck disable=SC2016 # '$@' and '$HOME' in fixtures are meant literally

load helper
load libcall

SH_BODY='exec ./p from-sh "$@"\n'

setup() {
	[ -f "$LIB" ] || skip "no preload library at $LIB (make builds it)"
	setup_tmpdir
}

teardown() {
	if [ -n "${MNT:-}" ] && mountpoint -q "$MNT"; then
		umount "$MNT"
	fi
	exec 9>&- || true
	if [ -n "${BG:-}" ]; then
		kill "$BG" 2>/dev/null || true
		wait "$BG" 2>/dev/null || true
	fi
}

# mkwhere PATH: a script whose #! argument names where it lives.
mkwhere() {
	mkscript "$1" "#!./p $1\n"
}

# seconds_since T: prints the seconds elapsed since $EPOCHREALTIME was T,
# to the millisecond.
seconds_since() {
	local now=$EPOCHREALTIME
	awk -v a="$1" -v b="$now" 'BEGIN { printf "%.3f", b - a }'
}

# long_arg N: a printable argument of N bytes with inner blanks.
long_arg() {
	local n=$1 s=''
	while [ "${#s}" -lt "$n" ]; do s+='-long arg'; done
	printf '%s' "${s:0:n}"
}

# lib_as_given WANT... -- ARG...: for every method, the library's run of
# ARG... prints and exits as libc's run of WANT..., an argument vector
# written out, and libc's run of ARG... does not: where the library differs
# from the kernel by design.
lib_as_given() {
	local i m w bad=0
	for ((i = 1; i <= $#; i++)); do
		[ "${!i}" != -- ] || break
	done
	local want=("${@:1:i-1}") args=("${@:i+1}")
	for m in $ALL; do
		launch_run '' "$m" "${want[@]}"
		w="status $status"$'\n'"$output"
		launch_run "$LIB" "$m" "${args[@]}"
		if [ "status $status"$'\n'"$output" != "$w" ]; then
			printf '=== %s: the library runs %s not as %s\n' "$m" "${args[*]:0:1}" "${want[*]:0:1}"
			show_run "with the library"
			printf -- '--- libc, the vector written out:\n%s\n' "$w"
			bad=1
		fi
		launch_run '' "$m" "${args[@]}"
		if [ "status $status"$'\n'"$output" = "$w" ]; then
			echo "=== $m: libc alone now runs ${args[*]:0:1} as the library does"
			bad=1
		fi
	done
	return "$bad"
}

# --- the #! line ----------------------------------------------------------

@test "an interpreter with an argument gets it, then the script, then the arguments" {
	mkscript x '#!./p -o\n'
	each "$ALL" ./x A 'B C'
	oracle_has execve 'argv[1]: -o'
}

@test "an interpreter without an argument gets the script, then the arguments" {
	mkscript x '#!./p\n'
	each "$ALL" ./x A 'B C'
	oracle_has posix_spawn 'argc: 4'
}

@test "blanks around the interpreter and the argument are trimmed, inner blanks kept" {
	mkscript x '#! \t./p \t a \t b  \t\n'
	each "$ALL" ./x A
	oracle_has execve 'argv[1]: a\x20\x09\x20b'
	mkscript y '#!./p \t \n'
	each "$ALL" ./y A
	oracle_has execve 'argc: 3'
}

@test "a carriage return after the interpreter is part of its name: ENOENT" {
	mkscript x '#!./p\r\n'
	each "$ALL" ./x A
	oracle_has execve 'errno=ENOENT'
}

@test "a carriage return ending the argument is part of it" {
	mkscript x '#!./p -x\r\n'
	each "$ALL" ./x A
	oracle_has execve 'argv[1]: -x\x0d'
}

@test "vertical tab and form feed are not blanks" {
	mkscript x '#!./p\v-x\n'
	each "$ALL" ./x A
	oracle_has execve 'errno=ENOENT'
	mkscript y '#!./p \f-x\v\n'
	each "$ALL" ./y A
	oracle_has execve 'argv[1]: \x0c-x\x0b'
}

@test "shell and quoting bytes, and bytes 0x80-0xff, pass unchanged" {
	mkscript x "#!./p '\"a b\"' \\\\\$HOME * ; | \`x\` \xff\xfe\n"
	each "$ALL" ./x A
	oracle_has execve 'status 0'
}

@test "a NUL before the newline ends the line there: trailing blanks kept" {
	mkscript x '#!./p a b \t\0 c\n'"$SH_BODY"
	each "$ALL" ./x A
	oracle_has execve 'argv[1]: a\x20b\x20\x09'
}

@test "a NUL right after the interpreter gives no argument, after a blank an empty one" {
	mkscript x '#!./p\0 -x\n'"$SH_BODY"
	each "$ALL" ./x A
	oracle_has execve 'argc: 3'
	mkscript y '#!./p \0\n'"$SH_BODY"
	each "$ALL" ./y A
	oracle_has execve 'argc: 4'
}

@test "a NUL where the interpreter would be is as #! at end of file" {
	mkscript x '#!\0\n'"$SH_BODY"
	each "$ALL" ./x A
	mkscript y '#! \t\0\n'"$SH_BODY"
	each "$ALL" ./y A
}

@test "without a newline at end of file: trailing blanks kept, a bare interpreter gets no argument" {
	mkscript x '#!./p a \t '
	each "$ALL" ./x A
	oracle_has execve 'argv[1]: a\x20\x09\x20'
	mkscript y '#!./p '
	each "$ALL" ./y A
	oracle_has execve 'argc: 4'
	mkscript z '#!./p'
	each "$ALL" ./z A
	oracle_has execve 'argc: 3'
}

@test "#! and a newline, or #! and blanks and a newline, is ENOEXEC" {
	mkscript x '#!\n'"$SH_BODY"
	each "$ALL" ./x A 'B C'
	oracle_has execve 'errno=ENOEXEC'
	oracle_has execvp 'argv[1]: from-sh'
	oracle_has posix_spawn 'return=ENOEXEC'
	mkscript y '#! \t  \n'"$SH_BODY"
	each "$ALL" ./y A ''
	oracle_has execve 'errno=ENOEXEC'
}

@test "#! at end of file, alone or with blanks, fails as libc does" {
	mkscript x '#!'
	each "$ALL" ./x A
	oracle_has execve 'status 99'
	mkscript y '#!  \t'
	each "$ALL" ./y A
}

# --- #! lines longer than the kernel's 256-byte buffer ---------------------
# The library resolves as the runscript binary does, so it differs from the
# kernel on purpose up to 8191 bytes; past that its resolver gives up and
# the library leaves the file to the kernel (where the binary refuses it).

@test "a #! line of 300 or 4096 bytes: the library passes its whole argument, where the kernel truncates it" {
	local n arg
	for n in 300 4096; do
		arg=$(long_arg $((n - 7)))
		printf '#!./p %s\n%b' "$arg" "$SH_BODY" >x
		chmod 755 x
		[ "$(head -n 1 x | wc -c)" = "$n" ]
		lib_as_given ./p "$arg" ./x A -- ./x A
	done
}

@test "an interpreter path longer than 256 bytes: the library runs it, where the kernel gives up" {
	local d=. i
	for i in 1 2 3 4 5 6; do
		d+=/directory-name-of-about-fifty-bytes-to-make-a-long-path-$i
	done
	mkdir -p "$d"
	cp p "$d/p"
	[ "${#d}" -gt 256 ]
	printf '#!%s -o\n%b' "$d/p" "$SH_BODY" >x
	chmod 755 x
	lib_as_given "$d/p" -o ./x A -- ./x A
}

@test "#! lines of 250 to 262 bytes: as the kernel while it sees the whole line, the whole argument after" {
	local n m end arg k e bad=0 whole=0 cut=0
	for end in newline eof; do
		for ((n = 250; n <= 262; n++)); do
			# No blank at the argument's ends, which the kernel trims.
			printf -v arg '%*s' $((n - 6)) ''
			arg=${arg// /a}
			if [ "$end" = newline ]; then
				arg=${arg:1}
				printf '#!./p %s\n' "$arg" >x
			else
				printf '#!./p %s' "$arg" >x
			fi
			chmod 755 x
			[ "$(head -n 1 x | wc -c)" = "$n" ]
			for m in execve posix_spawn; do
				launch_run '' "$m" ./x A
				k="status $status"$'\n'"$output"
				launch_run '' "$m" ./p "$arg" ./x A
				e="status $status"$'\n'"$output"
				if [ "$k" = "$e" ]; then whole=1; else cut=1; fi
				launch_run "$LIB" "$m" ./x A
				# Where the kernel ran the whole line, all three agree;
				# where it did not, the library still passes the line.
				[ "status $status"$'\n'"$output" = "$e" ] && continue
				printf '=== %s, a line of %s bytes ending in %s (kernel and vector agree: %s)\n' \
					"$m" "$n" "$end" "$([ "$k" = "$e" ] && echo yes || echo no)"
				show_run "with the library"
				printf -- '--- libc, the vector written out:\n%s\n' "$e"
				bad=1
			done
		done
	done
	# The kernel's limit lies inside the range: it ran some lines whole.
	[ "$whole" = 1 ] && [ "$cut" = 1 ] && return "$bad"
	echo "the kernel ran whole: $whole, cut short: $cut: the range misses its limit"
	return 1
}

@test "an interpreter after 300 blanks: the library runs it, where the kernel gives up" {
	printf '#!%300s./p -o\n' '' >x
	chmod 755 x
	lib_as_given ./p -o ./x A -- ./x A
}

@test "a #! line of exactly 8191 bytes without a newline at the end of the file: the library passes its whole argument" {
	local arg
	arg=$(long_arg 8185)
	printf '#!./p %s' "$arg" >x
	chmod 755 x
	[ "$(wc -c <x)" = 8191 ]
	lib_as_given ./p "$arg" ./x A -- ./x A
}

@test "a #! line over 8191 bytes, with or without a newline: left to the kernel, as libc" {
	printf '#!./p %s\n%b' "$(long_arg 9993)" "$SH_BODY" >x
	chmod 755 x
	each "$ALL" ./x A
	oracle_has execve 'status 0'
	printf '#!./p %s' "$(long_arg 8186)" >y
	chmod 755 y
	each "$ALL" ./y A
	printf -v arg '%*s' 8186 ''
	mkscript z "#!./p ${arg// /y}\n"
	each "$ALL" ./z A
}

# --- the interpreter's argument vector -------------------------------------

@test "the interpreter gets the script as given: ./x, .//x, sub/../x, an absolute path" {
	mkdir sub
	mkscript x '#!./p -o\n'
	each "$ALL" ./x A
	each "$ALL" .//x A
	each "$ALL" sub/../x A
	each "$ALL" "$PWD/x" A
	oracle_has execve "argv[2]: $PWD/x"
}

@test "the interpreter's argv[0] is its name as written on the #! line" {
	mkscript x '#!.//p\n'
	each "$ALL" ./x
	oracle_has execve 'argv[0]: .//p'
	mkscript y "#!$PWD/p\n"
	each "$ALL" ./y
	oracle_has execve "argv[0]: $PWD/p"
}

@test "every byte of every argument passes unchanged" {
	mkscript x '#!./p\n'
	each "$ALL" ./x '' ' ' $'a\nb' '*' '$HOME' $'\xff\x01' -- -x
	oracle_has execve 'argc: 10'
}

@test "the caller's argv[0] is replaced by the script's path" {
	mkscript x '#!./p -o\n'
	each "$ALL" -a other-name ./x A
	oracle_has execve 'argv[2]: ./x'
	mkscript y "$SH_BODY"
	each "$ALL" -a other-name ./y A
	oracle_has execvp 'argv[1]: from-sh'
}

@test "an empty argument vector: as libc and the kernel" {
	mkscript x '#!./p -o\n'
	each "$ALL" -0 ./x
	oracle_has execve 'argv[2]: ./x'
	each "$ALL" -0 ./p
	mkdir d
	mkwhere d/w
	each "$ALL" -0 -p "$PWD/d" w
	oracle_has execvp "argv[2]: $PWD/d/w"
}

# glibc's execvp builds /bin/sh FILE for an empty argv as well
# (maybe_script_execute).
@test "an empty argument vector on a file without #!: execvp's /bin/sh fallback runs it" {
	mkscript y "$SH_BODY"
	each "$ALL" -0 ./y
	oracle_has execvp 'argv[1]: from-sh'
}

@test "an explicit environment reaches the interpreter and /bin/sh" {
	mkscript x '#!./p -o\n'
	each "$WITH_ENVP" -E ./x A
	oracle_has execve 'env LAUNCH_ENV: explicit'
	mkscript y "$SH_BODY"
	each "$WITH_ENVP" -E ./y A
	oracle_has execvpe 'env LAUNCH_ENV: explicit'
}

@test "a NULL environment pointer: as libc" {
	mkscript x '#!./p -o\n'
	mkscript y "$SH_BODY"
	each "$WITH_ENVP" -Z ./x A
	oracle_has execve 'argv[1]: -o'
	each "$WITH_ENVP" -Z ./y A
	oracle_has execvpe 'from-sh'
}

@test "the caller's environment reaches the interpreter" {
	mkscript x '#!./p -o\n'
	export ARGV_ENV=LAUNCH_ENV LAUNCH_ENV='from environ'
	each "$ALL" ./x A
	oracle_has execv 'env LAUNCH_ENV: from\x20environ'
}

@test "the interpreter's exit status and death by a signal reach the caller" {
	mkscript x '#!./p\n'
	ARGV_EXIT=7 each "$ALL" ./x
	oracle_has posix_spawn 'status=exit 7'
	ARGV_SIGNAL=15 each "$ALL" ./x
	oracle_has posix_spawn 'status=signal 15'
}

@test "the exec family runs the interpreter in the calling process, posix_spawn in the child it reports" {
	local m run pid want
	mkscript x '#!./p\n'
	export ARGV_PID=1
	for m in $ALL; do
		for run in '' "$LIB"; do
			launch_run "$run" "$m" -i ./x A
			pid=$(printf '%s\n' "$output" | sed -n 's/^pid: //p')
			want=$(printf '%s\n' "$output" | sed -n 's/^launch: \(pid\|child\)=//p')
			if [ -z "$pid" ] || [ "$pid" != "$want" ]; then
				show_run "$m ${run:-without the library}"
				return 1
			fi
		done
	done
}

@test "descriptors: none is left open by the library, inherited ones stay" {
	mkscript x '#!./p -o\n'
	mkscript y "$SH_BODY"
	each "$ALL" ./x A 7</dev/null
	oracle_has execve 'fds: 0 1 2'
	# With standard input closed, a descriptor the library opens would be
	# 0, and the argv printer would list it.
	each "$ALL" ./x A <&-
	each "$ALL" ./y A <&-
	each "$ALL" ./p A <&-
}

@test "called from a thread with the smallest stack a thread can have: as libc" {
	local min
	min=$(getconf PTHREAD_STACK_MIN 2>/dev/null) || min=16384
	mkchain ./p 4
	mkscript y "$SH_BODY"
	printf '#!./p %s\n' "$(long_arg 9993)" >z
	chmod 755 z
	each "$ALL" -T "$min" ./c1 A 'B C'
	oracle_has execve 'status 0'
	each "$ALL" -T "$min" ./c4 A
	each "$ALL" -T "$min" ./y A
	each "$ALL" -T "$min" ./z A
	each "$ALL" -T "$min" ./p A
	each "$ALL" -T "$min" ./nope A
}

@test "20000 arguments, also from a thread with a small stack: as libc" {
	local -a many
	mapfile -t many < <(seq 1 20000)
	mkscript x '#!./p -o\n'
	# Not the execl functions, which take at most a dozen here.
	local vec='execve execv execvp execvpe posix_spawn posix_spawnp fork-execv vfork-execve'
	each "$vec" ./x "${many[@]}"
	oracle_has execve 'argc: 20003'
	each "$vec" -T 65536 ./x "${many[@]}"
	oracle_has posix_spawnp 'argc: 20003'
	each "$vec" ./p "${many[@]}"
}

# --- where the interpreter is --------------------------------------------

@test "an interpreter without a slash is relative to the current directory, not searched on PATH" {
	mkscript x '#!p -o\n'
	each "$ALL" ./x A
	oracle_has execve 'argv[0]: p'
	mkdir bin
	cp p bin/only-on-path
	mkscript y '#!only-on-path\n'
	each "$ALL" -p "$PWD/bin" ./y A
	oracle_has execve 'errno=ENOENT'
}

@test "a relative interpreter is relative to the current directory, not to the script's" {
	mkdir sub elsewhere
	mkscript sub/x '#!./p -o\n'
	mkscript sub/p '#!/bin/sh\necho decoy-in-script-dir\n'
	each "$ALL" sub/x A
	oracle_has execve 'argv[0]: ./p'
	cd elsewhere
	each "$ALL" ../sub/x A
	oracle_has execve 'errno=ENOENT'
}

@test "an interpreter given by absolute path" {
	mkscript x "#!$ARGV -o\n"
	each "$ALL" ./x A
	oracle_has execve "argv[0]: $ARGV"
}

@test "a binary is exec'd directly, with argv[0] as given" {
	each "$ALL" ./p A 'B C'
	each "$ALL" "$PWD/p" A
	oracle_has execve "argv[0]: $PWD/p"
	each "$ALL" -a other ./p A
	oracle_has execve 'argv[0]: other'
}

@test "a symlink to a script: the interpreter gets the link's path" {
	mkscript x '#!./p -o\n'
	ln -s x l
	each "$ALL" ./l A
	oracle_has execve 'argv[2]: ./l'
}

# --- chains of scripts ----------------------------------------------------

@test "chains of 1 to 7 nested scripts run or fail (ELOOP) as libc" {
	local n
	mkchain ./p 7
	for n in 1 2 3 4 5 6 7; do
		each "$ALL" "./c$n" A
	done
	# The kernel's limit lies inside the range: the last one fails.
	oracle_has execve 'errno=ELOOP'
	launch_run '' execve ./c1 A
	[ "$status" = 0 ]
}

@test "a chain over a missing interpreter fails as libc at every depth from 1 to 7" {
	local n
	mkchain ./missing 7
	for n in 1 2 3 4 5 6 7; do
		each "$ALL" "./c$n" A
	done
}

@test "a script that is its own interpreter, and two naming each other: ELOOP" {
	mkscript self '#!./self\n'
	each "$ALL" ./self A
	oracle_has execve 'errno=ELOOP'
	mkscript a '#!./b -a\n'
	mkscript b '#!./a -b\n'
	each "$ALL" ./a A
}

@test "an interpreter that is a text file without #! is ENOEXEC: execvp's /bin/sh runs the script" {
	mkscript text 'echo text-ran-instead\n'
	mkscript x '#!./text -o\n'"$SH_BODY"
	each "$ALL" ./x A 'B C'
	oracle_has execve 'errno=ENOEXEC'
	oracle_has execvp 'argv[1]: from-sh'
	mkscript y '#!./text -y\nexec ./p from-sh-y "$@"\n'
	mkscript z '#!./y -z\n'"$SH_BODY"
	each "$ALL" ./z A
}

@test "an empty file as interpreter is ENOEXEC at the nested level" {
	mkscript empty ''
	mkscript x '#!./empty\n'"$SH_BODY"
	each "$ALL" ./x A
}

# --- errors ---------------------------------------------------------------

@test "missing script, and a dangling symlink: ENOENT" {
	each "$ALL" ./nope A
	oracle_has execve 'errno=ENOENT'
	oracle_has posix_spawn 'return=ENOENT'
	ln -s nowhere x
	each "$ALL" ./x A
}

@test "a path through a regular file: ENOTDIR, for the script and for the interpreter" {
	each "$ALL" ./p/x A
	oracle_has execve 'errno=ENOTDIR'
	mkscript x '#!./p/q\n'
	each "$ALL" ./x A
	oracle_has execve 'errno=ENOTDIR'
}

@test "missing interpreter, relative or absolute: ENOENT" {
	mkscript x '#!./nope\n'
	each "$ALL" ./x A
	oracle_has execve 'errno=ENOENT'
	mkscript y '#!/nonexistent/bin/tool -x\n'
	each "$ALL" ./y A
	mkscript z '#!./nope\n'
	mkscript w '#!./z\n'
	each "$ALL" ./w A
}

@test "a non-executable script: EACCES" {
	mkfile x 644 '#!./p\n'
	each "$ALL" ./x A
	oracle_has execve 'errno=EACCES'
}

@test "a non-executable interpreter, and a directory as interpreter: EACCES" {
	cp p q
	chmod 644 q
	mkscript x '#!./q\n'
	each "$ALL" ./x A
	oracle_has execve 'errno=EACCES'
	mkdir d
	mkscript y '#!./d\n'
	each "$ALL" ./y A
	oracle_has execve 'errno=EACCES'
}

@test "a directory as script: EACCES" {
	mkdir d
	each "$ALL" ./d A
	oracle_has execve 'errno=EACCES'
}

@test "a fifo as script or interpreter: EACCES without hanging" {
	mkfifo f
	chmod 755 f
	each "$ALL" ./f A
	oracle_has execve 'errno=EACCES'
	mkscript x '#!./f\n'
	each "$ALL" ./x A
}

@test "a symlink loop as the script: ELOOP, also where a PATH search meets it" {
	mkdir d
	ln -s la lb
	ln -s lb la
	each "$ALL" ./la A
	oracle_has execve 'errno=ELOOP'
	ln -s ../la d/x
	mkdir e
	mkwhere e/x
	each "$ALL" -p "$PWD/d:$PWD/e" x A
	oracle_has execvp 'errno=ELOOP'
}

@test "a script named by /dev/fd/N" {
	mkscript x '#!./p -o\n'
	each "$ALL" /dev/fd/7 A 7<x
	oracle_has execve 'argv[2]: /dev/fd/7'
}

@test "a script, or its interpreter, on a noexec mount: EACCES" {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot mount a noexec tmpfs"
	mkdir mnt
	mount -t tmpfs -o noexec tmpfs mnt 2>mount.err ||
		skip "cannot mount a noexec tmpfs here: $(cat mount.err)"
	MNT=$PWD/mnt
	mkscript mnt/x '#!./p -o\n'
	cp p mnt/p
	mkscript y '#!./mnt/p\n'
	each "$ALL" ./mnt/x A
	oracle_has execve 'errno=EACCES'
	each "$ALL" ./y A
	oracle_has execve 'errno=EACCES'
	mkdir d
	mkwhere d/x
	each "$ALL" -p "$MNT:$PWD/d" x A
	oracle_has execvp 'argv[1]: d/x'
}

@test "a file without #!: execve fails with ENOEXEC, execvp runs /bin/sh, posix_spawn returns ENOEXEC" {
	mkscript x "$SH_BODY"
	each "$ALL" ./x A 'B C'
	oracle_has execve 'errno=ENOEXEC'
	oracle_has execvp 'argv[1]: from-sh'
	oracle_has posix_spawnp 'return=ENOEXEC'
}

@test "an empty file: ENOEXEC, and /bin/sh runs it for execvp" {
	mkscript x ''
	each "$ALL" ./x A
	oracle_has execvp 'status 0'
}

@test "binary garbage, a truncated ELF header, a byte order mark before #!: as libc" {
	mkscript x '\001\002\003\376\377 garbage\nexec ./p "$@"\n'
	each "$ALL" ./x A
	mkscript y '\x7fELF\x02\x01\x01\x00garbage\n'
	each "$ALL" ./y A
	mkscript z '\xef\xbb\xbf#!./p\n./p by-sh "$@"\n'
	each "$ALL" ./z A
	oracle_has execvp 'by-sh'
}

# as_nobody: run the launches of this test as nobody when root, or skip.
as_nobody() {
	open_for_nobody
	unprivileged test -x "$LAUNCH" && unprivileged test -r "$LIB" ||
		skip "nobody cannot reach $LAUNCH or $LIB"
	# shellcheck disable=SC2034 # launch_run's, in libcall.bash
	RUNNER=(unprivileged)
}

@test "an execute-only script, interpreter or script in a chain, run by an unprivileged user: as libc" {
	as_nobody
	mkfile x 111 '#!./p\n'
	if unprivileged test -r x; then
		skip "the unprivileged user can still read a mode 111 file"
	fi
	each "$ALL" ./x A
	oracle_has execve 'status 0'
	cp p q
	chmod 111 q
	mkscript y '#!./q -y\n'
	each "$ALL" ./y A
	oracle_has execve 'argv[0]: ./q'
	mkscript z '#!./x -z\n'
	each "$ALL" ./z A
}

@test "a PATH directory the user cannot search: skipped, EACCES if nothing else is found" {
	as_nobody
	mkdir -p d1 d2 d3
	mkwhere d1/x
	mkwhere d2/x
	chmod 700 d1
	unprivileged test -x d1 && skip "nobody can still search a mode 700 directory"
	each "$ALL" -p "$PWD/d1:$PWD/d2" x A
	oracle_has execvp 'argv[1]: d2/x'
	each "$ALL" -p "$PWD/d1:$PWD/d3" x A
	oracle_has execvp 'errno=EACCES'
	each "$ALL" -p "$PWD/d3:$PWD/d1" x A
	oracle_has posix_spawnp 'return=EACCES'
	each "$ALL" d1/x A
}

# --- PATH search (the p functions; the others take the name as a path) ---

@test "a name without a slash is found on PATH by the p functions, taken from the current directory by the others" {
	mkdir d1 d2
	touch d1/other
	mkwhere d2/x
	mkscript x '#!./p in-cwd\n'
	each "$ALL" -p "$PWD/d1:$PWD/d2" x A 'B C'
	oracle_has execvp "argv[2]: $PWD/d2/x"
	oracle_has execve 'argv[1]: in-cwd'
}

@test "the first match on PATH wins" {
	mkdir d1 d2
	mkwhere d1/x
	mkwhere d2/x
	each "$ALL" -p "$PWD/d1:$PWD/d2" x
	oracle_has execlp 'argv[1]: d1/x'
}

@test "the interpreter gets the path the search built: relative dir, trailing slash" {
	mkdir d
	mkwhere d/x
	each "$ALL" -p d x A
	oracle_has execvp 'argv[2]: d/x'
	each "$ALL" -p "$PWD/d/" x A
	oracle_has execvp "argv[2]: $PWD/d//x"
}

@test "a name found nowhere on PATH: ENOENT" {
	mkdir d1 d2
	each "$ALL" -p "$PWD/d1:$PWD/d2" x
	oracle_has execvp 'errno=ENOENT'
}

@test "unset PATH: the default path, without the current directory" {
	each "$ALL" -P sh -c 'echo "$0:$1:$#"' zero one
	oracle_has execvp 'zero:one:1'
	mkwhere x
	each "$ALL" -P x
	oracle_has execvp 'errno=ENOENT'
}

@test "an empty PATH, and empty elements first, last, in the middle, mean the current directory" {
	mkdir d e
	mkwhere x
	mkwhere e/x
	each "$ALL" -p '' x A
	oracle_has execvp 'status 0'
	each "$ALL" -p ":$PWD/e" x A
	oracle_has execvp 'argv[1]: x'
	each "$ALL" -p "$PWD/d:" x A
	each "$ALL" -p "$PWD/d::$PWD/e" x A
}

@test "a non-executable match is skipped; only one: EACCES, whether before or after ENOENTs" {
	mkdir d1 d2 d3
	mkfile d1/x 644 '#!./p d1/x\n'
	mkwhere d2/x
	each "$ALL" -p "$PWD/d1:$PWD/d2" x
	oracle_has execvp 'argv[1]: d2/x'
	each "$ALL" -p "$PWD/d1:$PWD/d3" x
	oracle_has execvp 'errno=EACCES'
	oracle_has posix_spawnp 'return=EACCES'
	each "$ALL" -p "$PWD/d3:$PWD/d1" x
	oracle_has execvp 'errno=EACCES'
}

@test "a directory with the name on PATH is skipped; only one: EACCES" {
	mkdir -p d1/x d2 d3
	mkwhere d2/x
	each "$ALL" -p "$PWD/d1:$PWD/d2" x
	oracle_has execvp 'argv[1]: d2/x'
	each "$ALL" -p "$PWD/d1:$PWD/d3" x
}

@test "a match whose interpreter is missing or not executable: the search goes on" {
	mkdir d1 d2 d3
	mkscript d1/x '#!./nope\n'
	cp p q
	chmod 644 q
	mkscript d3/x '#!./q\n'
	mkwhere d2/x
	each "$ALL" -p "$PWD/d1:$PWD/d2" x A
	oracle_has execvp 'argv[1]: d2/x'
	each "$ALL" -p "$PWD/d3:$PWD/d2" x A
	oracle_has execvp 'argv[1]: d2/x'
	each "$ALL" -p "$PWD/d1" x A
	each "$ALL" -p "$PWD/d3:$PWD/d1" x A
	oracle_has execvp 'errno=EACCES'
}

@test "a match whose interpreters loop (ELOOP) stops the search" {
	mkdir d1 d2
	mkscript d1/x '#!./d1/x\n'
	mkwhere d2/x
	each "$ALL" -p "$PWD/d1:$PWD/d2" x A
	oracle_has execvp 'errno=ELOOP'
}

@test "a match without #! stops the search: /bin/sh runs it for execvp, posix_spawnp returns ENOEXEC" {
	mkdir d1 d2
	mkscript d1/x 'exec ./p from-d1-by-sh "$0" "$@"\n'
	mkwhere d2/x
	each "$ALL" -p "$PWD/d1:$PWD/d2" x A 'B C'
	oracle_has execvp 'from-d1-by-sh'
	oracle_has posix_spawnp 'return=ENOEXEC'
}

@test "a binary found on PATH runs with argv[0] as given" {
	mkdir d
	cp p d/prog
	each "$ALL" -p "$PWD/d" prog A
	oracle_has execvp 'argv[0]: prog'
}

@test "PATH elements that are a regular file or missing are skipped" {
	mkdir d
	touch f
	mkwhere d/x
	each "$ALL" -p "$PWD/f:$PWD/missing:$PWD/d" x
	oracle_has execvp 'argv[1]: d/x'
	each "$ALL" -p "$PWD/f" x
}

@test "a name with a slash is not searched" {
	mkdir -p e/d
	mkwhere e/d/x
	each "$ALL" -p "$PWD/e" d/x
	oracle_has execvp 'errno=ENOENT'
}

@test "an empty name is not found, even with an empty PATH element" {
	mkwhere x
	each "$ALL" -p ":$PWD" ''
	oracle_has execvp 'errno=ENOENT'
}

@test "a script found on PATH, run by a chain of scripts" {
	mkdir d
	mkscript y '#!./p -y\n'
	mkscript d/x '#!./y -x\n'
	each "$ALL" -p "$PWD/d" x A
	oracle_has execvp "argv[4]: $PWD/d/x"
}

@test "overlong names: a name over NAME_MAX, an element over NAME_MAX, an element over PATH_MAX" {
	local name long
	mkdir d
	mkwhere d/x
	printf -v name '%*s' 256 ''
	each "$ALL" -p "$PWD/d" "${name// /n}"
	oracle_has execvp 'errno=ENAMETOOLONG'
	printf -v long '%*s' 300 ''
	each "$ALL" -p "/${long// /l}:$PWD/d" x
	printf -v long '%*s' 5000 ''
	each "$ALL" -p "/${long// /l}:$PWD/d" x A
}

@test "execvpe and posix_spawnp search the caller's PATH, not the one in envp" {
	mkdir d
	mkwhere d/x
	each "$WITH_ENVP" -E -p "$PWD/d" x A
	oracle_has execvpe 'argv[1]: d/x'
	oracle_has execvpe 'env LAUNCH_ENV: explicit'
}

# --- posix_spawn file actions ---------------------------------------------

@test "posix_spawn with addchdir: the script and its interpreter are relative to the new directory" {
	mkdir sub
	cp p sub/p
	mkscript sub/x '#!./p -o\n'
	each "$SPAWN" -d sub ./x A
	oracle_has posix_spawn 'return=0'
	each "$SPAWN" -d "$PWD/sub" ./x A
	# Found only in the old directory: not found.
	mkscript y '#!./p -y\n'
	each "$SPAWN" -d sub ./y A
	oracle_has posix_spawn 'return=ENOENT'
	# The interpreter only in the old directory: not found either.
	mkscript sub/z '#!./q\n'
	cp p q
	each "$SPAWN" -d sub ./z A
	oracle_has posix_spawn 'return=ENOENT'
}

@test "posix_spawn with addfchdir: as with addchdir" {
	mkdir sub
	cp p sub/p
	mkscript sub/x '#!./p -o\n'
	each "$SPAWN" -D sub ./x A
	oracle_has posix_spawn 'return=0'
	mkscript y '#!./p -y\n'
	each "$SPAWN" -D sub ./y A
}

@test "posix_spawnp with addchdir: relative and empty PATH elements are relative to the new directory" {
	mkdir -p sub/bin bin
	cp p sub/p
	mkwhere sub/bin/x
	mkscript sub/x '#!./p sub-cwd\n'
	mkwhere bin/x
	each "$SPAWN" -d sub -p bin x A
	oracle_has posix_spawnp 'argv[2]: bin/x'
	each "$SPAWN" -d sub -p '' x A
	oracle_has posix_spawnp 'sub-cwd'
	each "$SPAWN" -D sub -p ":bin" x A
}

@test "posix_spawn with a chdir that fails, or a file action that fails: the same error" {
	mkscript x '#!./p -o\n'
	each "$SPAWN" -d missing ./x A
	oracle_has posix_spawn 'return=ENOENT'
	each "$SPAWN" -o missing ./x A
	oracle_has posix_spawn 'return=ENOENT'
	each "$SPAWN" -d p ./x A
	oracle_has posix_spawn 'return=ENOTDIR'
}

@test "posix_spawn with addopen: the descriptor reaches the interpreter, its path relative to a chdir before it" {
	mkdir sub
	cp p sub/p
	mkscript x '#!./p -o\n'
	mkscript sub/x '#!./p -o\n'
	touch data sub/subdata
	each "$SPAWN" -o data ./x A
	oracle_has posix_spawn 'fds: 0 1 2 5'
	each "$SPAWN" -d sub -o subdata ./x A
	oracle_has posix_spawn 'fds: 0 1 2 5'
	each "$SPAWN" -o data -d sub ./x A
	each "$SPAWN" -d sub -o data ./x A
	oracle_has posix_spawn 'return=ENOENT'
}

@test "posix_spawn with addchdir: ENOEXEC, a missing interpreter and ELOOP as libc" {
	mkdir sub
	mkscript sub/x "$SH_BODY"
	mkscript sub/y '#!./nope\n'
	mkscript sub/z '#!./z\n'
	each "$SPAWN" -d sub ./x A
	oracle_has posix_spawn 'return=ENOEXEC'
	each "$SPAWN" -d sub ./y A
	each "$SPAWN" -d sub ./z A
	oracle_has posix_spawn 'return=ELOOP'
}

@test "posix_spawn with addfchdir and addclose: as libc, whichever comes first" {
	mkdir sub
	cp p sub/p
	mkscript sub/x '#!./p -o\n'
	# -D opens sub on descriptor 20.
	each "$SPAWN" -D sub -C 20 ./x A
	oracle_has posix_spawn 'return=0'
	each "$SPAWN" -C 20 -D sub ./x A
	oracle_has posix_spawn 'return=EBADF'
	each "$SPAWN" -d sub -D . ./x A
	each "$SPAWN" -D sub -d .. ./x A
}

@test "posix_spawn with adddup2, before or after an addfchdir on the same descriptor: as libc" {
	mkdir sub
	cp p sub/p
	mkscript sub/x '#!./p -o\n'
	mkscript x '#!./p -o\n'
	each "$SPAWN" -u 7 ./x A
	oracle_has posix_spawn 'fds: 0 1 2 7'
	# -D opens sub on descriptor 20.
	each "$SPAWN" -D sub -u 20 ./x A
	oracle_has posix_spawn 'return=0'
	each "$SPAWN" -u 20 -D sub ./x A
	oracle_has posix_spawn 'return=ENOTDIR'
}

@test "posix_spawn without a pointer for the pid: as libc" {
	mkscript x '#!./p -o\n'
	mkscript y "$SH_BODY"
	each "$SPAWN" -N ./x A
	oracle_has posix_spawn 'return=0'
	each "$SPAWN" -N ./y A
	each "$SPAWN" -N ./nope A
}

# libc's child applies the attributes and runs the file actions, then
# execs: the error of a failing action (ENOTDIR) or attribute (EPERM,
# joining process group 1) wins over a missing file.
@test "posix_spawn(p): a failing file action's or attribute's error wins over a missing file" {
	local m
	mkdir d
	for m in $SPAWN; do
		same_with_lib "$m" -o p/x ./nope A
		oracle_has "$m" 'return=ENOTDIR'
		same_with_lib "$m" -g 1 ./nope A
		oracle_has "$m" 'return=EPERM'
	done
	same_with_lib posix_spawnp -p "$PWD/d" -o p/x nope A
	oracle_has posix_spawnp 'return=ENOTDIR'
	same_with_lib posix_spawnp -p "$PWD/d" -g 1 nope A
	oracle_has posix_spawnp 'return=EPERM'
}

@test "posix_spawn(p) with a process group attribute: as libc, whether it fails or not" {
	mkscript x '#!./p -o\n'
	mkscript y "$SH_BODY"
	each "$SPAWN" -g 0 ./x A
	oracle_has posix_spawn 'return=0'
	each "$SPAWN" -g 1 ./x A
	oracle_has posix_spawn 'return=EPERM'
	each "$SPAWN" -g 1 ./y A
}

# The same as seen from the file system: the file that a file action
# creates.
@test "posix_spawn(p): the file actions run even when the file is missing" {
	local m run made want='' got=''
	mkdir d
	for m in "posix_spawn ./nope" "posix_spawn -d d ./nope" "posix_spawnp -p $PWD/d nope"; do
		for run in '' "$LIB"; do
			rm -f created
			# shellcheck disable=SC2086 # $m: a method, options, a file
			launch_run "$run" ${m% *} -w "$PWD/created" ${m##* } A
			made=absent
			[ ! -e created ] || made=created
			if [ -z "$run" ]; then want="$output, $made"; else got="$output, $made"; fi
		done
		[[ $want == *created ]] || {
			echo "launch ${m% *} -w created ${m##* } A: libc alone created nothing: $want"
			return 1
		}
		[ "$got" = "$want" ] && continue
		printf 'launch %s -w created %s A\n--- libc alone: %s\n--- with the library: %s\n' "${m% *}" "${m##* }" "$want" "$got"
		return 1
	done
}

@test "posix_spawn with file actions and a script found on PATH or with a missing interpreter: as libc" {
	mkdir d
	mkwhere d/x
	mkscript y '#!./nope\n'
	same_with_lib posix_spawnp -p "$PWD/d" -w created -o p/x x A
	oracle_has posix_spawnp 'return=ENOTDIR'
	each "$SPAWN" -w created ./y A
	[ -e created ]
	same_with_lib posix_spawnp -w created -p "$PWD/d" x A
	oracle_has posix_spawnp 'fds: 0 1 2 6'
}

# --- the library is active: ETXTBSY ---------------------------------------

@test "a script held open for writing runs with the library, where libc alone fails with ETXTBSY" {
	local m
	declare -A free
	mkscript x '#!./p -o\n'
	for m in $ALL; do
		launch_run '' "$m" ./x A
		free[$m]="status $status"$'\n'"$output"
	done
	exec 9>>./x
	for m in $ALL; do
		launch_run '' "$m" ./x A
		case $output in
		*ETXTBSY*) ;;
		*)
			show_run "$m without the library, while ./x is open for writing: no ETXTBSY"
			return 1
			;;
		esac
		launch_run "$LIB" "$m" ./x A
		if [ "status $status"$'\n'"$output" != "${free[$m]}" ]; then
			show_run "$m with the library, while ./x is open for writing"
			printf -- '--- libc alone, ./x not busy:\n%s\n' "${free[$m]}"
			return 1
		fi
	done
}

@test "a script found on PATH and held open for writing runs with the library" {
	local m
	mkdir d
	mkwhere d/x
	for m in execvp execvpe execlp posix_spawnp; do
		launch_run '' "$m" -p "$PWD/d" x A
		[ "$status" = 0 ] || { show_run "$m, d/x not busy"; return 1; }
		local want="$status $output"
		exec 9>>d/x
		launch_run "$LIB" "$m" -p "$PWD/d" x A
		exec 9>&-
		[ "$status $output" = "$want" ] || { show_run "$m with the library, d/x busy"; return 1; }
	done
}

@test "a busy final interpreter fails with ETXTBSY with the library too, after retrying" {
	local m t elapsed
	cp p p2
	mkscript x '#!./p2\n'
	exec 9>>./p2
	for m in execve execvp posix_spawn posix_spawnp vfork-execve; do
		t=$EPOCHREALTIME
		same_with_lib "$m" ./x A
		elapsed=$(seconds_since "$t")
		oracle_has "$m" ETXTBSY
		# libc alone fails at once: the time is the library's retrying.
		echo "$m: the two runs took $elapsed s"
		awk -v e="$elapsed" 'BEGIN { exit !(e >= 1) }'
	done
}

@test "a busy binary run directly fails with ETXTBSY with the library too" {
	cp p p2
	exec 9>>./p2
	each "execve posix_spawn" ./p2 A
	oracle_has execve 'errno=ETXTBSY'
}

@test "an interpreter busy for a moment: libc alone fails, the library's retry runs it" {
	local m want
	cp p p2
	mkscript x '#!./p2\n'
	for m in execve posix_spawn; do
		launch_run '' "$m" ./x A
		want="$status $output"
		exec 9>>./p2
		sleep 1 &
		BG=$!
		exec 9>&- # only the sleep holds ./p2 open for writing now
		launch_run '' "$m" ./x A
		[[ $output == *ETXTBSY* ]] || {
			show_run "$m without the library while ./p2 is busy"
			return 1
		}
		launch_run "$LIB" "$m" ./x A
		[ "$status $output" = "$want" ] || {
			show_run "$m with the library while ./p2 is busy for 1 s"
			return 1
		}
		wait "$BG"
		BG=
	done
}

# --- generated #! lines ---------------------------------------------------

@test "100 generated #! lines: execve, execvp and posix_spawnp agree with and without the library" {
	local seed=${RUNSCRIPT_SEED:-20240601} f m bad=0 want
	mkdir gen
	cd gen
	cp "$ARGV" ./p
	"$ROOT/tests/bin/shebang-gen" . 100 "$seed"
	echo "# shebang-gen seed $seed" >&3
	for f in f[0-9]*; do
		for m in execve execvp posix_spawnp; do
			if ! same_with_lib "$m" "./$f" '' 'a b'; then
				head -n 1 "$f" | od -c | head -n 5
				bad=$((bad + 1))
			fi
			printf '%s\n' "${ORACLE[$m]}" >>"../outcomes.$m"
		done
	done
	[ "$bad" = 0 ]
	# The sample reaches every outcome, or it checks little.
	for want in 'errno=ENOENT' 'errno=ENOEXEC' 'errno=EACCES' 'from-sh' 'argv[0]: ./p'; do
		grep -qF -- "$want" ../outcomes.* || {
			echo "seed $seed: no fixture gives '$want'"
			return 1
		}
	done
}
