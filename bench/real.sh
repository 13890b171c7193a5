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
#   RUNS=7          timed runs per command, warm cache
#   COLD_RUNS=3     timed runs per command, cold cache (0: none)
#   CPU=0           the CPU the one-thread commands are pinned to (taskset -c);
#                   empty: not pinned.  --jobs=2 runs on CPUS (default 0,1).
#   and the variables of bench/reallog.sh, which choose the logs.
#
# Warm: pgtail --jobs=1 and grep -c on one CPU (their CPU time compared),
# pgtail --jobs=2 on two (its wall time compared with grep's).  Cold: the
# file evicted from the page cache before each run (posix_fadvise
# DONTNEED), pgtail --jobs=1 and --jobs=2 against cat FILE > /dev/null,
# wall time.
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH=bench
OUT=$BENCH/data/real
RUNS=${RUNS:-7}
COLD_RUNS=${COLD_RUNS:-3}
CPU=${CPU-0}
CPUS=${CPUS-0,1}
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

PIN=() PIN2=()
if [ -n "$CPU" ] && command -v taskset >/dev/null; then PIN=(taskset -c "$CPU"); fi
if [ -n "$CPUS" ] && command -v taskset >/dev/null; then PIN2=(taskset -c "$CPUS"); fi

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
	echo "pinned=${PIN[*]:-no}; --jobs=2 on ${PIN2[*]:-any CPU}"
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

# ---------------------------------------------------------------- CPUs
# The two-core figure assumes two equal CPUs.  On a virtual machine one may
# be shared with another guest: the same pinned run on each CPU of CPUS
# (median of 3 CPU times) says how far they differ.
say "speed of each CPU (pgtail --jobs=1 on the stderr log, pinned)"
cat "$STDERR" >/dev/null
per_cpu=
if command -v taskset >/dev/null; then
	for c in ${CPUS//,/ }; do
		t=$(for i in 1 2 3; do
			TIMEFORMAT='%U %S'
			{ time taskset -c "$c" "$PG" connections --jobs=1 "$STDERR" >/dev/null 2>&1; } 2>&1 |
				awk '{print $1 + $2}'
		done | sort -n | sed -n 2p)
		per_cpu="$per_cpu cpu$c ${t}s;"
	done
fi
echo "per_cpu=${per_cpu:- (taskset not found)}" >>"$OUT/machine.txt"
echo "per-CPU:$per_cpu" >&2

# ---------------------------------------------------------------- timings
say "timing (warm cache, ${PIN[*]:-not pinned}, median of $RUNS alternating runs)"
size() { stat -c %s "$1"; }
grp() { # name file cold
	python3 - "$1" "$2" "$(size "$2")" "$3" "$PG" "${PIN[*]}" "${PIN2[*]}" <<'EOF'
import json, sys
name, f, size, cold, pg = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5]
pin, pin2 = sys.argv[6].split(), sys.argv[7].split()
cmds = [
    {"label": "pgtail --jobs=1", "argv": pin + [pg, "connections", "--json", "--jobs=1", f]},
    {"label": "pgtail --jobs=2", "argv": pin2 + [pg, "connections", "--json", "--jobs=2", f]},
]
if cold:
    # On the same CPU as --jobs=1: on a loaded machine a pinned command
    # waits for its CPU, and so must the one it is compared with.
    cmds.append({"label": "cat", "argv": pin + ["cat", f], "stdout": "null"})
    for c in cmds:
        c["drop"] = [f]
else:
    cmds.append({"label": "grep -c 'connection authorized'",
                 "argv": pin + ["grep", "-c", "connection authorized", f]})
print(json.dumps({"name": name, "bytes": size, "file": f, "cold": cold, "commands": cmds}))
EOF
}
for f in "$STDERR" "$CSV" "$JSON"; do cat "$f" >/dev/null; done
python3 $BENCH/measure.py --runs "$RUNS" --out "$OUT/timings.json" \
	"$(grp stderr "$STDERR" 0)" "$(grp csvlog "$CSV" 0)" "$(grp jsonlog "$JSON" 0)"
