#!/usr/bin/env bash
# SPDX-License-Identifier: PostgreSQL
#
# pgtail benchmark: generate big PostgreSQL logs once (cached in bench/data/),
# check that pgtail's counts on them are exact, then time pgtail against grep,
# wc and zcat on the same files (warm page cache, median of alternating runs),
# and pgBadger on the small log when it is installed.
#
# Usage: bench/run.sh            (from anywhere)
# Environment:
#   PGTAIL=path      the binary to measure (default: build/pgtail, rebuilt with
#                    ninja first; a copy is taken so a rebuild during the run
#                    cannot change it)
#   PGTAIL_LABEL=s   how the report names a binary given by PGTAIL
#   SMALL_MB=40      size of the small stderr log; the big one has 10x its events
#   BIG_FACTOR=10
#   RUNS=5           timed runs per command
#   PGBADGER=0       skip pgBadger even if installed
#   HYPERFINE=0      skip the hyperfine cross-check even if installed
#   INSTALL=1        apt-get install hyperfine/time/pgbadger when missing
#   REAL=1           afterwards, bench/real.sh with the same binary (logs a
#                    real PostgreSQL writes; see README.md)
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH=bench
DATA=$BENCH/data
SMALL_MB=${SMALL_MB:-40}
BIG_FACTOR=${BIG_FACTOR:-10}
RUNS=${RUNS:-5}
mkdir -p "$DATA"

say() { printf '\n== %s\n' "$*" >&2; }

