#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Compare `pgtail connections --history --json --bucket=1m` with a corpus
scenario's truth.json.

Usage: check_history.py NAME TRUTH.json HISTORY.json SUMMARY.json [--no-leak APP]...

HISTORY.json is the --history --json output, SUMMARY.json the plain
`connections --json` output for the same log.  Prints one "ok"/"FAIL" line
per check and exits non-zero on any failure:

 - the open count at every minute boundary of the truth, within the number
   of sessions the truth says were changing within 100 ms of it (or still in
   their handshake);
 - the totals of the report against the truth (the window covers the log);
 - the truth's leak is flagged, with evidence that fits (its client among
   the hosts, open as many as the truth's final count for the application,
   opened minus closed equal to open, the oldest open no later than the
   leak's first session), a bucket after its start carries the marker, and
   the applications named with --no-leak are not flagged;
 - the summary's "leaks" array names the same applications;
 - every application that ended sessions has a durations entry with as many
   sessions as it ended, and median <= p95 <= max.
"""
import json
import sys
from datetime import datetime


def ms(iso):
    """ISO 8601 UTC time ("...Z", 0-6 fractional digits) to epoch ms."""
    return round(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def hosts_of(leak):
    """The leak's source hosts: a list, or a comma-separated string."""
    h = leak.get("hosts")
    if h is None:
        return [leak["host"]] if leak.get("host") else []
    if isinstance(h, list):
        return h
    return [x.strip() for x in h.split(",") if x.strip()]


class Checks:
    def __init__(self, name):
        self.name = name
        self.bad = 0

    def ok(self, what, cond, expected=None, actual=None):
        if cond:
            shown = "" if actual is None else f" = {json.dumps(actual, sort_keys=True)}"
            print(f"ok   {self.name}: {what}{shown}")
        else:
            self.bad += 1
            print(f"FAIL {self.name}: {what}")
            if expected is not None or actual is not None:
                print(f"     expected: {json.dumps(expected, sort_keys=True)}")
                print(f"     actual:   {json.dumps(actual, sort_keys=True)}")

    def eq(self, what, expected, actual):
        self.ok(what, expected == actual, expected, actual)


def main():
    name, truth_path, hist_path, summ_path = sys.argv[1:5]
    no_leak = []
    rest = sys.argv[5:]
    while rest:
        if rest[0] == "--no-leak" and len(rest) > 1:
            no_leak.append(rest[1])
            rest = rest[2:]
        else:
            sys.exit(f"check_history.py: unknown argument {rest[0]}")
    truth = json.load(open(truth_path))
    hist = json.load(open(hist_path))
    summ = json.load(open(summ_path))
    c = Checks(name)

    # The shape of the report.
    c.eq("bucket_seconds", 60, hist.get("bucket_seconds"))
    buckets = hist.get("buckets") or []
    c.ok("buckets oldest first, the last one now",
         bool(buckets) and all(ms(a["at"]) < ms(b["at"]) for a, b in zip(buckets, buckets[1:]))
         and buckets[-1].get("now") is True and buckets[-1]["at"] == hist.get("now"),
         None, None)

    # Every minute boundary of the truth, within its tolerance.
    by_at = {ms(b["at"]): b for b in buckets}
    for mb in truth["history"]["minute_boundaries"]:
        tol = mb["sessions_changing_within_100ms_or_in_handshake"]
        b = by_at.get(ms(mb["t"]))
        what = f"active at {mb['t'][11:16]} (truth {mb['active']}, +-{tol})"
        if b is None:
            c.ok(what + ": a bucket there", False, mb["t"], [x["at"] for x in buckets])
            continue
        c.ok(what, abs(b["active"] - mb["active"]) <= tol, mb["active"], b["active"])

    # Totals: the default window (1 h) covers each corpus log.
    conn = truth["connections"]
    fa = truth["final_active"]
    c.eq("connects", conn["established"], hist.get("connects"))
    c.eq("disconnects", conn["disconnected_before_cut"], hist.get("disconnects"))
    c.eq("failed", truth["failed_connections"]["total"], hist.get("failed"))
    c.eq("net", fa["total"], hist.get("net"))
    c.eq("active now", fa["total"], buckets[-1]["active"] if buckets else None)
    c.eq("bucket connects add up", hist.get("connects"), sum(b["connects"] for b in buckets))
    c.eq("bucket disconnects add up", hist.get("disconnects"),
         sum(b["disconnects"] for b in buckets))
    c.eq("bucket failures add up", hist.get("failed"), sum(b["failed"] for b in buckets))
    c.eq("peak", truth["history"]["peak_concurrent_sessions"]["count"],
         (hist.get("peak") or {}).get("active"))

    # The leak.
    tl = truth["leak"]
    app = tl["application_name"]
    leaks = {L["application"]: L for L in hist.get("leaks") or []}
    c.ok(f"leak flagged: {app}", app in leaks, app, sorted(leaks, key=str))
    L = leaks.get(app)
    if L is not None:
        c.ok(f"leak {app}: hosts include {tl['client']}", tl["client"] in hosts_of(L),
             tl["client"], L.get("hosts"))
        c.eq(f"leak {app}: open", fa["by_application"].get(app), L.get("open"))
        c.ok(f"leak {app}: opened at least the truth's {tl['opened']}",
             isinstance(L.get("opened"), int) and L["opened"] >= tl["opened"],
             tl["opened"], L.get("opened"))
        c.ok(f"leak {app}: opened - closed = open",
             L.get("opened", 0) - L.get("closed", 0) == L.get("open"),
             L.get("open"), [L.get("opened"), L.get("closed")])
        # The log's timestamp of an authorization can be a few ms before
        # the relay's, whence the second of slack.
        oldest = L.get("oldest_open")
        c.ok(f"leak {app}: oldest open no later than the leak's first session",
             oldest is not None and ms(oldest) <= ms(tl["first"]) + 1000, tl["first"], oldest)
        c.ok(f"leak {app}: growth per row positive",
             isinstance(L.get("growth_per_row"), (int, float)) and L["growth_per_row"] > 0,
             "> 0", L.get("growth_per_row"))
        marked = [b["at"] for b in buckets if b.get("potential_leak")
                  and ms(b["at"]) > ms(tl["first"])]
        c.ok(f"leak {app}: a bucket after {tl['first'][11:19]} is marked", bool(marked),
             "a marked bucket", [b["at"] for b in buckets if b.get("potential_leak")])
    for other in no_leak:
        c.ok(f"not flagged: {other}", other not in leaks, None, sorted(leaks, key=str))

    # The summary names the same leaks.
    sl = summ.get("leaks")
    c.eq("summary leaks name the same applications", sorted(leaks, key=str),
         sorted((x["application"] for x in sl), key=str) if isinstance(sl, list) else sl)

    # Durations: every application that ended sessions.
    durs = hist.get("durations") or {}
    est = conn["established_by"]["by_application"]
    for a in sorted(est):
        ended = est[a] - fa["by_application"].get(a, 0)
        if ended <= 0:
            continue
        d = durs.get(a)
        if d is None:
            c.ok(f"durations {a}: present", False, a, sorted(durs))
            continue
        c.eq(f"durations {a}: sessions", ended, d.get("sessions"))
        q = [d.get("median_s"), d.get("p95_s"), d.get("max_s")]
        c.ok(f"durations {a}: median <= p95 <= max",
             all(isinstance(x, (int, float)) for x in q) and 0 <= q[0] <= q[1] <= q[2],
             "median_s <= p95_s <= max_s", q)
    sys.exit(1 if c.bad else 0)


if __name__ == "__main__":
    main()
