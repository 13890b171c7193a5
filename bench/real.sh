#!/usr/bin/env bash
# SPDX-License-Identifier: PostgreSQL
#
# pgtail on logs a real PostgreSQL wrote: the stderr, csvlog and jsonlog that
# bench/reallog.sh makes (and caches), each timed against grep -c on one CPU,
# warm page cache, median of alternating runs, with the counts checked against
# what the server's own log tells.
#
# Usage: bench/real.sh            (from anywhere; prints a Markdown report,
#                                 also written to bench/data/real/report.md)
# Environment:
#   PGTAIL=path     the binary to measure (default: build/pgtail, rebuilt with
#                   ninja first); a copy is taken
#   RUNS=7          timed runs per command
#   CPU=0           the CPU the timed commands are pinned to (taskset -c);
#                   empty: not pinned
#   and the variables of bench/reallog.sh, which choose the logs.
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH=bench
OUT=$BENCH/data/real
RUNS=${RUNS:-7}
CPU=${CPU-0}
mkdir -p "$OUT"

say() { printf '\n== %s\n' "$*" >&2; }

if [ -z "${PGTAIL:-}" ]; then
	[ -d build ] && ninja -C build >&2
	PGTAIL=build/pgtail
fi
[ -x "$PGTAIL" ] || { echo "bench: $PGTAIL not found; build it first (ninja -C build)" >&2; exit 1; }
cp "$PGTAIL" "$OUT/pgtail"
PG=$OUT/pgtail
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git status --porcelain -- src meson.build 2>/dev/null | wc -l)

say "the logs (bench/reallog.sh; made once, then cached)"
LOGS=$($BENCH/reallog.sh)
TRUTH=$LOGS/truth.txt
truth() { sed -n "s/^$1=//p" "$TRUTH"; }
STDERR=$LOGS/postgresql.log
CSV=$LOGS/postgresql.csv
JSON=$LOGS/postgresql.json

PIN=()
if [ -n "$CPU" ] && command -v taskset >/dev/null; then PIN=(taskset -c "$CPU"); fi

# ---------------------------------------------------------------- machine
l2=$(getconf LEVEL2_CACHE_SIZE 2>/dev/null || true)
sysfs=
for d in /sys/devices/system/cpu/cpu0/cache/index*; do
	[ -r "$d/size" ] || continue
	sysfs="$sysfs L$(cat "$d/level") $(cat "$d/type") $(cat "$d/size");"
done
{
	echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	echo "cpus=$(nproc)"
	echo "cache_sysconf=L1d $(getconf LEVEL1_DCACHE_SIZE 2>/dev/null) L2 $l2 L3 $(getconf LEVEL3_CACHE_SIZE 2>/dev/null)"
	echo "cache_sysfs=${sysfs:- (no /sys/devices/system/cpu/cpu0/cache)}"
	echo "kernel=$(uname -sr)"
	echo "grep=$(grep --version | head -1)"
	echo "pinned=${PIN[*]:-no}"
	echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/machine.txt"

# ---------------------------------------------------------------- counts
say "counts"
: >"$OUT/counts.txt"
want=$(truth connects)
for f in "$STDERR" "$CSV" "$JSON"; do
	fmt=${f##*.}
	"$PG" connections --json "$f" >"$OUT/pgtail-$fmt.json"
	g=$(grep -c 'connection authorized' "$f")
	python3 - "$OUT/pgtail-$fmt.json" "$fmt" "$g" "$want" "$(truth refused_nosuchdb)" \
		"$(truth disconnections)" >>"$OUT/counts.txt" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
fmt, grep_n, want, refused, disc = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
ok = j["connects"] == want and j["connects"] + j["failed"] == grep_n and j["disconnects"] == disc
print("%s %s: pgtail connects=%d failed=%d disconnects=%d skipped=%d; grep -c 'connection authorized'=%d; "
      "server: connects=%d (authorized %d less %d refused), disconnections=%d"
      % ("OK" if ok else "MISMATCH", fmt, j["connects"], j["failed"], j["disconnects"], j["skipped"],
         grep_n, want, want + refused, refused, disc))
EOF
done
cat "$OUT/counts.txt" >&2

# ---------------------------------------------------------------- timings
say "timing (warm cache, ${PIN[*]:-not pinned}, median of $RUNS alternating runs)"
size() { stat -c %s "$1"; }
grp() { # name file
	python3 - "$1" "$2" "$(size "$2")" "$PG" "${PIN[@]}" <<'EOF'
import json, sys
name, f, size, pg, pin = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
print(json.dumps({"name": name, "bytes": size, "file": f, "commands": [
    {"label": "pgtail connections --json", "argv": pin + [pg, "connections", "--json", f]},
    {"label": "grep -c 'connection authorized'", "argv": pin + ["grep", "-c", "connection authorized", f]},
]}))
EOF
}
for f in "$STDERR" "$CSV" "$JSON"; do cat "$f" >/dev/null; done
python3 $BENCH/measure.py --runs "$RUNS" --out "$OUT/timings.json" \
	"$(grp stderr "$STDERR")" "$(grp csvlog "$CSV")" "$(grp jsonlog "$JSON")"
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

# ---------------------------------------------------------------- report
say "report"
python3 - "$OUT" "$TRUTH" "$REV" "$DIRTY" <<'EOF' | tee "$OUT/report.md"
import json, sys
out, truth_path, rev, dirty = sys.argv[1:5]
kv = lambda p: dict(l.rstrip("\n").split("=", 1) for l in open(p) if "=" in l and not l.startswith("#"))
m, t = kv(out + "/machine.txt"), kv(truth_path)
made = open(truth_path).readline().lstrip("# ").rstrip()
runs = json.load(open(out + "/timings.json"))
print("- %s, %s CPUs; caches (getconf): %s; sysfs:%s" % (m["cpu"], m["cpus"], m["cache_sysconf"], m["cache_sysfs"]))
print("- %s; %s; pinned: %s; load average before %s, after %s" % (m["kernel"], m["grep"], m["pinned"], m["load_before"], m["load_after"]))
print("- pgtail: commit %s%s" % (rev, "" if dirty == "0" else " with uncommitted changes"))
print("- logs: %s; %s; %s rounds, %s s of pgbench" % (t["server"], made, t["rounds"], t["seconds"]))
print()
print("| format | size | lines | connection lines | sessions (server) | pgtail | grep -c | ratio | CPU time ratio |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
sizes = {"stderr": ("stderr_bytes", "stderr_lines"), "csvlog": ("csvlog_bytes", "csvlog_lines"),
         "jsonlog": ("jsonlog_bytes", "jsonlog_lines")}
for g in runs:
    rows = {r["label"].split()[0]: r for r in g["rows"]}
    p, q = rows["pgtail"], rows["grep"]
    b, l = sizes[g["name"]]
    print("| %s | %.0f MB | %s | %s | %s | %.3f s (%.0f MB/s) | %.3f s (%.0f MB/s) | %.2f× | %.2f× (%.3f s vs %.3f s) |"
          % (g["name"], int(t[b]) / 1e6, t[l], t["connection_line_share"], t["connects"],
             p["median_s"], p["mb_per_s"], q["median_s"], q["mb_per_s"], p["median_s"] / q["median_s"],
             p["median_cpu_s"] / q["median_cpu_s"], p["median_cpu_s"], q["median_cpu_s"]))
print()
print("Wall time: median of %d alternating runs; CPU time: user + system, median of the same runs."
      % len(runs[0]["rows"][0]["times"]))
print()
for l in open(out + "/counts.txt"):
    print("- " + l.rstrip())
EOF
