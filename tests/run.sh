#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Run every test suite against the optimised build and the ASan+UBSan build,
# and print one closing line "N passed, N failed".
#   tests/run.sh [SUITE...]   suites: unit golden corpus repl detect follow robust leak live livefollow livegap fuzz (default: all)
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
. tests/lib/test-lib.sh

suites=${*:-"unit golden corpus repl detect follow robust leak live livefollow livegap fuzz"}
build_suites=$(printf "%s\n" $suites | grep -v "^fuzz$" | tr "\n" " ")
builds="build build-asan"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

for b in $builds; do
	[ -x "$b/pgtail" ] || { fail "$b: pgtail is built" "run 'make check'"; continue; }
	for s in $build_suites; do
		case $s in
		unit)
			for t in "$b"/tests/test_*; do
				[ -f "$t" ] && [ -x "$t" ] || continue
				name="$b/unit/$(basename "$t")"
				if out=$("$t" 2>&1); then
					n=$(printf '%s\n' "$out" | sed -n 's/.*PASSED.* \([0-9][0-9]*\) test.*/\1/p' | tail -1)
					pass "$name (${n:-?} cases)"
				else
					fail "$name" "$(printf '%s\n' "$out" | grep -E 'FAIL|ERROR|error|Assert|runtime' | head -20)"
				fi
			done
			;;
		golden | corpus | repl | detect | follow | robust | leak | live | livefollow | livegap)
			script="tests/$s/run.sh"
			[ "$s" = livefollow ] && script=tests/live/follow.sh
			[ "$s" = livegap ] && script=tests/live/gap.sh
			[ -x "$script" ] || { fail "$b/$s: $script exists"; continue; }
			# Each suite prints ok/FAIL lines and its own tally; fold it in.
			out=$(PGTAIL="$top/$b/pgtail" BUILD="$b" "$script" 2>&1)
			rc=$?
			printf '%s\n' "$out" | grep -E '^(ok|FAIL|     )' | sed "s|^ok   |ok   $b/$s: |; s|^FAIL |FAIL $b/$s: |"
			p=$(printf '%s\n' "$out" | tail -1 | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
			f=$(printf '%s\n' "$out" | tail -1 | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
			if [ -z "$p" ]; then
				fail "$b/$s: suite ran to its end" "$(printf '%s\n' "$out" | tail -15)"
			else
				TESTS_PASSED=$((TESTS_PASSED + p))
				TESTS_FAILED=$((TESTS_FAILED + f))
				[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && fail "$b/$s: suite exit status" "exit $rc"
			fi
			;;
		*) fail "unknown suite '$s'" ;;
		esac
	done
done
# Fuzz smoke run: once, not per build (the targets carry their own sanitizers).
case " $suites " in
*" fuzz "*)
	out=$(tests/fuzz/run.sh "${FUZZ_SECONDS:-5}" 2>&1)
	printf '%s\n' "$out" | grep -E '^(ok|FAIL|     )'
	p=$(printf '%s\n' "$out" | tail -1 | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$out" | tail -1 | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	TESTS_PASSED=$((TESTS_PASSED + ${p:-0}))
	TESTS_FAILED=$((TESTS_FAILED + ${f:-1}))
	;;
esac
test_summary
