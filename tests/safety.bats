#!/usr/bin/env bats
# shellcheck disable=SC2154 # kstatus, kout, kerr, status, output, stderr: set by helper.bash
# shellcheck disable=SC2016 # '$@' in fixtures is meant literally
# Safe in every process (issue 13): librunscript.so never crashes, hangs,
# leaks or changes a program. Each test makes the same libc call with and
# without the library (tests/launch.c, tests/safety.c) and compares: the
# call without it is the oracle, computed here at test time, never typed in.
# The stack and vfork cases run the real call on the small stack or in the
# real vfork parent and measure. The runscript binary's own cases (#! lines
# naming itself, binfmt_misc, the retry) compare with the kernel or with
# runscript's documented answer.

load helper
load libcall

SAFETY=$ROOT/tests/bin/safety
MISC=/proc/sys/fs/binfmt_misc
SH_BODY='exec ./p from-sh "$@"\n'
# The methods that take an argument vector: all but the execl family.
VECTOR='execve execv execvp execvpe posix_spawn posix_spawnp fork-execv vfork-execve'
EXEC='execve execv execvp execvpe execl execlp execle'

setup() {
	[ -f "$LIB" ] || skip "no preload library at $LIB (make builds it)"
	setup_tmpdir
}

teardown() {
	exec 9>&- || true
	if [ -n "${BG:-}" ]; then
		kill "$BG" 2>/dev/null || true
		wait "$BG" 2>/dev/null || true
	fi
	if [ -n "${HANDLER:-}" ] && [ -e "$MISC/$HANDLER" ]; then
		echo -1 >"$MISC/$HANDLER"
	fi
	if [ -n "${MOUNTED_MISC:-}" ]; then
		umount "$MISC"
	fi
}

# safety_both ARG...: tests/bin/safety ARG... without the library (kept in
# sstatus and sout) and with it (status, output).
safety_both() {
	capture "$SAFETY" "$@"
	sstatus=$status sout=$output
	echo "without the library: status $sstatus: $sout"
	capture env LD_PRELOAD="$LIB" "$SAFETY" "$@"
	echo "with the library:    status $status: $output"
}

# field KEY TEXT: the value of KEY=VALUE in TEXT.
field() {
	sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"
}

# --- 1. argv NULL ---------------------------------------------------------

# crashed STATUS OUTPUT: a launch run died of a signal, or reports a child
# that did.
crashed() {
	[ "$1" -ge 128 ] || [[ $2 == *"launch: status=signal "* ]]
}

# no_new_crash METHOD ARG...: where libc alone does not crash, the library's
# run is the same as libc's; where libc crashes (glibc dereferences a NULL
# argv in posix_spawn and in execvp's /bin/sh fallback), the library may
# run the file, or crash the same way, but not otherwise.
no_new_crash() {
	local ostatus oout
	launch_run '' "$@"
	ostatus=$status oout=$output
	# shellcheck disable=SC2034 # oracle_has's, in libcall.bash
	ORACLE[$1]="status $ostatus"$'\n'"$oout"
	launch_run "$LIB" "$@"
	if ! crashed "$ostatus" "$oout"; then
		[ "$status" = "$ostatus" ] && [ "$output" = "$oout" ] && return 0
	elif ! crashed "$status" "$output" ||
		{ [ "$status" = "$ostatus" ] && [ "$output" = "$oout" ]; }; then
		return 0
	fi
	printf '=== in %s: launch %s\n' "$PWD" "$(printf '%q ' "$@")"
	show_run "with $LIB"
	show_run 'libc alone (the oracle)' "$ostatus" "$oout" ''
	return 1
}

@test "argv NULL: every vector entry point, on a script, a binary and a file without #!, never crashes where libc does not" {
	mkscript x '#!./p -x\n'
	mkscript y "$SH_BODY"
	local f m bad=0
	for f in ./y ./p ./x; do
		for m in $VECTOR; do
			no_new_crash "$m" -n "$f" || bad=1
		done
	done
	oracle_has execve 'status 0'
	oracle_has vfork-execve 'status=exit 0'
	[ "$bad" = 0 ]
}

