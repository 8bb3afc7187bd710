# plandash - a terminal dashboard for implementation plans.
#   make            build ./plandash
#   make run        set up what is missing, build, open plan.yaml
#   make check      set up what is missing, build, run every test
#   make install    PREFIX=/usr/local DESTDIR= MANPREFIX=$(PREFIX)/share/man

VERSION    = 0.2.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANPREFIX ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config

CC        ?= cc
CFLAGS    ?= -O2 -g
# Where objects and test programs go; the program itself is $(BIN).
BUILD     ?= build
BIN       ?= plandash

PKGS      = ncursesw yaml-0.1 libcjson xlsxwriter
WARN      = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 \
            -Wwrite-strings -Wmissing-prototypes -Werror
# Recursive (=) on purpose: pkg-config runs when a recipe needs the flags,
# after `make deps` has had its chance to install the libraries.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CPPFLAGS = -D_GNU_SOURCE \
               -DPLANDASH_VERSION='"$(VERSION)"' -Isrc $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS)

SRC       = $(filter-out src/main.c,$(wildcard src/*.c))
OBJ       = $(SRC:src/%.c=$(BUILD)/src/%.o)
LIB       = $(BUILD)/libplandash.a

TEST_SRC  = $(wildcard tests/unit/test_*.c)
TEST_BIN  = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC  = $(wildcard tests/tools/*.c)
TOOL_BIN  = $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all deps deps-test deps-present deps-present-unit run check test-build test install uninstall \
        clean pinyin eaw bench fuzz sanitize valgrind lint
FUZZ_SECONDS ?= 60
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all

all: $(BIN)

$(BIN): $(BUILD)/src/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(BUILD)/src/main.o $(LIB) $(PKG_LIBS) $(LDLIBS)

$(LIB): $(OBJ)
	rm -f $@
	$(AR) rcs $@ $(OBJ)

$(BUILD)/src/%.o: src/%.c | deps-present
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB) | deps-present-unit
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) \
	    $(PKG_LIBS) $$($(PKG_CONFIG) --libs cmocka) $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) $(LDLIBS)

# The version is a -D flag: main.o is rebuilt when the Makefile changes it.
$(BUILD)/src/main.o: Makefile

-include $(OBJ:.o=.d) $(BUILD)/src/main.d

# Before compiling anything: the compiler, pkg-config and the libraries are
# there, or make stops with one line saying what is missing and how to get
# it (tools/deps.sh check).  $(error) is expanded only when this runs.
deps-present:
	$(if $(DEPS_MISSING),$(error $(DEPS_MISSING)))
deps-present-unit: deps-present
	$(if $(DEPS_MISSING_UNIT),$(error $(DEPS_MISSING_UNIT)))
DEPS_MISSING      = $(shell CC='$(CC)' PKG_CONFIG='$(PKG_CONFIG)' sh tools/deps.sh check $(PKGS))
DEPS_MISSING_UNIT = $(shell CC='$(CC)' PKG_CONFIG='$(PKG_CONFIG)' sh tools/deps.sh check cmocka)

# Install what is missing (Debian packages, with sudo when not root).
deps:
	@sh tools/deps.sh build
deps-test:
	@sh tools/deps.sh test

run: deps
	@$(MAKE) --no-print-directory all
	./$(BIN) plan.yaml

test-build: $(BIN) $(TEST_BIN) $(TOOL_BIN)

# Every test: unit tests (cmocka), CLI, status, dashboard (headless and tmux).
test: test-build
	@PLANDASH="$(abspath $(BIN))" BUILD="$(abspath $(BUILD))" sh tests/run.sh $(TEST_BIN)

# The build inside check runs in parallel (one job a CPU) unless make was
# given -j already; tests/run.sh runs the test programs and scripts in
# parallel too (TEST_JOBS, default twice the number of CPUs).
NPROC = $(shell nproc 2>/dev/null || echo 2)
JOBS  = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))
check: deps-test
	@$(MAKE) --no-print-directory $(JOBS) test

# Regenerate src/pinyin_data.c from Unihan (needs the unicode-data package).
pinyin:
	@sh tools/deps.sh pinyin
	python3 tools/gen_pinyin.py /usr/share/unicode/Unihan_Readings.txt.bz2 > src/pinyin_data.c.new
	mv src/pinyin_data.c.new src/pinyin_data.c

# Regenerate src/eaw_data.c, the East Asian Ambiguous ranges, from Unicode's
# EastAsianWidth.txt (needs the unicode-data package).
eaw:
	@sh tools/deps.sh eaw
	python3 tools/gen_eaw.py /usr/share/unicode/EastAsianWidth.txt > src/eaw_data.c.new
	mv src/eaw_data.c.new src/eaw_data.c

# The whole test suite, dashboard tests included, under ASan and UBSan.
# Every report is also written to build/san/reports/ (log_path), so that one
# from a process whose stderr a test swallows (tmux panes, expected-error
# runs) still fails the target; LSan ignores only tests/fuzz/lsan.supp.
SAN_REPORTS = $(abspath build/san/reports)
sanitize: deps-test
	@sh tools/deps.sh fuzz
	@$(MAKE) --no-print-directory $(JOBS) BUILD=build/san BIN=build/san/plandash CC=clang \
	    CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" test-build
	@rm -rf $(SAN_REPORTS) && mkdir -p $(SAN_REPORTS)
	@ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1:log_path=$(SAN_REPORTS)/asan \
	 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$(SAN_REPORTS)/ubsan \
	 LSAN_OPTIONS=suppressions=$(abspath tests/fuzz/lsan.supp):print_suppressions=0 \
	 $(MAKE) --no-print-directory BUILD=build/san BIN=build/san/plandash CC=clang \
	    CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" test; rc=$$?; \
	 if [ -n "$$(ls $(SAN_REPORTS))" ]; then \
	    echo "sanitize: sanitizer reports (in $(SAN_REPORTS)):"; cat $(SAN_REPORTS)/*; exit 1; \
	 fi; exit $$rc

# The command-line paths under valgrind's memcheck.
valgrind: deps-test
	@sh tools/deps.sh valgrind
	@$(MAKE) --no-print-directory all test-build
	@PLANDASH="$(abspath $(BIN))" BUILD="$(abspath $(BUILD))" sh tests/fuzz/run-valgrind.sh

# libFuzzer targets, each FUZZ_SECONDS seconds.
fuzz: deps-test
	@sh tools/deps.sh fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run-fuzz.sh

# cppcheck and clang-tidy on src/.
lint:
	@sh tools/deps.sh lint
	@sh tools/lint.sh

# The benchmark table (tests/bench/).
bench: deps-test
	@sh tools/deps.sh valgrind
	@$(MAKE) --no-print-directory all
	@PLANDASH="$(abspath $(BIN))" BUILD="$(abspath $(BUILD))" sh tests/bench/run-bench.sh

install: $(BIN)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1
	cp -f $(BIN) $(DESTDIR)$(BINDIR)/plandash
	chmod 755 $(DESTDIR)$(BINDIR)/plandash
	cp -f man/plandash.1 $(DESTDIR)$(MANPREFIX)/man1/plandash.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/plandash.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/plandash $(DESTDIR)$(MANPREFIX)/man1/plandash.1

clean:
	rm -rf $(BUILD) plandash
