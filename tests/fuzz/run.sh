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

# fuzz_one NAME: its regression inputs, then SECONDS of fuzzing; the
# results as "P text" and "F text" (then "  detail" lines) in $out/NAME.res.
fuzz_one() {
	name=$1
	bin=$out/tests/fuzz/$name
	res=$out/$name.res
	: >"$res"
	if [ ! -x "$bin" ]; then
		printf 'F fuzz: %s builds\n  not in tests/fuzz/meson.build?\n' "$name" >>"$res"
		return
	fi
	# Inputs that once failed are replayed first, each once.
	regress=tests/fuzz/regress/$name
	if [ -d "$regress" ] && [ -n "$(ls "$regress")" ]; then
		nreg=$(ls "$regress" | wc -l)
		if "$bin" -rss_limit_mb=2048 "$regress"/* >"$out/$name.regress.log" 2>&1; then
			printf 'P fuzz: %s replays its %s regression inputs clean\n' "$name" "$nreg" >>"$res"
		else
			printf 'F fuzz: %s regression inputs\n' "$name" >>"$res"
			grep -E 'Running:|ERROR|SUMMARY|runtime error' "$out/$name.regress.log" |
				head -10 | sed 's/^/  /' >>"$res"
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
		printf 'P fuzz: %s ran clean for %ss (%s executions)\n' "$name" "$secs" "${runs:-?}" >>"$res"
	else
		printf 'F fuzz: %s\n' "$name" >>"$res"
		grep -E 'ERROR|SUMMARY|runtime error' "$out/$name.log" | head -10 | sed 's/^/  /' >>"$res"
	fi
}

# Two targets at a time (FUZZ_JOBS): each is one process, and make check
# has the fuzz run as its longest suite.
jobs=${FUZZ_JOBS:-2}
names=""
for src in tests/fuzz/fuzz_*.c; do
	names="$names $(basename "$src" .c)"
done
running=0
for name in $names; do
	fuzz_one "$name" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
for name in $names; do
	detail=""
	title=""
	kind=""
	while IFS= read -r line; do
		case $line in
		"  "*) detail="$detail${detail:+
}${line#  }" ;;
		*)
			[ -n "$kind" ] && { [ "$kind" = P ] && pass "$title" || fail "$title" "$detail"; }
			kind=${line%% *}
			title=${line#? }
			detail=""
			;;
		esac
	done <"$out/$name.res"
	[ -n "$kind" ] && { [ "$kind" = P ] && pass "$title" || fail "$title" "$detail"; }
done
test_summary
