#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# The transports' cost: a big stderr log (bench/gen-log.py, the real corpus
# log multiplied, about 90 % statement lines) is wrapped into each syslog and
# journal shape by tests/fixtures/wrap/make.sh, and 'pgtail connections
# --json' is timed on the plain log and on each wrapped one, RUNS times each,
# interleaved; the best time of each and its ratio to the plain log's are
# printed, with the peak RSS.  The target: at most 1.5 times the plain log.
#
#   bench/transports.sh            MB=10 RUNS=5 PGTAIL=build/pgtail
#
# The logs are cached in bench/data/ (which git ignores).
set -eu
cd "$(dirname "$0")/.."
PGTAIL=${PGTAIL:-build/pgtail}
MB=${MB:-10}
RUNS=${RUNS:-5}
data=bench/data/transports-${MB}mb
if [ ! -f "$data/wrap/short-iso.log" ]; then
	mkdir -p "$data"
	python3 bench/gen-log.py --size-mb "$MB" --format stderr -o "$data/src" >/dev/null
	tests/fixtures/wrap/make.sh "$data/src.log" "$data/wrap"
fi
cd "$data/wrap"
set -- plain.log rfc3339.log traditional.log rfc5424.log seqoff.log splitoff.log \
	short-iso.log journal.json
pgtail=$(cd "$OLDPWD" && realpath "$PGTAIL")
# ms FILE: one run's wall time in milliseconds.
ms() {
	s=$(date +%s%N)
	"$pgtail" connections --json "$1" >/dev/null 2>&1
	echo $((($(date +%s%N) - s) / 1000000))
}
for f in "$@"; do echo 999999 >"/tmp/pgtail-bench.$$.$f"; done
i=0
while [ $i -lt "$RUNS" ]; do
	for f in "$@"; do
		t=$(ms "$f")
		[ "$t" -lt "$(cat "/tmp/pgtail-bench.$$.$f")" ] && echo "$t" >"/tmp/pgtail-bench.$$.$f"
	done
	i=$((i + 1))
done
plain=$(cat "/tmp/pgtail-bench.$$.plain.log")
printf '%-16s %8s %8s %7s %9s\n' log MB "best ms" ratio "RSS KiB"
for f in "$@"; do
	t=$(cat "/tmp/pgtail-bench.$$.$f")
	rm -f "/tmp/pgtail-bench.$$.$f"
	rss=$(/usr/bin/time -f %M "$pgtail" connections --json "$f" 2>&1 >/dev/null | tail -1)
	printf '%-16s %8s %8s %7s %9s\n' "$f" "$(($(stat -c %s "$f") / 1048576))" "$t" \
		"$(awk -v a="$t" -v b="$plain" 'BEGIN { printf "%.2f", a / b }')" "$rss"
done