# --- 2. a small, bounded stack --------------------------------------------

# mkstackcases: the fixtures the stack tests run: a plain #!/bin/sh script,
# a chain, a #!/usr/bin/env script, a script found by a PATH search, an env
# script found by one, an env script whose command is an env script, and
# PATH for them (missing and empty directories first).
mkstackcases() {
	mkdir -p bin d1 d2
	mkscript s '#!/bin/sh\nexec ./p from-sh "$@"\n'
	mkchain ./s 3
	cp p bin/envp
	mkscript e '#!/usr/bin/env envp\n'
	mkscript bin/searched '#!/bin/sh\nexec ./p searched "$@"\n'
	mkscript bin/envsearched '#!/usr/bin/env envp\n'
	mkscript bin/envnested '#!/usr/bin/env envsearched\n'
	STACK_PATH=$PWD/d1:$PWD/d2:/nonexistent:$PWD/bin:/usr/bin:/bin
}

# on_small_stack HOW BYTES: every entry point, for every stack case, made
# from HOW (-S: a signal handler on an alternate stack; -T: a thread) of
# BYTES, as libc makes it there.
on_small_stack() {
	mkstackcases
	local f bad=0
	for f in ./s ./c3 ./e searched envsearched envnested; do
		echo "=== $f"
		each "$ALL" -p "$STACK_PATH" "$1" "$2" "$f" A 'B C' || bad=1
	done
	oracle_has execvp "argv[1]: $PWD/bin/envsearched"
	oracle_has posix_spawnp 'status=exit 0'
	[ "$bad" = 0 ]
}

@test "stack: every entry point from a signal handler on an 8 KiB sigaltstack (the old SIGSTKSZ), as libc" {
	on_small_stack -S 8192
}

@test "stack: every entry point from a signal handler on a 16 KiB sigaltstack, as libc" {
	on_small_stack -S 16384
}

@test "stack: every entry point from a thread with a 16 KiB stack (PTHREAD_STACK_MIN), as libc" {
	# Measured: what such a thread has below its first frame.
	capture "$SAFETY" stack-room 16384
	want_status 0
	echo "a thread asked for 16384 bytes of stack has $output bytes of it"
	[ "$(field room "$output")" -le 16384 ]
	on_small_stack -T 16384
}

# --- 3. nothing outlives a successful exec ---------------------------------

# vfork_grows N FILE ARG...: N vfork+execve of FILE ARG... from one parent,
# with the library and without: the parent's VmSize grows no more with it
# than without (256 kB of slack, 1/32 of what one page a launch leaks).
vfork_grows() {
	safety_both vfork-loop "$@"
	[ "$sstatus" = 0 ] && [ "$status" = 0 ]
	[ "$(field failures "$sout")" = 0 ] && [ "$(field failures "$output")" = 0 ]
	local without with
	without=$(($(field vmsize-last "$sout") - $(field vmsize-first "$sout")))
	with=$(($(field vmsize-last "$output") - $(field vmsize-first "$output")))
	echo "VmSize growth over the launches: ${without} kB without the library, ${with} kB with it"
	[ "$with" -le $((without + 256)) ]
}

@test "vfork: 2000 vfork+execve of a script with a 400-byte #! line, the parent does not grow" {
	printf '#!./p %s\n' "$(printf '%0393d' 0 | tr 0 a)" >x
	chmod 755 x
	[ "$(head -n 1 x | wc -c)" = 400 ]
	vfork_grows 2000 ./x
}

@test "vfork: 2000 vfork+execve of a script with 100 arguments, the parent does not grow" {
	mkscript x '#!./p\n'
	# shellcheck disable=SC2046 # 100 words
	vfork_grows 2000 ./x $(seq 100)
}

