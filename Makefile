# runscript — POSIX make. CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX, MANPREFIX
# and DESTDIR given on the command line win over these defaults. CFLAGS,
# CPPFLAGS and LDFLAGS are taken from the environment too, as packagers'
# tools (Debian's dpkg-buildflags) export them; the command line wins over
# the environment.
.POSIX:

PREFIX    = /usr/local
BINDIR    = $(PREFIX)/bin
MANPREFIX = $(PREFIX)/share/man
LIBDIR    = $(PREFIX)/lib/runscript

# The one place the version is written down.
VERSION != cat VERSION

# The default build is the fastest to start: static with musl where
# musl-gcc is installed (Debian's musl-tools), as a dynamically linked glibc
# spends most of runscript's time loading itself. A compiler named on the
# command line (make CC=gcc) builds an ordinary dynamically linked program.
CC     != command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo cc
# An exported CFLAGS replaces this default. Not with ?=, which GNU make
# skips in .POSIX mode, where it defines CFLAGS = -O1 itself; the shell
# sees the environment. CPPFLAGS and LDFLAGS have no default, so the
# environment's are used as they are.
CFLAGS != printf '%s\n' "$${CFLAGS--O2 -g}"
STATIC != [ "$(CC)" = musl-gcc ] && echo -static || true

# The project's own flags, always on. Warnings become errors only where
# WERROR=-Werror is given (.ci/run and developers do), so that a packager's
# newer compiler with a new warning still builds.
# POSIX, plus what Linux's libcs add by default (MAP_ANONYMOUS).
RS_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
              -DRS_VERSION=\"$(VERSION)\" -DRS_LIBDIR=\"$(LIBDIR)\"
RS_CFLAGS   = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Wformat=2 $(WERROR)
COMPILE     = $(CC) $(RS_CPPFLAGS) $(CPPFLAGS) $(RS_CFLAGS) $(CFLAGS)

# musl-gcc sees musl's headers only; --supervise needs the kernel's
# (linux/seccomp.h), which build/kernel links to from the system's.
KERNEL_INC != [ "$(CC)" = musl-gcc ] && echo "-isystem build/kernel" || true
LINK        = $(CC) $(STATIC) $(LDFLAGS)

