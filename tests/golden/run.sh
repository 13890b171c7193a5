#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Golden tests: each cases/NAME.cmd holds the arguments of one pgtail run
# (FX stands for tests/fixtures); cases/NAME.expected holds its stdout, its
# stderr and its exit status.  approve.sh rewrites the expected files after
# a deliberate change; this runner never does.
#
# A case whose arguments start with 'pgtail-test' runs the test helper
# instead (tests/helper/pgtail-test.c, built next to pgtail in BUILD/tests),
# which prints one pipeline stage, one line per record: 'parse' pins what
# the framer and the parser make of each record, 'classify' the connection
# events the classifier sees, apart from everything after them.
set -u
cd "$(dirname "$0")"
. ../lib/test-lib.sh
PGTAIL=${PGTAIL:-../../build/pgtail}
PGTAIL_TEST=${PGTAIL_TEST:-$(dirname "$PGTAIL")/tests/pgtail-test}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_case CMDFILE OUTFILE: run one case, writing the combined result.
# The arguments are split as the shell would but never globbed (a case's
# 'my*' must reach pgtail as it is, whatever files sit here), and OUTFILE is
# saved before 'set --' replaces the positional parameters: writing to "$2"
# after it once left files named after the arguments ('--json',
# 'connections', ...) in this directory.
run_case() {
	result=$2
	args=$(sed 's#FX/#../fixtures/#g' "$1")
	set -f
	eval "set -- $args"
	set +f
	prog=$PGTAIL
	if [ "${1:-}" = pgtail-test ]; then
		prog=$PGTAIL_TEST
		shift
	fi
	# A case may start with VAR=VALUE words: its environment.  Otherwise a
	# UTF-8 locale and no terminal (so prose is fitted to 80 columns).
	(
		export LC_ALL=C.UTF-8
		unset COLUMNS
		while [ $# -gt 0 ]; do
			case $1 in
			[A-Z_]*=*) export "$1"; shift ;;
			*) break ;;
			esac
		done
		exec env NO_COLOR=1 "$prog" "$@"
	) >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
	rc=$?
	{
		echo "--- stdout"
		cat "$tmp/stdout"
		echo "--- stderr"
		cat "$tmp/stderr"
		echo "--- exit $rc"
	} >"$result"
}

if [ "${APPROVE:-}" = 1 ]; then
	for c in cases/*.cmd; do run_case "$c" "${c%.cmd}.expected"; done
	echo "approved $(ls cases/*.cmd | wc -l) cases"
	exit 0
fi

for c in cases/*.cmd; do
	name=$(basename "$c" .cmd)
	if [ ! -f "${c%.cmd}.expected" ]; then
		fail "$name" "no ${c%.cmd}.expected (run tests/golden/approve.sh)"
		continue
	fi
	run_case "$c" "$tmp/actual"
	check_cmp "$name" "${c%.cmd}.expected" "$tmp/actual"
done
# Every command answers --help, in one-shot mode too, from the table.
for c in $("$PGTAIL" help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p'; "$PGTAIL" --help | sed -n 's/^At the pgtail> prompt also: //p' | tr -d ',') ; do
	out=$("$PGTAIL" "$c" --help 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q "^Usage: .*$c"; then
		pass "pgtail $c --help"
	else
		fail "pgtail $c --help" "exit $rc: $(printf '%s\n' "$out" | head -3)"
	fi
done
# Nothing but the runner, the approval script and the cases belongs here.
stray=$(ls -A | grep -v -x -e run.sh -e approve.sh -e cases)
check_eq "no stray files in tests/golden" "" "$stray"
test_summary