# --- 4. no deadlock -------------------------------------------------------

# A library that libc has not loaded, so that every dlopen loads it.
dl_victim() {
	local l
	for l in libz.so.1 libresolv.so.2 libutil.so.1 libm.so.6; do
		if ldconfig -p 2>/dev/null | grep -q "^[[:space:]]*$l "; then
			echo "$l"
			return
		fi
	done
	echo libm.so.6
}

@test "deadlock: posix_spawn from a signal handler while a thread loops dlopen/dlclose never hangs (12 runs)" {
	mkscript x '#!./p -x\n'
	local lib i hangs=0 runs=12
	lib=$(dl_victim)
	# The control: libc alone completes every run. A round (one spawn)
	# that takes over 5 s is hung: SIGALRM (status 142) ends the run.
	for i in 1 2 3; do
		capture timeout 120 "$SAFETY" dlopen-spawn 300 "$lib" ./x
		want_status 0
		want_output 'spawns=300 failures=0'
	done
	for ((i = 1; i <= runs; i++)); do
		capture timeout 120 env LD_PRELOAD="$LIB" "$SAFETY" dlopen-spawn 300 "$lib" ./x
		if [ "$status" = 142 ]; then
			hangs=$((hangs + 1))
		elif [ "$status" != 0 ] || [ "$output" != 'spawns=300 failures=0' ]; then
			show_run "run $i with the library"
			return 1
		fi
	done
	echo "with the library, $hangs of $runs runs hung (a spawn not done within 5 s); libc alone: 0 of 3"
	[ "$hangs" = 0 ]
}

# --- 5. the caller's file actions run as often as without the library ------

rm_excl() {
	rm -f excl.out
}

@test "file actions: posix_spawnp with PATH=a:b, a/NAME not executable or a directory, b/NAME a script, an O_EXCL addopen: as glibc" {
	# The O_EXCL action's file, made by the first run, is gone for the second.
	# shellcheck disable=SC2034 # same_with_lib's
	local BEFORE_RUN=rm_excl
	mkdir a b
	mkscript b/name '#!./p -b\n'
	mkfile a/name 644 '#!./p -a\n'
	same_with_lib posix_spawnp -p a:b -X excl.out name A
	oracle_has posix_spawnp 'return=0'
	oracle_has posix_spawnp 'argv[1]: -b'
	rm a/name
	mkdir a/name
	same_with_lib posix_spawnp -p a:b -X excl.out name A
	oracle_has posix_spawnp 'argv[1]: -b'
}

@test "file actions: a busy binary spawned with an O_EXCL addopen gives glibc's answer, not EEXIST" {
	# shellcheck disable=SC2034 # same_with_lib's
	local BEFORE_RUN=rm_excl
	mkdir a b
	cp p b/name
	exec 9>>b/name
	same_with_lib posix_spawnp -p a:b -X excl.out name A
	oracle_has posix_spawnp 'return=ETXTBSY'
	same_with_lib posix_spawn -X excl.out b/name A
	oracle_has posix_spawn 'return=ETXTBSY'
}

# --- 6. no borrowed descriptor numbers --------------------------------------

@test "descriptors: addchdir_np(dir) then adddup2(N, 1), N the lowest unused: glibc's EBADF" {
	mkdir dir
	mkscript x '#!./p -x\n'
	cp x dir/x
	each "$SPAWN" -d dir -j "$PWD/x" A
	oracle_has posix_spawn 'return=EBADF'
	each "$SPAWN" -d dir -j ./x A
	oracle_has posix_spawnp 'return=EBADF'
}

# --- 7. looking has no side effects -------------------------------------------

# fifo_writer: a background writer blocked in open(O_WRONLY) of ./fifo; it
# writes ./woke once that open returns.
fifo_writer() {
	rm -f woke
	(
		exec 7>fifo
		echo woke >woke
	) &
	BG=$!
	sleep 0.2
}

