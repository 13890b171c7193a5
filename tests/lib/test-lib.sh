# SPDX-License-Identifier: PostgreSQL
# Shared helpers for pgtail's shell test suites.  Source it; then call
# pass/fail/check_* and finally test_summary.  A suite prints one line per
# test and "N passed, N failed" at the end, exiting non-zero on any failure.

TESTS_PASSED=${TESTS_PASSED:-0}
TESTS_FAILED=${TESTS_FAILED:-0}

pass() {
	TESTS_PASSED=$((TESTS_PASSED + 1))
	printf 'ok   %s\n' "$1"
}

fail() {
	TESTS_FAILED=$((TESTS_FAILED + 1))
	printf 'FAIL %s\n' "$1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/     /'
	return 0
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $2
actual:   $3"; fi
}

# check_cmp NAME EXPECTED_FILE ACTUAL_FILE: files must be identical.
check_cmp() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "$(diff -u "$2" "$3" | head -40)"
	fi
}

# bail NAME [DETAIL]: a failure the suite cannot go on after; ends it.
bail() {
	fail "$1" "${2:-}"
	test_summary
	exit 1
}

# retry_until SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds
# or the deadline passes (no fixed sleeps in tests).
retry_until() {
	_deadline=$(($(date +%s) + $1))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
	return 0
}

# randbytes SEED N: N pseudo-random bytes, the same for the same SEED (so a
# failure can be replayed).
randbytes() {
	python3 -c 'import random, sys
r = random.Random(int(sys.argv[1]))
sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(int(sys.argv[2]))))' "$1" "$2"
}

test_summary() {
	printf '%s passed, %s failed\n' "$TESTS_PASSED" "$TESTS_FAILED"
	[ "$TESTS_FAILED" -eq 0 ]
}
