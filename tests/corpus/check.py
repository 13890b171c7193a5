#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Compare `pgtail connections --json` with a corpus scenario's truth.json.

Usage: check.py NAME TRUTH.json JSON-FROM-PGTAIL [--after-cut] [--no-pids]
Prints one "ok"/"FAIL" line per figure and exits non-zero on any mismatch.
With --after-cut the log runs past the cut to the server's shutdown, so
nothing may be open and every established session must have disconnected.
"""
import json
import sys


def main():
    name, truth_path, got_path = sys.argv[1:4]
    after_cut = "--after-cut" in sys.argv[4:]
    # Without PIDs, hosts and applications of open sessions are paired by
    # order (best effort); totals by database and user must still be exact.
    no_pids = "--no-pids" in sys.argv[4:]
    truth = json.load(open(truth_path))
    got = json.load(open(got_path))
    fa = truth["final_active"]
    conn = truth["connections"]
    failed = truth["failed_connections"]
    checks = []
    if after_cut:
        checks += [
            ("active", 0, got["active"]),
            ("disconnects", conn["established"], got["disconnects"]),
        ]
    else:
        checks += [
            ("active", fa["total"], got["active"]),
            ("by_database", fa["by_database"], got["by_database"]),
            ("by_user", fa["by_user"], got["by_user"]),
            ("by_application", fa["by_application"], got["by_application"]),
            ("by_host", fa["by_client"], got["by_host"]),
            ("disconnects", conn["disconnected_before_cut"], got["disconnects"]),
            ("peak", truth["history"]["peak_concurrent_sessions"]["count"],
             got["peak"]["active"]),
        ]
    checks += [
        ("connects", conn["established"], got["connects"]),
        ("failed", failed["total"], got["failed"]),
        ("failed_by_reason", failed["by_reason"], got["failed_by_reason"]),
        ("abandoned", failed["abandoned_during_authentication"], got["abandoned"]),
        ("complete", True, got["complete"]),
        ("skipped", 0, got["skipped"]),
        ("unmatched_disconnects", 0, got["unmatched_disconnects"]),
    ]
    if no_pids:
        checks = [c for c in checks if c[0] not in ("by_application", "by_host", "abandoned")]
    bad = 0
    for what, want, have in checks:
        if want == have:
            print(f"ok   {name}: {what} = {json.dumps(have)}")
        else:
            bad += 1
            print(f"FAIL {name}: {what}")
            print(f"     expected: {json.dumps(want, sort_keys=True)}")
            print(f"     actual:   {json.dumps(have, sort_keys=True)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