# woken_by CMD...: run CMD with a fresh blocked writer; prints "woke" or
# "slept", whether CMD made the writer's open return.
woken_by() {
	fifo_writer
	"$@" >/dev/null 2>&1 || true
	sleep 0.3
	if [ -e woke ]; then echo woke; else echo slept; fi
	kill "$BG" 2>/dev/null || true
	wait "$BG" 2>/dev/null || true
	BG=
	# A writer that was never woken leaves the FIFO without a reader.
}

@test "a FIFO as the file to run: the writer blocked in open(O_WRONLY) is not woken, as without the library" {
	mkfifo fifo
	chmod 755 fifo
	mkscript x '#!./fifo\n'
	local m f want got bad=0
	for f in ./fifo ./x; do
		for m in execve execvp posix_spawn posix_spawnp; do
			want=$(woken_by "$LAUNCH" "$m" -t 5 "$f" A)
			got=$(woken_by env LD_PRELOAD="$LIB" "$LAUNCH" "$m" -t 5 "$f" A)
			echo "$m $f: writer $want without the library, $got with it"
			[ "$want" = slept ] || bad=1
			[ "$got" = "$want" ] || bad=1
		done
	done
	[ "$bad" = 0 ]
}

@test "a FIFO as the file to run: the runscript binary does not wake its writer either, as the kernel" {
	mkfifo fifo
	chmod 755 fifo
	mkscript x '#!./fifo\n'
	local f want got bad=0
	for f in ./fifo ./x; do
		want=$(woken_by timeout 5 env -- "$f" A)
		got=$(woken_by timeout 5 "$RUNSCRIPT" "$f" A)
		echo "$f: writer $want by a direct run, $got by runscript"
		[ "$want" = slept ] || bad=1
		[ "$got" = "$want" ] || bad=1
	done
	[ "$bad" = 0 ]
}

# --- 8. old symbol versions -------------------------------------------------

@test "posix_spawn@GLIBC_2.2.5 of a file without #!: /bin/sh runs it, as glibc's old symbol does" {
	mkscript y "$SH_BODY"
	mkscript x '#!./p -x\n'
	local f
	for f in ./y ./x ./p; do
		safety_both old-spawn "$f" A
		[ "$sstatus" != 3 ] || skip "no posix_spawn@GLIBC_2.2.5 here: $(uname -m)"
		[ "$status" = "$sstatus" ] && [ "$output" = "$sout" ]
	done
	safety_both old-spawn ./y A
	[[ $sout == *"argv[1]: from-sh"* ]]
}

# --- 9. errno -----------------------------------------------------------------

@test "errno: 4242 before a successful posix_spawnp of an env script, a script, a binary: left as libc leaves it" {
	mkdir -p bin empty
	cp p bin/envp
	mkscript e '#!/usr/bin/env envp\n'
	mkscript x '#!./p -x\n'
	local path=$PWD/empty:/nonexistent:$PWD/bin:/usr/bin:/bin f bad=0
	for f in ./e ./x ./p; do
		each "$SPAWN" -e -p "$path" "$f" A || bad=1
	done
	cp e bin/esearched
	each posix_spawnp -e -p "$path" esearched A || bad=1
	oracle_has posix_spawnp 'return=0'
	[ "$bad" = 0 ]
}

# --- 10. out of memory is not a new failure -----------------------------------

@test "RLIMIT_AS at the current size, then a script with 100 arguments: as libc" {
	mkscript x '#!./p -x\n'
	local -a many
	mapfile -t many < <(seq 100)
	each "$VECTOR" -L ./x "${many[@]}"
	oracle_has execve 'argc: 103'
	mkscript y '#!./p\n'
	each "$EXEC" -L ./y A
}

# --- 11. the kernel's size limits -------------------------------------------

