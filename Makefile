# runscript — POSIX make; CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX, MANPREFIX
# and DESTDIR given by the user win over these defaults.
.POSIX:

VERSION   = 1.0.0
PREFIX    = /usr/local
BINDIR    = $(PREFIX)/bin
MANPREFIX = $(PREFIX)/share/man

# The default build is the fastest to start: static with musl when
# musl-gcc is installed (Debian's musl-tools), where a dynamically linked
# glibc would spend most of runscript's time loading itself.
CC      != command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo cc
CFLAGS  = -O2 -g
LDFLAGS != command -v musl-gcc >/dev/null 2>&1 && echo -static || true

# The project's own flags: always on, warnings are errors.
RS_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -DRS_VERSION=\"$(VERSION)\"
RS_CFLAGS   = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Wformat=2 -Werror

OBJ = src/runscript.o src/shebang.o src/path.o src/exec.o src/quote.o
HDR = src/runscript.h src/shebang.h src/path.h src/exec.h src/quote.h

# Helpers the tests build: an argv-printing interpreter and a generator
# of #! lines for the differential test.
TEST_PROGS = tests/bin/argv tests/bin/shebang-gen tests/bin/race

all: runscript

runscript: $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $(OBJ)

$(OBJ): $(HDR) Makefile

.c.o:
	$(CC) $(RS_CPPFLAGS) $(CPPFLAGS) $(RS_CFLAGS) $(CFLAGS) -c -o $@ $<

tests/bin/argv: tests/argv.c
	@mkdir -p tests/bin
	$(CC) $(RS_CPPFLAGS) $(CPPFLAGS) $(RS_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ tests/argv.c

tests/bin/shebang-gen: tests/shebang-gen.c
	@mkdir -p tests/bin
	$(CC) $(RS_CPPFLAGS) $(CPPFLAGS) $(RS_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ tests/shebang-gen.c

# The race harness: threads write and launch scripts while others fork.
tests/bin/race: tests/race.c
	@mkdir -p tests/bin
	$(CC) $(RS_CPPFLAGS) $(CPPFLAGS) $(RS_CFLAGS) $(CFLAGS) $(LDFLAGS) -pthread -o $@ tests/race.c

test: runscript $(TEST_PROGS)
	sh tests/run-bats tests

install: runscript
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1
	cp -f runscript $(DESTDIR)$(BINDIR)/runscript
	chmod 755 $(DESTDIR)$(BINDIR)/runscript
	cp -f man/runscript.1 $(DESTDIR)$(MANPREFIX)/man1/runscript.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/runscript.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/runscript $(DESTDIR)$(MANPREFIX)/man1/runscript.1

# The race side by side: direct exec fails with "Text file busy", runscript not.
demo: runscript tests/bin/race
	sh examples/demo.sh

clean:
	rm -f runscript $(OBJ)
	rm -rf tests/bin

.PHONY: all test demo install uninstall clean
