#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Compare "pgtail connections --json" with what the live server says.

    compare.py LABEL STATE.json PGTAIL.json [--connects N] [--disconnects N]
               [--failed REASON=N,...] [--ended-by-reset N] [--abandoned N]
               [--best-effort KEY,...] [--same-as OTHER.json]

OTHER.json is pgtail's answer for the same log read another way (the
directory instead of the files of one destination): its sessions and
counters must be the same.

STATE.json is the server's own view, taken from pg_stat_activity: "active"
and the four breakdowns.  The counters come from the test driver, which
counts every session and failed attempt it makes.

Prints one record per check, for run.sh to turn into pass/fail lines:
    ok NAME
    FAIL NAME
     detail line (one or more, each starting with a space)
    note NAME: text          (a best-effort check: reported, not judged)
"""
import argparse
import json
import sys

BREAKDOWNS = ("by_database", "by_user", "by_application", "by_host")


def show(v):
    return json.dumps(v, sort_keys=True)


def dict_diff(exp, act):
    lines = ["expected: " + show(exp), "actual:   " + show(act)]
    for k in sorted(set(exp) | set(act)):
        e, a = exp.get(k, 0), act.get(k, 0)
        if e != a:
            lines.append("  %-24s expected %s, actual %s" % (json.dumps(k), e, a))
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("label")
    ap.add_argument("state")
    ap.add_argument("actual")
    ap.add_argument("--connects", type=int)
    ap.add_argument("--disconnects", type=int)
    ap.add_argument("--failed", default=None)
    ap.add_argument("--ended-by-reset", type=int)
    ap.add_argument("--abandoned", type=int, default=0)
    ap.add_argument("--best-effort", default="")
    ap.add_argument("--same-as")
    a = ap.parse_args()
    best_effort = set(filter(None, a.best_effort.split(",")))
    label = a.label

    with open(a.state) as f:
        state = json.load(f)
    try:
        with open(a.actual) as f:
            act = json.load(f)
        if not isinstance(act, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as e:
        with open(a.actual, errors="replace") as f:
            head = f.read(600)
        print("FAIL %s: pgtail printed one JSON object" % label)
        print(" " + str(e))
        for line in head.splitlines()[:10]:
            print(" | " + line)
        return 0

    checks = []  # (key, expected, actual)
    checks.append(("active", state["active"], act.get("active")))
    for k in BREAKDOWNS:
        checks.append((k, state[k], act.get(k)))
    if a.connects is not None:
        checks.append(("connects", a.connects, act.get("connects")))
    if a.disconnects is not None:
        checks.append(("disconnects", a.disconnects, act.get("disconnects")))
    if a.failed is not None:
        exp = {}
        for item in filter(None, a.failed.split(",")):
            name, n = item.split("=")
            if int(n):
                exp[name] = int(n)
        checks.append(("failed_by_reason", exp, act.get("failed_by_reason")))
        checks.append(("failed", sum(exp.values()), act.get("failed")))
    if a.ended_by_reset is not None:
        checks.append(("ended_by_reset", a.ended_by_reset, act.get("ended_by_reset")))
    checks.append(("complete", True, act.get("complete")))
    checks.append(("abandoned", a.abandoned, act.get("abandoned")))
    # A log the server wrote while the suite watched: every line parses and
    # every disconnection has its session.
    for k in ("skipped", "unmatched_disconnects"):
        checks.append((k, 0, act.get(k)))

    if a.same_as:
        keys = ("active",) + BREAKDOWNS + ("connects", "disconnects", "failed",
                                           "failed_by_reason", "ended_by_reset", "complete")
        name = "%s: the log directory reads the same as the named files" % label
        try:
            with open(a.same_as) as f:
                other = json.load(f)
            diff = [k for k in keys if other.get(k) != act.get(k)]
        except (OSError, ValueError) as e:
            other, diff = {}, ["(not JSON: %s)" % e]
        if diff:
            print("FAIL %s" % name)
            for k in diff:
                print(" %s: files %s, directory %s" % (k, show(act.get(k)), show(other.get(k))))
        else:
            print("ok %s" % name)

    for key, exp, got in checks:
        name = "%s: %s" % (label, key)
        same = exp == got
        if key in best_effort:
            if same:
                print("note %s matches (best effort) %s" % (name, show(got)))
            else:
                print("note %s differs (best effort): expected %s, actual %s"
                      % (name, show(exp), show(got)))
            continue
        if same:
            print("ok %s" % name)
            continue
        print("FAIL %s" % name)
        if isinstance(exp, dict) and isinstance(got, dict):
            detail = dict_diff(exp, got)
        else:
            detail = ["expected: " + show(exp), "actual:   " + show(got)]
        for line in detail:
            print(" " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
