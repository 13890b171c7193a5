# SPDX-License-Identifier: PostgreSQL
# A thin wrapper over meson: the README's two commands and a few helpers.

BUILD ?= build
ASAN_BUILD ?= build-asan

.PHONY: all demo check deps test-deps clean fuzz

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

# Build, then show who was connected at the end of a real PostgreSQL 15 log.
demo: all
	./$(BUILD)/pgtail connections tests/fixtures/default-prefix/postgresql-2026-11-29_004152.log

# Every test, in the optimised build and under ASan+UBSan.
check: test-deps $(BUILD)/build.ninja $(ASAN_BUILD)/build.ninja
	ninja -C $(BUILD)
	ninja -C $(ASAN_BUILD)
	tests/run.sh

# Run every fuzz target for a minute each (FUZZ_SECONDS=N to change).
fuzz: test-deps
	tests/fuzz/run.sh $${FUZZ_SECONDS:-60}

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