@test "E2BIG: the largest argv that runs is the kernel's, with and without the library (binary search)" {
	mkscript x '#!./p -x\n'
	safety_both argmax ./x
	[ "$sstatus" = 0 ] && [ "$status" = 0 ]
	[ -n "$sout" ] && [ "$output" = "$sout" ]
	safety_both argmax ./p
	[ "$sstatus" = 0 ] && [ "$output" = "$sout" ]
}

# --- 12. no exec loop in the binary ----------------------------------------

# refused_as_self NAME SPELLING: runscript NAME, where y's #! line names
# SPELLING and x is run by y, ends at once (bounded by timeout) as it does
# when y names /proc/self/exe, computed here: the same status, nothing on
# stdout, the same first line of stderr but for the name as written.
refused_as_self() {
	local rstatus rline want
	mkscript x '#!./y -x\n'
	mkscript y '#!/proc/self/exe\n'
	capture timeout 5 "$RUNSCRIPT" "$1" a
	rstatus=$status rline=$(stderr_line 1)
	want_status 126
	want_output ''
	mkscript y "#!$2\n"
	capture timeout 5 "$RUNSCRIPT" "$1" a
	want=${rline//\/proc\/self\/exe/$2}
	if [ "$status" != "$rstatus" ] || [ -n "$output" ] ||
		[ "$(stderr_line 1)" != "$want" ]; then
		printf '=== runscript %s, y naming %s, refused as /proc/self/exe is: status %s, line 1:\n%s\n' \
			"$1" "$2" "$rstatus" "$want"
		show_run "runscript $1 a (124: still exec'ing itself after 5 s)"
		return 1
	fi
}

@test "runscript refuses #!/proc/thread-self/exe, #!/proc//self/exe and #!/proc/self/../self/exe as #!/proc/self/exe, at once" {
	local s bad=0
	for s in /proc/thread-self/exe /proc//self/exe /proc/self/../self/exe /proc/self/./exe; do
		# The script names it, and a chain ends in it.
		refused_as_self ./y "$s" || bad=1
		refused_as_self ./x "$s" || bad=1
	done
	[ "$bad" = 0 ]
}

# --- 13. binfmt_misc entries of any length ---------------------------------

# need_misc_register: binfmt_misc mounted (mounting it when root; teardown
# unmounts it then), enabled and writable; or skip with the reason.
need_misc_register() {
	if ! cat "$MISC/status" >/dev/null 2>&1; then
		[ "$(id -u)" -eq 0 ] ||
			skip "binfmt_misc is not mounted at $MISC, and not root to mount it"
		mount -t binfmt_misc binfmt_misc "$MISC" 2>mount.err ||
			skip "cannot mount binfmt_misc at $MISC: $(cat mount.err)"
		MOUNTED_MISC=1
	fi
	[ "$(cat "$MISC/status" 2>/dev/null)" = enabled ] ||
		skip "binfmt_misc is not enabled at $MISC"
	[ -w "$MISC/register" ] || skip "$MISC/register is not writable here"
}

@test "a binfmt_misc registration longer than 1 KiB is honoured, by the binary and the library" {
	need_misc_register
	case $PWD in
	*:*) skip "the test directory $PWD has a ':', which a registration cannot hold" ;;
	esac
	# A long handler path and a long magic make the entry's file long.
	local d=$PWD i id magic hex
	for i in $(seq 16); do
		d+=/a-directory-name-of-about-sixty-bytes-for-a-long-handler-$i
	done
	mkdir -p "$d"
	cp p "$d/p"
	id=RS$$t$BATS_TEST_NUMBER
	magic=$id$(printf '%0100d' 0 | tr 0 M)
	hex=$(printf '%s' "$magic" | od -An -tx1 -v | tr -d ' \n' | sed 's/../\\x&/g')
	HANDLER=rstest-$$-$BATS_TEST_NUMBER
	printf ':%s:M:0:%s::%s:\n' "$HANDLER" "$hex" "$d/p" >"$MISC/register" 2>reg.err ||
		skip "cannot register a binfmt_misc handler: $(cat reg.err)"
	local size
	size=$(wc -c <"$MISC/$HANDLER")
	echo "the registration's entry is $size bytes"
	[ "$size" -gt 1024 ]
	printf '%s\nnot a script\n' "$magic" >m
	chmod 755 m
	local bad=0
	kernel_run env -- ./m a
	want_status 0
	want_output_has "argv[0]: $d/p"
	echo "=== the binary"
	capture "$RUNSCRIPT" ./m a
	like_kernel || bad=1
	echo "=== the library"
	each "$ALL" ./m a || bad=1
	oracle_has execvp "argv[0]: $d/p"
	[ "$bad" = 0 ]
}

