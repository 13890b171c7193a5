#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# --jobs gives the answer of one thread, byte for byte: the text, --json and
# --history output and the diagnostics of `connections --jobs=N` equal those
# of --jobs=1 on every fixture log (corpus logs in every format, rotated
# series as a directory, logs cut and continued, gzip, the mutated logs of
# the robustness tests) and on generated logs of a few MB.  The files are
# cut into small parts (PGTAIL_PART_BYTES) so that even the small fixtures
# are read in many parts, with cuts inside multi-line records.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test-lib.sh
PGTAIL=${PGTAIL:-build/pgtail}
fx=tests/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run OUT JOBS PARTBYTES ARGS...: stdout, stderr and exit status into OUT.
run() {
	local out=$1 j=$2 part=$3 rc=0
	shift 3
	PGTAIL_PART_BYTES=$part "$PGTAIL" connections --jobs="$j" "$@" >"$out.out" 2>"$out.err" || rc=$?
	echo "$rc" >"$out.rc"
}

# same NAME VIEW-ARGS -- PATHS...: every --jobs in $JOBSET (2 3 4) gives
# what --jobs=1 gives.  Under ASan+UBSan (several times slower) one
# parallel run each, --jobs=3: the sanitizers look at the threads' memory,
# the optimised build at every split.
JOBSET="2 3 4"
sanitized=0
grep -q __asan_init "$PGTAIL" 2>/dev/null && sanitized=1 && JOBSET=3
same() {
	local name=$1 view=() j part bad=""
	shift
	while [ "$1" != "--" ]; do view+=("$1"); shift; done
	shift
	run "$tmp/ref" 1 1024 "${view[@]}" "$@"
	for j in $JOBSET; do
		case $j in 2) part=1000 ;; 3) part=4093 ;; 4) part=16384 ;; esac
		run "$tmp/j$j" $j $part "${view[@]}" "$@"
		for k in out err rc; do
			cmp -s "$tmp/ref.$k" "$tmp/j$j.$k" || bad="$bad --jobs=$j($k)"
		done
	done
	if [ -z "$bad" ]; then
		pass "$name ${view[*]}: --jobs=${JOBSET// /,} equal --jobs=1"
	else
		fail "$name ${view[*]}: --jobs=${JOBSET// /,} equal --jobs=1" \
			"differs:$bad"
	fi
}

# all NAME PATHS...: the three views.
all() {
	local name=$1
	shift
	same "$name" -- "$@"
	same "$name" --json -- "$@"
	same "$name" --history --window=1d -- "$@"
}

# The corpus logs, each format, as files, directories and continued past
# the cut: the three views of the main ones, the summary of the others.
for f in $fx/*/*.log $fx/*/*.csv $fx/*/*.json; do
	[ -f "$f" ] || continue
	case $f in
	$fx/default-prefix/* | $fx/debian-prefix/*) all "${f#$fx/}" "$f" ;;
	# Under the sanitizers the rotated series is read whole below.
	$fx/rotation/*) [ $sanitized = 1 ] || JOBSET=3 same "${f#$fx/}" --json -- "$f" ;;
	*) JOBSET=3 same "${f#$fx/}" --json -- "$f" ;;
	esac
done
for d in default-prefix debian-prefix dest-change dest-twin; do
	JOBSET=3 same "$d/" --json -- "$fx/$d"
done
all "rotation/" "$fx/rotation"
d=$fx/default-prefix
for ext in log csv json; do
	cat $d/postgresql-2026-11-29_004152.$ext $d/after-cut/postgresql-2026-11-29_004152.$ext \
		>"$tmp/full.$ext"
	all "default-prefix $ext to shutdown" "$tmp/full.$ext"
done
gzip -c $d/postgresql-2026-11-29_004152.log >"$tmp/default.log.gz"
all "default-prefix gzip beside plain" "$tmp/default.log.gz" "$tmp/full.log"
same "debian-prefix explicit prefix" --json --prefix='%m [%p] %q%u@%d ' -- \
	$fx/debian-prefix/postgresql-2026-11-29_003703.log

# Generated logs of a few MB: past the first 4096 messages, most parts are
# read in parallel, not again; a statement now and then spans lines.
if python3 bench/gen-log.py --size-mb 1 --format stderr,csvlog,jsonlog --filler 0.9 \
	--seed 7 --quiet --out "$tmp/gen" >/dev/null 2>&1; then
	for f in "$tmp"/gen.log "$tmp"/gen.csv "$tmp"/gen.json; do
		all "generated ${f##*.}" "$f"
	done
else
	fail "bench/gen-log.py makes the generated logs"
fi

# A csv log whose quoted fields hold lines that look like a record's start:
# a part cut there is read again from where the one before ended.
python3 - "$d/postgresql-2026-11-29_004152.csv" "$tmp/tricky.csv" <<'EOF'
import sys
src, dst = sys.argv[1], sys.argv[2]
recs = open(src, encoding="utf-8", errors="surrogateescape").read()
fake = '2026-11-29 00:41:52.000 UTC,,,1,,x.1,1,,2026-11-29 00:41:52 UTC,,0,LOG,00000,"checkpoint starting: time"'
def stmt(inner):
    return ('2026-11-29 00:41:53.000 UTC,"u","d",4242,"[local]",x.2,1,"SELECT",2026-11-29 00:41:52 UTC,'
            '3/0,0,LOG,00000,"duration: 0.1 ms  statement: select 1 -- ""\n' + inner + '\n""",'
            ',,,,,,,,,"psql","client backend",,0\n')
out = []
for i, line in enumerate(recs.splitlines(keepends=True)):
    out.append(line)
    if i % 3 == 0:
        # as PostgreSQL writes it (quotes doubled), and now and then
        # quotes gone wrong, which the parser reports
        out.append(stmt(fake.replace('"', '""') if i % 300 else fake))
open(dst, "w", encoding="utf-8", errors="surrogateescape").write("".join(out))
EOF
all "csv with record starts inside quotes" "$tmp/tricky.csv"

# The mutated logs of the robustness tests (NULs, cut lines, garbage), a
# few dozen at a time: read as one series, each file a part of its own.
# Under ASan the first batch only: the robust suite reads every one of
# them under the sanitizers, one thread; here they look at the threads.
JOBSET=3
set -- $fx/synthetic/[0-9a-f]*
[ $sanitized = 1 ] && set -- "${@:1:12}" &&
	echo "note: sanitized build: the first 12 mutated logs of $(ls $fx/synthetic | wc -l)"
while [ $# -gt 0 ]; do
	batch=("${@:1:32}")
	shift $(($# < 32 ? $# : 32))
	same "synthetic/${batch[0]##*/}..(${#batch[@]} files)" --json -- "${batch[@]}"
done

test_summary