# The sources, by the folder of the product they build: src/core is the
# resolver, built into both; src/cli the runscript binary; src/preload the
# library. Each folder's headers are its own; core includes only core's.
CORE_SRC    != echo src/core/*.c
CORE_HDR    != echo src/core/*.h
CLI_SRC     != echo src/cli/*.c
CLI_HDR     != echo src/cli/*.h
PRELOAD_SRC != echo src/preload/*.c
PRELOAD_HDR != echo src/preload/*.h
CLI_INC     = -Isrc/core -Isrc/cli $(KERNEL_INC)
LIB_INC     = -Isrc/core -Isrc/preload

SRC = $(CORE_SRC) $(CLI_SRC)
HDR = $(CORE_HDR) $(CLI_HDR)
OBJ = $(SRC:.c=.o)

all: runscript librunscript.so runscript.1

# What runs inside the programs of a --tree must match their libc: the
# system's, so the system's compiler even where musl-gcc builds runscript.
SYS_CC  != [ "$(CC)" = musl-gcc ] && echo cc || echo "$(CC)"
SYS_PROG = $(SYS_CC) $(RS_CPPFLAGS) $(CPPFLAGS) $(RS_CFLAGS) $(CFLAGS) \
           $(LDFLAGS) -pthread -o $@

# librunscript.so, for --tree: the resolver inside every dynamically linked
# program of a process tree. Only the interposed functions are exported,
# and every symbol is bound at load, so that nothing is looked up lazily
# between fork and exec.
LIB_SRC  = $(PRELOAD_SRC) $(CORE_SRC)
LIB_HDR  = $(PRELOAD_HDR) $(CORE_HDR)
LIB_FLAGS = -D_GNU_SOURCE -fPIC -fvisibility=hidden -shared -Wl,-z,noseparate-code \
            -Wl,-z,now -Wl,-z,relro $(LIB_MAP)
# glibc on x86-64 has two versions of posix_spawn, which the library keeps
# apart (src/preload/preload.c); elsewhere its symbols carry no version.
LIB_MAP != case `$(SYS_CC) -dumpmachine` in x86_64-*linux-gnu) \
            echo -Wl,--version-script=src/preload/x86_64.map;; esac

librunscript.so: $(LIB_SRC) $(LIB_HDR) src/preload/x86_64.map Makefile build/flags
	$(SYS_CC) $(RS_CPPFLAGS) $(LIB_INC) $(CPPFLAGS) $(RS_CFLAGS) $(CFLAGS) \
	    $(LIB_FLAGS) $(LDFLAGS) -o $@ $(LIB_SRC)

# Helpers the tests build: an argv-printing interpreter, a generator of #!
# lines for the differential test, the race harness. They and the bench
# programs are built the same way, each from one file; the race harness
# and the bench programs take their clock and timed starts from
# tests/timing.h.
TEST_PROGS  = tests/bin/argv tests/bin/shebang-gen tests/bin/race \
              tests/bin/race-sys tests/bin/launch tests/bin/safety \
              tests/bin/libcall-gen tests/bin/int80
BENCH_PROGS = bench/bin/exec-cost bench/bin/floor bench/bin/tree-cost \
              bench/bin/supervise-cost
PROG        = $(COMPILE) $(STATIC) $(LDFLAGS) -pthread -o $@

runscript: $(OBJ)
	$(LINK) -o $@ $(OBJ)

$(OBJ): $(HDR) Makefile build/flags build/kernel

build/kernel:
	@mkdir -p build/kernel
	@m=`$(SYS_CC) -print-multiarch 2>/dev/null`; \
	    for d in linux asm asm-generic; do \
	        for i in /usr/include/$$m /usr/include; do \
	            if [ -d "$$i/$$d" ]; then \
	                ln -sfn "$$i/$$d" "build/kernel/$$d"; break; \
	            fi; \
	        done; \
	    done

.c.o:
	$(COMPILE) $(CLI_INC) -c -o $@ $<

# The compiler and flags that built the objects: when either changes, the
# objects are rebuilt rather than mixed with those of another compiler.
build/flags: FORCE
	@mkdir -p build
	@echo "$(COMPILE) $(LINK)" >$@.new; \
	    if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi
FORCE:

runscript.1: man/runscript.1.in VERSION build/flags
	sed -e 's|@VERSION@|$(VERSION)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    man/runscript.1.in >$@

tests/bin/argv: tests/argv.c build/flags
	@mkdir -p tests/bin
	$(PROG) tests/argv.c
tests/bin/shebang-gen: tests/shebang-gen.c build/flags
	@mkdir -p tests/bin
	$(PROG) tests/shebang-gen.c
tests/bin/race: tests/race.c tests/timing.h build/flags
	@mkdir -p tests/bin
	$(PROG) tests/race.c
# An exec through int 0x80, static so that its memory is below 4 GiB.
tests/bin/int80: tests/int80.c build/flags
	@mkdir -p tests/bin
	$(PROG) tests/int80.c
# Calls each exec and spawn function of libc, dynamically linked, so that
# the tests can compare it with and without the preload library.
tests/bin/launch: tests/launch.c build/flags
	@mkdir -p tests/bin
	$(SYS_PROG) tests/launch.c
# The calls of the library's safety tests that launch cannot make alone
# (vfork loops, dlopen beside a spawning signal handler, old symbol
# versions, the E2BIG boundary), and the library's differential generator:
# both dynamically linked, against the system's libc, like launch.
tests/bin/safety: tests/safety.c build/flags
	@mkdir -p tests/bin
	$(SYS_PROG) tests/safety.c -ldl
tests/bin/libcall-gen: tests/libcall-gen.c build/flags
	@mkdir -p tests/bin
	$(SYS_PROG) tests/libcall-gen.c
# The race harness against the system's libc, for runscript --tree.
tests/bin/race-sys: tests/race.c tests/timing.h build/flags
	@mkdir -p tests/bin
	$(SYS_PROG) tests/race.c
bench/bin/exec-cost: bench/exec-cost.c tests/timing.h build/flags
	@mkdir -p bench/bin
	$(PROG) bench/exec-cost.c
bench/bin/floor: bench/floor.c build/flags
	@mkdir -p bench/bin
	$(PROG) bench/floor.c
bench/bin/supervise-cost: bench/supervise-cost.c build/flags
	@mkdir -p bench/bin
	$(PROG) bench/supervise-cost.c
# Spawns with and without librunscript.so preloaded: it must be dynamically
# linked against the system's libc, as a static program ignores LD_PRELOAD.
bench/bin/tree-cost: bench/tree-cost.c tests/timing.h build/flags
	@mkdir -p bench/bin
	$(SYS_PROG) bench/tree-cost.c

# TESTS picks the bats files to run: make test TESTS=tests/cli.bats
TESTS = tests
test: runscript librunscript.so $(TEST_PROGS)
	sh tests/run-bats $(TESTS)

# The race and differential tests at length: STRESS_LAUNCHES launches per
# run under each load (a time limit of STRESS_SECONDS a run), STRESS_LINES
# generated #! lines, and STRESS_CASES generated library calls where
# tests/libdiff.bats exists. The same test files as make test, only longer.
STRESS_LAUNCHES = 50000
STRESS_SECONDS  = 3600
STRESS_LINES    = 4000
STRESS_CASES    = 20000
stress: runscript librunscript.so $(TEST_PROGS)
	RACE_LAUNCHES=$(STRESS_LAUNCHES) RACE_SECONDS=$(STRESS_SECONDS) \
	TREE_LAUNCHES=$(STRESS_LAUNCHES) TREE_SECONDS=$(STRESS_SECONDS) \
	DIFF_COUNT=$(STRESS_LINES) LIBDIFF_CASES=$(STRESS_CASES) \
	    sh tests/run-bats tests/race.bats tests/tree.bats \
	    tests/differential.bats \
	    `[ -f tests/libdiff.bats ] && echo tests/libdiff.bats`

# Benchmarks: tables of ratios, to direct exec and with/without the --tree
# library, each measured side by side in one run.
bench: runscript librunscript.so $(BENCH_PROGS) tests/bin/race
	sh bench/bench.sh "$(LINK)"

# Fuzzing the #! parser with libFuzzer (clang), FUZZ_SECONDS at a time.
FUZZ_SECONDS = 60
FUZZ_CC      = clang
FUZZ_FLAGS   = -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all

fuzz/bin/fuzz-shebang: fuzz/fuzz-shebang.c src/core/shebang.c src/core/shebang.h
	@mkdir -p fuzz/bin
	$(FUZZ_CC) $(RS_CPPFLAGS) $(RS_CFLAGS) $(FUZZ_FLAGS) -o $@ \
	    fuzz/fuzz-shebang.c src/core/shebang.c

fuzz: fuzz/bin/fuzz-shebang tests/bin/shebang-gen
	sh fuzz/run.sh $(FUZZ_SECONDS)

# The whole suite against an ASan+UBSan build, then valgrind memcheck on a
# plain dynamic build (memcheck cannot follow a static one's allocations).
SAN_CC    = clang
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=all
VG_CC     = cc

build/asan/runscript: $(SRC) $(HDR)
	@mkdir -p build/asan
	$(SAN_CC) $(RS_CPPFLAGS) $(CLI_INC) $(RS_CFLAGS) $(SAN_FLAGS) -o $@ $(SRC)

build/valgrind/runscript: $(SRC) $(HDR)
	@mkdir -p build/valgrind
	$(VG_CC) $(RS_CPPFLAGS) $(CLI_INC) $(RS_CFLAGS) -O1 -g -o $@ $(SRC)

# The preload library's code, linked into a program whose threads spawn
# scripts at once: under ASan+UBSan, and under helgrind.
build/asan/spawn-threads: tests/spawn-threads.c $(LIB_SRC) $(LIB_HDR)
	@mkdir -p build/asan
	$(SAN_CC) $(RS_CPPFLAGS) $(LIB_INC) -D_GNU_SOURCE $(RS_CFLAGS) $(SAN_FLAGS) \
	    -pthread -o $@ tests/spawn-threads.c $(LIB_SRC)

build/valgrind/spawn-threads: tests/spawn-threads.c $(LIB_SRC) $(LIB_HDR)
	@mkdir -p build/valgrind
	$(VG_CC) $(RS_CPPFLAGS) $(LIB_INC) -D_GNU_SOURCE $(RS_CFLAGS) -O1 -g -pthread \
	    -o $@ tests/spawn-threads.c $(LIB_SRC)

# The test files that run the binary: those of the library alone
# (preload, libdiff), of the build and of the recipes would only run again.
SAN_TESTS != ls tests/*.bats | grep -Ev '/(preload|libdiff|build|recipes)\.bats$$'
SAN_PROGS = build/asan/runscript build/valgrind/runscript \
            build/asan/spawn-threads build/valgrind/spawn-threads

check-sanitize: $(SAN_PROGS) librunscript.so $(TEST_PROGS)
	cp -f librunscript.so build/asan/librunscript.so
	RUNSCRIPT_BIN=`pwd`/build/asan/runscript sh tests/run-bats $(SAN_TESTS)
	sh tests/valgrind.sh build/valgrind/runscript tests/bin/argv
	build/asan/spawn-threads 32 50
	SPAWN_THREADS_VALGRIND=1 valgrind --tool=helgrind -q \
	    --error-exitcode=1 build/valgrind/spawn-threads 8 5

# Static analysis and style: the checks are chosen in .clang-tidy and
# .clang-format; every shell file, and the man page, lint clean.
# shellcheck's notes (info, style) flag bats' test subshells and the
# tests' deliberate literal '$(...)' arguments, so warnings and errors fail.
SH_FILES = tests/run-bats tests/valgrind.sh tests/tidy.sh tests/layers.sh tests/stack.sh \
           tests/helper.bash tests/libcall.bash tests/*.bats \
           bench/bench.sh fuzz/run.sh examples/demo.sh .ci/run
C_FILES  = src/*/*.c src/*/*.h tests/*.c tests/*.h bench/*.c fuzz/*.c

# clang-tidy, without its count of the warnings it was told to ignore.
TIDY = sh tests/tidy.sh

lint: runscript.1
	cppcheck --enable=warning,style,performance,portability --std=c11 \
	    --error-exitcode=1 --inline-suppr --quiet $(RS_CPPFLAGS) \
	    $(CLI_INC) src bench fuzz tests
	sh tests/layers.sh
	sh tests/stack.sh $(SYS_CC) $(RS_CPPFLAGS) $(LIB_INC) $(RS_CFLAGS) \
	    $(CFLAGS) -D_GNU_SOURCE -fPIC -- $(LIB_SRC)
	@$(TIDY) $(SRC) -- $(RS_CPPFLAGS) $(CLI_INC)
	@$(TIDY) $(PRELOAD_SRC) -- $(RS_CPPFLAGS) $(LIB_INC) -D_GNU_SOURCE
	@$(TIDY) fuzz/fuzz-shebang.c -- $(RS_CPPFLAGS)
	shellcheck --severity=warning $(SH_FILES)
	clang-format --dry-run --Werror $(C_FILES)
	mandoc -Tlint -Wwarning runscript.1
	@out=`groff -mandoc -ww -z runscript.1 2>&1`; \
	    if [ -n "$$out" ]; then echo "$$out"; exit 1; fi

install: runscript librunscript.so runscript.1
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(MANPREFIX)/man1
	cp -f runscript $(DESTDIR)$(BINDIR)/runscript
	chmod 755 $(DESTDIR)$(BINDIR)/runscript
	cp -f librunscript.so $(DESTDIR)$(LIBDIR)/librunscript.so
	chmod 644 $(DESTDIR)$(LIBDIR)/librunscript.so
	cp -f runscript.1 $(DESTDIR)$(MANPREFIX)/man1/runscript.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/runscript.1

# As packagers expect: the same, without debugging symbols.
STRIP = strip
install-strip: install
	$(STRIP) $(DESTDIR)$(BINDIR)/runscript
	$(STRIP) --strip-unneeded $(DESTDIR)$(LIBDIR)/librunscript.so

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/runscript \
	    $(DESTDIR)$(LIBDIR)/librunscript.so \
	    $(DESTDIR)$(MANPREFIX)/man1/runscript.1
	-rmdir $(DESTDIR)$(LIBDIR)

# The race side by side: direct exec fails with "Text file busy", runscript not.
demo: runscript tests/bin/race
	sh examples/demo.sh

clean:
	rm -f runscript librunscript.so runscript.1 $(OBJ)
	rm -rf tests/bin bench/bin fuzz/bin build

.PHONY: all test stress check-sanitize lint bench demo fuzz install install-strip \
        uninstall clean FORCE
