#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Compare `pgtail connections --json LOG` with the generator's truth.

Usage: check-truth.py TRUTH.json PGTAIL-OUTPUT.json [LABEL]

Prints one line: "OK <label>: ..." or "MISMATCH <label>: field want=.. got=..",
and exits 1 on a mismatch.  The exact fields are the counters the generator
knows for certain: connects, disconnects, sessions open at the end (and their
breakdown by application, user, database and host), failed attempts by reason,
abandoned attempts, unmatched disconnections.  The peak is compared too.
"""

import json
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    truth = json.load(open(sys.argv[1], encoding="utf-8"))
    try:
        got = json.load(open(sys.argv[2], encoding="utf-8"))
    except ValueError as e:
        print("MISMATCH %s: pgtail output is not JSON (%s)" % (sys.argv[3] if len(sys.argv) > 3 else "", e))
        return 1
    label = sys.argv[3] if len(sys.argv) > 3 else sys.argv[2]
    bad = []

    def cmp(name, want, have):
        if want != have:
            bad.append("%s want=%s got=%s" % (name, json.dumps(want), json.dumps(have)))

    for key in ("connects", "disconnects", "active", "failed", "abandoned", "unmatched_disconnects"):
        cmp(key, truth[key], got.get(key))
    cmp("failed_by_reason", truth["failed_by_reason"],
        dict(sorted((got.get("failed_by_reason") or {}).items())))
    for key, want in truth["open_at_end"].items():
        cmp(key, want, got.get(key))
    cmp("peak.active", truth["peak"]["active"], (got.get("peak") or {}).get("active"))
    if got.get("complete") is False:
        bad.append("complete=false (pgtail says the open count is only a lower bound)")

    if bad:
        print("MISMATCH %s: %s" % (label, "; ".join(bad)))
        return 1
    print("OK %s: connects=%d disconnects=%d open=%d failed=%d abandoned=%d peak=%d"
          % (label, truth["connects"], truth["disconnects"], truth["active"], truth["failed"],
             truth["abandoned"], truth["peak"]["active"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
