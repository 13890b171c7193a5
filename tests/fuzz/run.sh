#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Build every libFuzzer target (tests/fuzz/fuzz_*.c) through meson, in a
# build directory of its own (build-fuzz: clang, -Dfuzz=true; src/ is
# compiled once, instrumented, and each target links it), and run each for
# SECONDS (default 5: the smoke run of make check; make fuzz uses 60) from a
# seed corpus cut from the real logs.  A crash, leak or sanitizer report
# fails the target and leaves the input in build-fuzz/crashes/; once fixed,
# it goes in tests/fuzz/regress/TARGET/, which is replayed before each run.
#   tests/fuzz/run.sh [SECONDS]      FUZZ_CC=clang-15 to pick the compiler
#   tests/fuzz/run.sh --build-only   configure and build, run nothing
#                                    (make check, next to its other builds)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test-lib.sh
build_only=0
[ "${1:-}" = --build-only ] && build_only=1 && shift
secs=${1:-${FUZZ_SECONDS:-5}}
out=build-fuzz
CC=${FUZZ_CC:-clang}
if ! command -v "$CC" >/dev/null; then
	fail "fuzz: $CC is installed" "apt-get install clang libclang-rt-dev"
	test_summary
	exit 1
fi
mkdir -p "$out/crashes"
# -Dtests=disabled: this build needs neither cmocka nor the test helpers.
if ! CC=$CC scripts/setup-build.sh "$out" --buildtype=debug -Dfuzz=true -Dtests=disabled \
	>"$out/setup.log" 2>&1; then
	fail "fuzz: $out configures" "$(tail -20 "$out/setup.log")"
	test_summary
	exit 1
fi
if ! ninja -C "$out" fuzz >"$out/build.log" 2>&1; then
	fail "fuzz: the targets build" "$(grep -E 'error|FAILED' "$out/build.log" | head -20)"
	test_summary
	exit 1
fi
if [ $build_only = 1 ]; then
	echo "fuzz targets built in $out/tests/fuzz"
	exit 0
fi

# Seeds: slices of the real logs of every format.
seeds=$out/seeds
if [ ! -d "$seeds" ]; then
	mkdir -p "$seeds"
	n=0
	for f in tests/fixtures/*/*.log tests/fixtures/*/*.csv tests/fixtures/*/*.json tests/fixtures/synthetic/*.log; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		head -c 4096 "$f" >"$seeds/head$n"
		tail -c 4096 "$f" >"$seeds/tail$n"
	done
	# The transports' shapes, wrapped around the same real logs.
	d=tests/fixtures/default-prefix
	tests/fixtures/wrap/containers.sh $d/postgresql-2026-11-29_004152.log \
		$d/postgresql-2026-11-29_004152.csv "$out/wrapped" >/dev/null 2>&1
	tests/fixtures/wrap/cloud.sh tests/fixtures/debian-prefix/postgresql-2026-11-29_003703.log \
		"$out/wrapped" >/dev/null 2>&1
	for f in "$out"/wrapped/*.json "$out"/wrapped/*.log; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		head -c 4096 "$f" >"$seeds/head$n"
		tail -c 4096 "$f" >"$seeds/tail$n"
	done
fi

for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	bin=$out/tests/fuzz/$name
	if [ ! -x "$bin" ]; then
		fail "fuzz: $name builds" "not in tests/fuzz/meson.build?"
		continue
	fi
	# Inputs that once failed are replayed first, each once.
	regress=tests/fuzz/regress/$name
	if [ -d "$regress" ] && [ -n "$(ls "$regress")" ]; then
		nreg=$(ls "$regress" | wc -l)
		if "$bin" -rss_limit_mb=2048 "$regress"/* >"$out/$name.regress.log" 2>&1; then
			pass "fuzz: $name replays its $nreg regression inputs clean"
		else
			fail "fuzz: $name regression inputs" \
				"$(grep -E 'Running:|ERROR|SUMMARY|runtime error' "$out/$name.regress.log" | head -10)"
		fi
	fi
	corpus=$out/corpus-$name
	mkdir -p "$corpus"
	# A target's dictionary (the texts it looks for), when it has one.
	dict=
	[ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
	if "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536 $dict \
		-artifact_prefix="$out/crashes/$name-" -print_final_stats=1 \
		"$corpus" "$seeds" >"$out/$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log" | tail -1)
		pass "fuzz: $name ran clean for ${secs}s (${runs:-?} executions)"
	else
		fail "fuzz: $name" "$(grep -E 'ERROR|SUMMARY|runtime error' "$out/$name.log" | head -10)"
	fi
done
test_summary