# -------------------------------------------------------------- tools
if [ "${INSTALL:-0}" = 1 ] && command -v apt-get >/dev/null; then
    want=()
    [ -x /usr/bin/time ] || want+=(time)
    command -v hyperfine >/dev/null || want+=(hyperfine)
    command -v pgbadger >/dev/null || want+=(pgbadger)
    if [ ${#want[@]} -gt 0 ]; then
        say "installing ${want[*]}"
        apt-get install -y -qq "${want[@]}" >&2 || true
    fi
fi
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

# -------------------------------------------------------------- pgtail
if [ -z "${PGTAIL:-}" ]; then
    if [ -d build ]; then ninja -C build >&2; fi
    PGTAIL=build/pgtail
    GIVEN=0
else
    GIVEN=1
fi
[ -x "$PGTAIL" ] || { echo "bench: $PGTAIL not found; build it first (ninja -C build)" >&2; exit 1; }
cp "$PGTAIL" "$DATA/pgtail"
PG=$DATA/pgtail
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$GIVEN" = 1 ]; then
    # a binary built elsewhere: say so, with PGTAIL_LABEL (e.g. "525cfa8, clean") if given
    REV=${PGTAIL_LABEL:-"$PGTAIL (given by PGTAIL)"}
    DIRTY=given
else
    DIRTY=$(git status --porcelain -- src meson.build 2>/dev/null | wc -l)
fi

# -------------------------------------------------------------- data
STAMP="gen $(sha256sum $BENCH/gen-log.py | cut -c1-16) small=${SMALL_MB}MB x${BIG_FACTOR}"
if [ "$(cat $DATA/stamp 2>/dev/null)" != "$STAMP" ]; then
    say "generating logs ($STAMP)"
    rm -f $DATA/small.* $DATA/big.* $DATA/stamp
    python3 $BENCH/gen-log.py --size-mb "$SMALL_MB" --format stderr,csv,json -o $DATA/small
    rounds=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rounds"])' $DATA/small.truth.json)
    python3 $BENCH/gen-log.py --rounds $((rounds * BIG_FACTOR)) --format stderr -o $DATA/big
    gzip -c $DATA/big.log > $DATA/big.log.gz.tmp && mv $DATA/big.log.gz.tmp $DATA/big.log.gz
    echo "$STAMP" > $DATA/stamp
fi
cp $DATA/big.truth.json $DATA/big.log.gz.truth.json
ls -l $DATA >&2

size() { stat -c %s "$1"; }
SMALL=$DATA/small.log
BIG=$DATA/big.log
GZ=$DATA/big.log.gz

# -------------------------------------------------------------- exact counts
say "checking pgtail's counts against the generator's truth"
checks=$DATA/checks.txt
: > $checks
check() {   # label file truth
    local out=$DATA/check-$1.json
    "$PG" connections --json "$2" > "$out" 2> "$DATA/check-$1.err" || true
    python3 $BENCH/check-truth.py "$3" "$out" "$1" | tee -a $checks >&2 || true
}
check stderr-small $SMALL $DATA/small.truth.json
check csv-small    $DATA/small.csv $DATA/small.truth.json
check json-small   $DATA/small.json $DATA/small.truth.json
check stderr-big   $BIG $DATA/big.truth.json
check gz-big       $GZ $DATA/big.truth.json

# -------------------------------------------------------------- timings
say "timing (warm cache, median of $RUNS alternating runs)"
grp() {     # name bytes file [extra commands...]
    local name=$1 bytes=$2 file=$3
    printf '{"name":"%s","bytes":%s,"file":"%s","commands":[' "$name" "$bytes" "$file"
    printf '{"label":"pgtail connections --json","argv":["%s","connections","--json","%s"]},' "$PG" "$file"
    printf '{"label":"pgtail connections --history --json","argv":["%s","connections","--history","--json","%s"]},' "$PG" "$file"
    printf '{"label":"grep -c '"'"'connection authorized'"'"'","argv":["grep","-c","connection authorized","%s"]},' "$file"
    printf '{"label":"wc -l","argv":["wc","-l","%s"]}' "$file"
    printf ']}'
}
gzgrp() {
    printf '{"name":"gz","bytes":%s,"file":"%s","compressed_bytes":%s,"commands":[' "$(size $BIG)" "$GZ" "$(size $GZ)"
    printf '{"label":"zcat > /dev/null","stdout":"null","argv":["zcat","%s"]},' "$GZ"
    printf '{"label":"pgtail connections --json","argv":["%s","connections","--json","%s"]}' "$PG" "$GZ"
    printf ']}'
}
for f in $SMALL $BIG $GZ $DATA/small.csv $DATA/small.json; do cat "$f" > /dev/null; done
echo "before $(cut -d' ' -f1-3 /proc/loadavg)" > $DATA/load.txt
python3 $BENCH/measure.py --runs "$RUNS" --out $DATA/timings.json \
    "$(grp 'stderr big' "$(size $BIG)" $BIG)" \
    "$(grp 'stderr small' "$(size $SMALL)" $SMALL)" \
    "$(grp 'csvlog small' "$(size $DATA/small.csv)" $DATA/small.csv)" \
    "$(grp 'jsonlog small' "$(size $DATA/small.json)" $DATA/small.json)" \
    "$(gzgrp)"

echo "after $(cut -d' ' -f1-3 /proc/loadavg)" >> $DATA/load.txt
say "peak RSS of --history, as /usr/bin/time -v reports it"
: > $DATA/rss-history.txt
# the default window (1h) and one that holds the whole big log (about 5 h)
for w in 1h 6h; do
    for f in $SMALL $BIG; do
        /usr/bin/time -v "$PG" connections --history --window=$w --json "$f" 2>&1 >"$DATA/history-$w.out" \
            | sed -n "s|^\s*Maximum resident set size (kbytes): |$(basename $f) $w |p" \
            | tee -a $DATA/rss-history.txt >&2
    done
done

# -------------------------------------------------------------- hyperfine
: > $DATA/hyperfine.json
if [ "${HYPERFINE:-1}" != 0 ] && command -v hyperfine >/dev/null; then
    say "hyperfine cross-check on the big stderr log"
    hyperfine -N --output=pipe --warmup 1 --runs "$RUNS" --style basic --export-json $DATA/hyperfine.json \
        "$PG connections --json $BIG" "grep -c 'connection authorized' $BIG" >&2 || : > $DATA/hyperfine.json
fi

# -------------------------------------------------------------- pgBadger
: > $DATA/pgbadger.txt
if [ "${PGBADGER:-1}" != 0 ] && command -v pgbadger >/dev/null; then
    say "pgBadger on the small log (timeout 600 s)"
    rc=0
    /usr/bin/time -f '%e %M' -o $DATA/pgbadger.time \
        timeout 600 pgbadger --quiet --format stderr --prefix '%m [%p] ' \
        --outfile $DATA/pgbadger-small.html $SMALL >&2 || rc=$?
    echo "$(pgbadger --version 2>/dev/null | head -1 | tr -d '\n')|$rc|$(tail -1 $DATA/pgbadger.time)" > $DATA/pgbadger.txt
    cat $DATA/pgbadger.txt >&2
fi

# -------------------------------------------------------------- report
say "report"
python3 $BENCH/report.py --data $DATA --rev "$REV" --dirty "$DIRTY" | tee $DATA/report.md

if [ "${REAL:-0}" = 1 ]; then
    say "real logs (bench/real.sh)"
    PGTAIL=$PG $BENCH/real.sh
fi
