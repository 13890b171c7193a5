#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Watch latency: time from a log line being written to pgtail printing it.

Starts `pgtail connections --watch --json LOG`, then 50 times appends one
session's "connection received" + "connection authorized" lines (one
write) and measures how long until the matching JSON event is printed.
Prints median, p95 and max in milliseconds.

    bench/watch-latency.py [PGTAIL] [--poll]
"""
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    pgtail = next((a for a in sys.argv[1:] if not a.startswith("--")), "build/pgtail")
    env = dict(os.environ)
    if "--poll" in sys.argv:
        env["PGTAIL_FOLLOW"] = "poll"
    d = tempfile.mkdtemp()
    log = os.path.join(d, "postgresql.log")
    with open(log, "w") as f:
        f.write("2026-11-29 10:00:00.000 UTC [1] LOG:  starting PostgreSQL 15.18\n")
    p = subprocess.Popen([pgtail, "connections", "--watch", "--json", log],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    time.sleep(0.5)  # let it replay and start following
    lat = []
    fd = p.stdout.fileno()
    buf = b""
    with open(log, "a") as f:
        for i in range(50):
            pid = 1000 + i
            ts = "2026-11-29 10:00:%02d.%03d UTC" % (1 + i // 10, (i % 10) * 100)
            line = ("%s [%d] LOG:  connection received: host=[local]\n"
                    "%s [%d] LOG:  connection authorized: user=u database=d "
                    "application_name=bench\n") % (ts, pid, ts, pid)
            t0 = time.monotonic()
            f.write(line)
            f.flush()
            want = b'"pid":%d' % pid
            while want not in buf:
                r, _, _ = select.select([fd], [], [], 2.0)
                if not r:
                    sys.exit("no event for pid %d within 2 s" % pid)
                buf += os.read(fd, 65536)
            lat.append((time.monotonic() - t0) * 1000)
            time.sleep(0.02)
    p.terminate()
    p.wait()
    lat.sort()
    print("watch latency over %d events (%s): median %.1f ms, p95 %.1f ms, max %.1f ms" % (
        len(lat), "poll" if "--poll" in sys.argv else "inotify",
        statistics.median(lat), lat[int(len(lat) * 0.95) - 1], lat[-1]))


if __name__ == "__main__":
    main()