echo "load_after_warm=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
if [ "$COLD_RUNS" -gt 0 ]; then
	say "timing (cold cache: each file evicted before each run, median of $COLD_RUNS)"
	python3 $BENCH/measure.py --runs "$COLD_RUNS" --out "$OUT/timings-cold.json" \
		"$(grp stderr "$STDERR" 1)" "$(grp csvlog "$CSV" 1)" "$(grp jsonlog "$JSON" 1)"
else
	echo '[]' >"$OUT/timings-cold.json"
fi
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
print("- %s; %s; pinned: %s; load average before %s, after the warm runs %s, at the end %s"
      % (m["kernel"], m["grep"], m["pinned"], m["load_before"], m["load_after_warm"], m["load_after"]))
print("- the same run of pgtail --jobs=1 pinned to each CPU (CPU time, median of 3):%s" % m["per_cpu"])
print("- pgtail: commit %s%s" % (rev, "" if dirty == "0" else " with uncommitted changes"))
print("- logs: %s; %s; %s rounds, %s s of pgbench" % (t["server"], made, t["rounds"], t["seconds"]))
print()
print("Warm page cache, median of %d alternating runs.  One core: CPU time (user + system) of "
      "pgtail --jobs=1 against grep -c, both pinned to one CPU.  Two cores: wall time of "
      "pgtail --jobs=2 (on two CPUs) against grep -c's."
      % len(runs[0]["rows"][0]["times"]))
print()
print("| format | size | lines | connection lines | sessions (server) | --jobs=1 CPU | grep -c CPU | "
      "one core: CPU ratio | --jobs=1 wall | --jobs=2 wall | grep -c wall | two cores: wall ratio | "
      "peak RSS --jobs=1 / 2 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
sizes = {"stderr": ("stderr_bytes", "stderr_lines"), "csvlog": ("csvlog_bytes", "csvlog_lines"),
         "jsonlog": ("jsonlog_bytes", "jsonlog_lines")}
for g in runs:
    rows = {r["label"].split(" '")[0]: r for r in g["rows"]}
    p1, p2, q = rows["pgtail --jobs=1"], rows["pgtail --jobs=2"], rows["grep -c"]
    b, l = sizes[g["name"]]
    print("| %s | %.0f MB | %s | %s | %s | %.3f s | %.3f s | **%.2f×** | %.3f s | %.3f s | %.3f s | **%.2f×** | %.1f / %.1f MiB |"
          % (g["name"], int(t[b]) / 1e6, t[l], t["connection_line_share"], t["connects"],
             p1["median_cpu_s"], q["median_cpu_s"], p1["median_cpu_s"] / q["median_cpu_s"],
             p1["median_s"], p2["median_s"], q["median_s"], p2["median_s"] / q["median_s"],
             p1["peak_rss_kib"] / 1024, p2["peak_rss_kib"] / 1024))
print()
cold = json.load(open(out + "/timings-cold.json"))
if cold:
    print("Cold page cache (the file evicted with posix_fadvise(DONTNEED) before each run), "
          "median of %d alternating runs, wall time against cat FILE > /dev/null."
          % len(cold[0]["rows"][0]["times"]))
    print()
    print("| format | size | cat | --jobs=1 | ratio | --jobs=2 | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for g in cold:
        rows = {r["label"]: r for r in g["rows"]}
        c, p1, p2 = rows["cat"], rows["pgtail --jobs=1"], rows["pgtail --jobs=2"]
        print("| %s | %.0f MB | %.2f s (%.0f MB/s) | %.2f s | **%.2f×** | %.2f s | **%.2f×** |"
              % (g["name"], g["bytes"] / 1e6, c["median_s"], c["mb_per_s"], p1["median_s"],
                 p1["median_s"] / c["median_s"], p2["median_s"], p2["median_s"] / c["median_s"]))
    print()
for l in open(out + "/counts.txt"):
    print("- " + l.rstrip())
EOF
