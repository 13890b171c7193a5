#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Time commands in alternation and report medians, MB/s and peak RSS.

Usage: measure.py --runs N --out RESULT.json GROUP...

Each GROUP is a JSON object (one argument):
  {"name": "stderr 400 MB", "bytes": N, "commands": [
      {"label": "pgtail", "argv": ["build/pgtail", "connections", "--json", "F"]}, ...]}

Within a group, every command is first run once under /usr/bin/time (which
warms the page cache and gives the peak RSS, the figure /usr/bin/time -v
prints as "Maximum resident set size"), then the commands are run in turn,
RUNS times over (A B C A B C ...), so a drift of the machine hits them all
alike.  Each timed run's wall time is taken with a monotonic clock around
spawn and wait, with nothing in between; the CPU time (user + system) comes
from wait4()'s rusage of the child, which on a shared machine moves less
than the wall time.

Standard output goes to a scratch regular file, not /dev/null: GNU grep
notices an output of /dev/null and stops at the first match.  A command with
"stdout": "null" (zcat, as the issue words it) writes to /dev/null instead.
A command with "drop": [FILE...] runs with a cold page cache: before each
run the files are evicted with posix_fadvise(POSIX_FADV_DONTNEED).

A non-zero exit status is an error (grep -c finding nothing exits 1: not
expected here).

The peak RSS is not taken from wait4() in this process: a child spawned by
Python starts as a copy of the interpreter, and Linux carries that copy's
high-water mark across exec, so every command would show at least Python's
RSS.  /usr/bin/time is a small C program, so its figure is the command's.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


SCRATCH = None


def out_fd(cmd):
    if cmd.get("stdout") == "null":
        return os.open(os.devnull, os.O_WRONLY)
    return os.open(SCRATCH, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)


def drop_cache(cmd):
    """Cold cache: evict the files a command names in "drop" from the page
    cache (posix_fadvise DONTNEED), so that it reads them from the disk."""
    for path in cmd.get("drop", []):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fdatasync(fd)
        except OSError:
            pass
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)


def run_once(cmd):
    """Wall time and CPU time (user + system) of one run, in seconds."""
    drop_cache(cmd)
    fd = out_fd(cmd)
    t0 = time.perf_counter_ns()
    p = subprocess.Popen(cmd["argv"], stdout=fd, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    t1 = time.perf_counter_ns()
    os.close(fd)
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        sys.exit("measure: %s exited with %d" % (" ".join(cmd["argv"]), rc))
    return (t1 - t0) / 1e9, ru.ru_utime + ru.ru_stime


def peak_rss(cmd):
    """Peak RSS in KiB, as /usr/bin/time reports it."""
    drop_cache(cmd)
    fd = out_fd(cmd)
    rssfile = SCRATCH + ".rss"
    rc = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", rssfile] + cmd["argv"],
                         stdout=fd, stderr=subprocess.DEVNULL)
    os.close(fd)
    if rc != 0:
        sys.exit("measure: %s exited with %d" % (" ".join(cmd["argv"]), rc))
    with open(rssfile) as f:
        return int(f.read().split()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", required=True)
    ap.add_argument("groups", nargs="+")
    args = ap.parse_args()
    global SCRATCH
    SCRATCH = args.out + ".stdout"
    results = []
    for g in args.groups:
        group = json.loads(g)
        cmds = group["commands"]
        times = {c["label"]: [] for c in cmds}
        cpu = {c["label"]: [] for c in cmds}
        rss = {c["label"]: [peak_rss(c)] for c in cmds}
        for i in range(args.runs):
            for c in cmds:
                wall, used = run_once(c)
                times[c["label"]].append(wall)
                cpu[c["label"]].append(used)
        mb = group["bytes"] / 1e6
        rows = []
        for c in cmds:
            med = statistics.median(times[c["label"]])
            rows.append({
                "label": c["label"],
                "argv": c["argv"],
                "times": times[c["label"]],
                "median_s": med,
                "min_s": min(times[c["label"]]),
                "max_s": max(times[c["label"]]),
                "cpu_times": cpu[c["label"]],
                "median_cpu_s": statistics.median(cpu[c["label"]]),
                "mb_per_s": mb / med if med > 0 else None,
                "peak_rss_kib": max(rss[c["label"]]),
            })
            print("  %-34s median %8.3f s  (min %.3f, max %.3f, CPU %.3f s)  %8.1f MB/s"
                  "  peak RSS %7.1f MiB"
                  % (group["name"] + ": " + c["label"], med, min(times[c["label"]]),
                     max(times[c["label"]]), statistics.median(cpu[c["label"]]),
                     mb / med if med > 0 else 0.0,
                     max(rss[c["label"]]) / 1024.0), file=sys.stderr)
        res = {k: v for k, v in group.items() if k != "commands"}
        res["rows"] = rows
        results.append(res)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
