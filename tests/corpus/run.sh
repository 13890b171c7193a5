#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Golden checks against real PostgreSQL 15 logs whose true connection state
# is known (tests/fixtures/<scenario>/truth.json, from pg_stat_activity and
# a wire-protocol relay): every scenario, every log destination, as files,
# a directory, a glob, gzip and stdin, and with the rest of the log after
# the cut (everything closed).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test-lib.sh
PGTAIL=${PGTAIL:-build/pgtail}
fx=tests/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check NAME TRUTH [--after-cut] -- PGTAIL-ARGS...
check() {
	name=$1 truth=$2
	shift 2
	extra=""
	while [ "$1" = "--after-cut" ] || [ "$1" = "--no-pids" ]; do extra="$extra $1"; shift; done
	[ "$1" = "--" ] && shift
	if ! "$PGTAIL" connections --json "$@" >"$tmp/out.json" 2>"$tmp/err"; then
		fail "$name: pgtail exits 0" "$(cat "$tmp/err")"
		return
	fi
	# Fold check.py's lines into this suite's tally.
	python3 tests/corpus/check.py "$name" "$truth" "$tmp/out.json" $extra >"$tmp/res"
	while IFS= read -r line; do
		case $line in
		"ok   "*) pass "${line#ok   }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$tmp/res"
}

d=$fx/default-prefix
log=$d/postgresql-2026-11-29_004152
check "default-prefix stderr" $d/truth.json -- $log.log
check "default-prefix csvlog" $d/truth.json -- $log.csv
check "default-prefix jsonlog" $d/truth.json -- $log.json
check "default-prefix directory" $d/truth.json -- $d
for ext in log csv json; do
	cat $log.$ext $d/after-cut/postgresql-2026-11-29_004152.$ext >"$tmp/full.$ext"
	check "default-prefix $ext to shutdown" $d/truth.json --after-cut -- "$tmp/full.$ext"
done
gzip -c $log.log >"$tmp/default.log.gz"
check "default-prefix stderr gzip" $d/truth.json -- "$tmp/default.log.gz"
check "default-prefix stderr stdin" $d/truth.json -- - <$log.log

d=$fx/debian-prefix
check "debian-prefix stderr" $d/truth.json -- $d/postgresql-2026-11-29_003703.log
cat $d/postgresql-2026-11-29_003703.log $d/after-cut/postgresql-2026-11-29_003703.log >"$tmp/deb.log"
check "debian-prefix to shutdown" $d/truth.json --after-cut -- "$tmp/deb.log"
check "debian-prefix explicit prefix" $d/truth.json -- --prefix='%m [%p] %q%u@%d ' $d/postgresql-2026-11-29_003703.log

# The Debian log with every prefix stripped, as log_line_prefix = '' writes it.
check "empty prefix (no PIDs)" $d/truth.json --no-pids -- $fx/synthetic/empty-prefix.log

d=$fx/rotation
check "rotation directory" $d/truth.json -- $d
check "rotation glob" $d/truth.json -- "$d/postgresql-*.log"
# Files named in the wrong order are still replayed oldest first.
check "rotation files reversed" $d/truth.json -- $(ls $d/*.log | sort -r)
mkdir "$tmp/rot"
for f in $d/*.log; do
	b=$(basename "$f")
	case $b in
	*0039*|*0040*) gzip -c "$f" >"$tmp/rot/$b.gz" ;;
	*) cp "$f" "$tmp/rot/$b" ;;
	esac
done
check "rotation with older files gzipped" $d/truth.json -- "$tmp/rot"
cp $d/*.log "$tmp/rot/" && cat $d/after-cut/postgresql-2026-11-29_004135.log >>"$tmp/rot/postgresql-2026-11-29_004135.log"
check "rotation to shutdown" $d/truth.json --after-cut -- "$tmp/rot"/*.log

# connections --history: the open count at each minute boundary, the leak
# and its evidence, the summary's leaks, and session durations.
# check_history NAME TRUTH [--no-leak APP]... -- PGTAIL-ARGS...
check_history() {
	name=$1 truth=$2
	shift 2
	extra=""
	while [ "$1" = "--no-leak" ]; do extra="$extra $1 $2"; shift 2; done
	[ "$1" = "--" ] && shift
	if ! "$PGTAIL" connections --history --json --bucket=1m "$@" >"$tmp/hist.json" 2>"$tmp/err"; then
		fail "$name: pgtail --history exits 0" "$(cat "$tmp/err")"
		return
	fi
	if ! "$PGTAIL" connections --json "$@" >"$tmp/summ.json" 2>"$tmp/err"; then
		fail "$name: pgtail exits 0" "$(cat "$tmp/err")"
		return
	fi
	python3 tests/corpus/check_history.py "$name" "$truth" "$tmp/hist.json" "$tmp/summ.json" \
		$extra >"$tmp/res"
	while IFS= read -r line; do
		case $line in
		"ok   "*) pass "${line#ok   }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$tmp/res"
}

d=$fx/default-prefix
log=$d/postgresql-2026-11-29_004152
for ext in log csv json; do
	check_history "history default-prefix .$ext" $d/truth.json --no-leak rails --no-leak sidekiq \
		-- $log.$ext
done
d=$fx/debian-prefix
check_history "history debian-prefix .log" $d/truth.json --no-leak rails --no-leak sidekiq \
	-- $d/postgresql-2026-11-29_003703.log
d=$fx/rotation
check_history "history rotation directory" $d/truth.json --no-leak rails --no-leak sidekiq -- $d

test_summary
