# SPDX-License-Identifier: PostgreSQL
# A thin wrapper over meson: the README's two commands and a few helpers.

BUILD ?= build
ASAN_BUILD ?= build-asan
SETUP = scripts/setup-build.sh
# make install: where (PREFIX), and below what staging directory (DESTDIR).
PREFIX ?= /usr/local
DESTDIR ?=
# make check: with the tests, which need cmocka (configure fails without it).
BUILD_OPTS = --buildtype=release -Dtests=enabled
ASAN_OPTS = --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dtests=enabled

.PHONY: all demo check test deps test-deps clean fuzz install uninstall

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

# A plain build: tests=auto, so a machine without cmocka still builds pgtail.
$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release

# Build, then show who was connected at the end of a real PostgreSQL 15 log.
demo: all
	./$(BUILD)/pgtail connections tests/fixtures/default-prefix/postgresql-2026-11-29_004152.log

# Every test, in the optimised build and under ASan+UBSan, plus the fuzz
# smoke run and the build-without-test-packages check; independent suites
# run side by side (JOBS=N to change how many).
check: test-deps
	$(SETUP) $(BUILD) $(BUILD_OPTS)
	$(SETUP) $(ASAN_BUILD) $(ASAN_OPTS)
	ninja -C $(BUILD)
	ninja -C $(ASAN_BUILD)
	tests/fuzz/run.sh --build-only
	BUILDS="$(BUILD) $(ASAN_BUILD)" tests/run.sh

# The quick loop: unit and golden tests of the optimised build only.
test: test-deps
	$(SETUP) $(BUILD) $(BUILD_OPTS)
	ninja -C $(BUILD)
	BUILDS="$(BUILD)" tests/run.sh unit golden

# Install the program, its man page and its bash, zsh and fish completion
# under PREFIX, below DESTDIR when that is set: the build directory is
# configured for PREFIX, then meson installs what the build files mark.
install: all
	$(SETUP) $(BUILD) --prefix=$(PREFIX)
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir "$(abspath $(DESTDIR))")

# Remove what 'make install' installs with the same PREFIX and DESTDIR.
uninstall:
	$(SETUP) $(BUILD) --prefix=$(PREFIX)
	scripts/uninstall.sh $(BUILD) $(if $(DESTDIR),"$(abspath $(DESTDIR))")

# Run every fuzz target for a minute each (FUZZ_SECONDS=N to change).
fuzz: test-deps
	tests/fuzz/run.sh $${FUZZ_SECONDS:-60}

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
