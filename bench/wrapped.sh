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
#   RUNS=7       timed runs per file; the median is shown
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-50}
RUNS=${RUNS:-7}
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

# median FILE: the median CPU (user+sys) and wall seconds of RUNS runs.
median() {
	local cpu=() wall=() i
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -o "$DATA/t" -f '%U %S %e' "$PG" connections --json "$1" >/dev/null 2>&1
		read -r u s e <"$DATA/t"
		cpu+=("$(echo "$u + $s" | bc)")
		wall+=("$e")
	done
	printf '%s %s\n' "$(printf '%s\n' "${cpu[@]}" | sort -n | sed -n "$((RUNS / 2 + 1))p")" \
		"$(printf '%s\n' "${wall[@]}" | sort -n | sed -n "$((RUNS / 2 + 1))p")"
}

printf '%-26s %7s %8s %7s %8s %7s\n' file MB cpu_s ratio wall_s ratio
row() { # row FILE PLAIN_CPU PLAIN_WALL
	local f=$1 c w
	read -r c w < <(median "$f")
	printf '%-26s %7d %8.2f %7.2f %8.2f %7.2f\n' "${f#$DATA/}" $(($(du -sb "$f" | cut -f1) >> 20)) \
		"$c" "$(echo "$c / $2" | bc -l)" "$w" "$(echo "$w / $3" | bc -l)"
}
read -r pc pw < <(median "$DATA/c/plain.log")
read -r cc cw < <(median "$DATA/c/plain.csv")
read -r dc dw < <(median "$DATA/w/plain.log")
row "$DATA/c/plain.log" "$pc" "$pw"
for f in docker.json docker-t.log cri.log; do row "$DATA/c/$f" "$pc" "$pw"; done
row "$DATA/c/pods/"*/postgres "$pc" "$pw"
row "$DATA/c/plain.csv" "$cc" "$cw"
row "$DATA/c/cnpg.json" "$cc" "$cw"
row "$DATA/w/plain.log" "$dc" "$dw"
for f in rds.log cloudwatch.log cloudsql.json cloudsql-m.json azure.log azure.json heroku.log \
	heroku-drain.log; do
	row "$DATA/w/$f" "$dc" "$dw"
done