# --- the retry's length -----------------------------------------------------

# busy_for SECS FILE: a background process holds FILE open for writing for
# SECS seconds from now; returns once it holds it.
busy_for() {
	rm -f holding
	(
		exec 8>>"$2"
		: >holding
		# The holder itself, so that killing $BG releases the file.
		exec sleep "$1"
	) &
	BG=$!
	while [ ! -e holding ]; do sleep 0.01; done
}

# elapsed_ms T: the milliseconds since $EPOCHREALTIME was T.
elapsed_ms() {
	local now=$EPOCHREALTIME
	awk -v a="$1" -v b="$now" 'BEGIN { printf "%d", (b - a) * 1000 }'
}

# The documented retry is about 2 s (1 + 2 + ... + 1024 ms). A file busy for
# 1.5 s must run; one busy for longer must fail, after at least 1.5 s (a
# retry half as long fails after 1 s) and well before it is released.
@test "retry: the binary runs a binary busy for 1.5 s, and gives up on one busy for 8 s after about 2 s" {
	cp p b
	local t ms
	kernel_run env -- ./b a
	busy_for 1.5 b
	capture env -- ./b a
	want_status 126
	t=$EPOCHREALTIME
	capture "$RUNSCRIPT" ./b a
	ms=$(elapsed_ms "$t")
	echo "busy for 1.5 s: runscript ran it after $ms ms"
	like_kernel
	wait "$BG"
	busy_for 8 b
	t=$EPOCHREALTIME
	capture "$RUNSCRIPT" ./b a
	ms=$(elapsed_ms "$t")
	echo "busy for 8 s: runscript gave up after $ms ms"
	want_status 126
	first_line_is "runscript: ./b: Text file busy (still busy after retrying for 2 s)"
	[ "$ms" -ge 1500 ] && [ "$ms" -le 6000 ]
}

@test "retry: the library runs a binary busy for 1.5 s, and gives up on one busy for 8 s after about 2 s, where libc fails at once" {
	cp p b
	local m t ms bad=0
	for m in execve posix_spawn; do
		busy_for 1.5 b
		launch_run '' "$m" ./b a
		echo "libc alone, $m: $output"
		[[ $output == *ETXTBSY* ]] || bad=1
		t=$EPOCHREALTIME
		launch_run "$LIB" "$m" ./b a
		ms=$(elapsed_ms "$t")
		echo "busy for 1.5 s: $m with the library, after $ms ms: $output"
		[[ $output == *"argv[1]: a"* ]] || bad=1
		wait "$BG"
		busy_for 8 b
		t=$EPOCHREALTIME
		launch_run "$LIB" "$m" ./b a
		ms=$(elapsed_ms "$t")
		echo "busy for 8 s: $m with the library gave up after $ms ms: $output"
		[[ $output == *ETXTBSY* ]] || bad=1
		[ "$ms" -ge 1500 ] && [ "$ms" -le 6000 ] || bad=1
		kill "$BG"
		wait "$BG" || true
	done
	[ "$bad" = 0 ]
}
