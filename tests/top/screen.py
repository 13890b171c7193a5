#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Read a captured 'pgtail top' screen (tmux capture-pane -p).

  screen.py rows SCREEN TITLE      the rows of the breakdown whose title starts
                                   with TITLE ("Application"): "NAME COUNT CHANGE"
  screen.py truth SCREEN TRUTH T   compare the screen with the corpus truth's
                                   minute boundary T: "ok WHAT" / "FAIL WHAT: DETAIL"
  screen.py layout SCREEN W H      the layout holds together at W x H
"""
import json
import re
import sys


def lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def box_rows(scr, title):
    """Rows of the box titled TITLE: from its column to the next title's."""
    for y, line in enumerate(scr):
        x = line.find(title + " (")
        if x < 0:
            continue
        titles = [m.start() for m in re.finditer(r"[A-Z][a-z]+ \(\d+\)", line)]
        ends = [t for t in titles if t > x]
        end = ends[0] if ends else None
        rows = []
        for row in scr[y + 1:]:
            cell = row[x:end].rstrip()
            m = re.match(r"^(.*?)\s+(\d+)\s+([+-]?\d+)(\s.*)?$", cell)
            if not m or re.search(r"[A-Z][a-z]+ \(\d+\)", row):
                break
            name = m.group(1).strip()
            if name.startswith("LEAK "):  # a flagged application
                name = name[5:]
            rows.append((name, int(m.group(2)), int(m.group(3))))
        return rows
    return None


def main():
    what, path = sys.argv[1], sys.argv[2]
    scr = lines(path)
    if what == "rows":
        for r in box_rows(scr, sys.argv[3]) or []:
            print("%s %d %+d" % r)
        return
    if what == "truth":
        truth = json.load(open(sys.argv[3]))
        t = sys.argv[4]
        mb = [b for b in truth["history"]["minute_boundaries"] if b["t"] == t][0]
        tol = mb["sessions_changing_within_100ms_or_in_handshake"]
        m = re.search(r"^Open (\d+) ", scr[1])
        got = int(m.group(1)) if m else None
        ok = got is not None and abs(got - mb["active"]) <= tol
        print(("ok" if ok else "FAIL") + " the header's open count at %s is the truth's %d (+-%d): %s"
              % (t[11:19], mb["active"], tol, got))
        apps = {n: c for n, c, _ in box_rows(scr, "Application") or []}
        for app, n in mb["active_by_application"].items():
            ok = abs(apps.get(app, 0) - n) <= tol
            print(("ok" if ok else "FAIL") + " application %s at %s: truth %d, screen %s"
                  % (app, t[11:19], n, apps.get(app)))
        hosts = {n: c for n, c, _ in box_rows(scr, "Host") or []}
        for h, n in mb["active_by_client"].items():
            ok = abs(hosts.get(h, 0) - n) <= tol
            print(("ok" if ok else "FAIL") + " host %s at %s: truth %d, screen %s"
                  % (h, t[11:19], n, hosts.get(h)))
        return
    if what == "layout":
        w, h = int(sys.argv[3]), int(sys.argv[4])
        scr = scr[:h]
        checks = [
            ("the header is the first line", scr[0].startswith("pgtail top ")),
            ("the open count is the second", scr[1].startswith("Open ")),
            ("no line is wider than the pane", all(len(x) <= w for x in scr)),
            ("the keys are on the last line", scr[h - 1].startswith("? help")),
        ]
        titles = {}
        for y, line in enumerate(scr):
            for m in re.finditer(r"(Database|User|Application|Host) \(\d+\)", line):
                titles[m.group(1)] = (y, m.start())
        checks.append(("every breakdown has its title", len(titles) == 4))
        # Boxes side by side do not overlap: on one line, titles far enough apart.
        ok = True
        for a in titles.values():
            for b in titles.values():
                if a != b and a[0] == b[0] and abs(a[1] - b[1]) < 20:
                    ok = False
        checks.append(("breakdown titles do not overlap", ok))
        for what, ok in checks:
            print(("ok" if ok else "FAIL") + " %dx%d: %s" % (w, h, what))
        return
    sys.exit("screen.py: unknown request " + what)


if __name__ == "__main__":
    main()
