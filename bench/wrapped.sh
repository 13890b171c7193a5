#!/usr/bin/env bash
# SPDX-License-Identifier: PostgreSQL
#
# How much a transport costs: the bench log (bench/gen-log.py, stderr and
# csvlog of the same events) wrapped into each container and cloud shape
# by tests/fixtures/wrap/containers.sh and cloud.sh, and pgtail connections
# --json timed on each against the plain log it wraps (the csvlog for
# CloudNativePG, whose records are csvlog's).  The issue's bound: a wrapped
# log takes at most 1.5x the time of the plain one.
#
# Usage: bench/wrapped.sh        (from anywhere; an optimised build/pgtail)
# Environment:
#   SIZE_MB=50   size of the plain stderr log
#   RUNS=5       measurements of each file and its plain log, in turn; the
#                medians of the times and of the ratios are shown
#   LOOP=10      runs of pgtail per measurement
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-50}
RUNS=${RUNS:-5}
LOOP=${LOOP:-10}
DATA=bench/data/wrapped-$SIZE_MB
PG=${PGTAIL:-build/pgtail}
[ -x "$PG" ] || { echo "bench: $PG not found; build it first (ninja -C build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

if [ ! -f "$DATA/done" ]; then
	mkdir -p "$DATA"
	python3 bench/gen-log.py --size-mb "$SIZE_MB" --format stderr,csv --out "$DATA/big" -q
	tests/fixtures/wrap/containers.sh "$DATA/big.log" "$DATA/big.csv" "$DATA/c"
	tests/fixtures/wrap/cloud.sh "$DATA/big.log" "$DATA/w"
	touch "$DATA/done"
fi

# once FILE: the CPU (user+sys) and wall seconds of one run of pgtail on
# FILE, averaged over LOOP runs (a run is short: /usr/bin/time counts in
# hundredths).
once() {
	/usr/bin/time -o "$DATA/t" -f '%U %S %e' sh -c \
		'i=0; while [ $i -lt "$1" ]; do "$2" connections --json "$3" >/dev/null 2>&1; i=$((i + 1)); done' \
		_ "$LOOP" "$PG" "$1"
	read -r u s e <"$DATA/t"
	echo "$(echo "($u + $s) / $LOOP" | bc -l) $(echo "$e / $LOOP" | bc -l)"
}

mid() { sort -n | sed -n "$((RUNS / 2 + 1))p"; }

# row FILE PLAIN: FILE and the plain log it wraps measured in turn, RUNS
# times (the machine is shared: alternating keeps a change of load out of
# the ratio); the medians of FILE's times and of the ratios.
row() {
	local f=$1 plain=$2 label=${1#$DATA/} i c w pc pw
	local cpu=() wall=() rc=() rw=()
	case $label in c/pods/*) label="c/pods/.../postgres (dir)" ;; esac
	for ((i = 0; i < RUNS; i++)); do
		read -r pc pw < <(once "$plain")
		read -r c w < <(once "$f")
		cpu+=("$c") wall+=("$w")
		rc+=("$(echo "$c / $pc" | bc -l)") rw+=("$(echo "$w / $pw" | bc -l)")
	done
	printf '%-26s %7d %8.3f %7.2f %8.3f %7.2f\n' "$label" $(($(du -sb "$f" | cut -f1) >> 20)) \
		"$(printf '%s\n' "${cpu[@]}" | mid)" "$(printf '%s\n' "${rc[@]}" | mid)" \
		"$(printf '%s\n' "${wall[@]}" | mid)" "$(printf '%s\n' "${rw[@]}" | mid)"
}

printf '%-26s %7s %8s %7s %8s %7s\n' file MB cpu_s ratio wall_s ratio
for f in plain.log docker.json docker-t.log cri.log; do row "$DATA/c/$f" "$DATA/c/plain.log"; done
row "$DATA/c/pods/"*/postgres "$DATA/c/plain.log"
for f in plain.csv cnpg.json cri-cnpg.log; do row "$DATA/c/$f" "$DATA/c/plain.csv"; done
for f in plain.log rds.log cloudwatch.log cloudsql.json cloudsql-m.json azure.log azure.json \
	heroku.log heroku-drain.log; do
	row "$DATA/w/$f" "$DATA/w/plain.log"
done
