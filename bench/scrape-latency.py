#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Scrape latency of `pgtail serve` while the log grows fast.

Starts `pgtail serve` on a fresh log at a free port, then for DURATION
seconds appends sessions at RATE connections per second (each one
"connection received", "connection authorized" and its "disconnection",
written every 10 ms in one batch) while a scraper GETs /metrics every
100 ms over one kept-alive connection.  Prints the scrape latency (p50,
p99, max, in ms), how far behind the log each scrape was, and checks that
no line was missed: once writing stops, pgtail_connections_total must reach
the number of sessions written.  Prints figures; asserts nothing on time.

    bench/scrape-latency.py [PGTAIL] [--rate N] [--seconds S] [--openmetrics]
"""
import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import multiprocessing
import time

APPS = ["web", "worker", "reports", "cron"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ts(ms):
    """A log timestamp ms milliseconds after 2026-11-29 10:00 UTC."""
    sec, msec = divmod(ms, 1000)
    return "2026-11-29 %02d:%02d:%02d.%03d UTC" % (
        10 + sec // 3600, sec // 60 % 60, sec % 60, msec)


def metric_sum(text, name):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


class Writer(multiprocessing.Process):
    """Appends RATE sessions a second, in batches every 10 ms.  A process of
    its own, so that it and the scraper do not take turns at one
    interpreter lock (which shows as scrape latency that is not pgtail's)."""

    def __init__(self, path, rate, seconds):
        super().__init__(daemon=True)
        self.path, self.rate, self.seconds = path, rate, seconds
        self.shared = multiprocessing.Value("q", 0)  # sessions fully written

    @property
    def written(self):
        return self.shared.value

    def run(self):
        t0 = time.monotonic()
        written = 0
        with open(self.path, "a") as f:
            while True:
                elapsed = time.monotonic() - t0
                if elapsed >= self.seconds:
                    break
                due = int(elapsed * self.rate) - written
                out = []
                for i in range(due):
                    n = written + i
                    pid, t, app = 10000 + n % 50000, ts(int(elapsed * 1000)), APPS[n % 4]
                    out.append(
                        "%s [%d] LOG:  connection received: host=10.0.0.%d port=%d\n"
                        "%s [%d] LOG:  connection authorized: user=u%d database=db "
                        "application_name=%s\n"
                        "%s [%d] LOG:  disconnection: session time: 0:00:00.002 "
                        "user=u%d database=db host=10.0.0.%d port=%d\n"
                        % (t, pid, n % 8, 40000 + n % 20000, t, pid, n % 3, app,
                           t, pid, n % 3, n % 8, 40000 + n % 20000))
                if out:
                    f.write("".join(out))
                    f.flush()
                    written += due
                    self.shared.value = written
                time.sleep(0.01)


def get(conn, accept):
    conn.request("GET", "/metrics", headers={"Accept": accept})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit("GET /metrics: %d" % r.status)
    return body.decode()


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pgtail", nargs="?", default="build/pgtail")
    ap.add_argument("--rate", type=int, default=5000, help="connections per second")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--interval", type=float, default=0.1, help="between scrapes, s")
    ap.add_argument("--openmetrics", action="store_true")
    a = ap.parse_args()
    accept = ("application/openmetrics-text;version=1.0.0" if a.openmetrics
              else "text/plain;version=0.0.4")

    d = tempfile.mkdtemp(prefix="pgtail-scrape.")
    log = os.path.join(d, "postgresql.log")
    with open(log, "w") as f:
        f.write("%s [1] LOG:  starting PostgreSQL 16.4 on x86_64-pc-linux-gnu\n" % ts(0))
        f.write("%s [1] LOG:  database system is ready to accept connections\n" % ts(0))
    for _ in range(5):  # a port found free can be taken before pgtail binds it
        port = free_port()
        p = subprocess.Popen([a.pgtail, "serve", "--listen=127.0.0.1:%d" % port, log],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = p.stdout.readline()
        if line.startswith("Serving"):
            break
        p.wait()
        if "in use" not in p.stderr.read():
            sys.exit("pgtail serve did not start")
    else:
        sys.exit("no free port")

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    w = Writer(log, a.rate, a.seconds)
    lat, behind, sizes = [], [], []
    get(conn, accept)  # the connection is opened before the clock starts
    w.start()
    next_t = time.monotonic()
    while w.is_alive():
        written = w.written
        t0 = time.perf_counter()
        text = get(conn, accept)
        lat.append((time.perf_counter() - t0) * 1000)
        sizes.append(len(text))
        behind.append(written - metric_sum(text, "pgtail_connections_total"))
        next_t += a.interval
        time.sleep(max(0, next_t - time.monotonic()))
    w.join()

    # No line missed: the counter reaches what was written.
    deadline = time.monotonic() + 30
    counted = -1
    while time.monotonic() < deadline:
        counted = metric_sum(get(conn, accept), "pgtail_connections_total")
        if counted >= w.written:
            break
        time.sleep(0.1)
    p.terminate()
    rc = p.wait(timeout=30)

    print("pgtail serve, %s, log growing at %d connections/s (%d lines/s) for %.0f s"
          % ("OpenMetrics" if a.openmetrics else "text format", a.rate, 3 * a.rate, a.seconds))
    print("  scrapes:            %d, one every %d ms" % (len(lat), a.interval * 1000))
    print("  scrape latency ms:  p50 %.2f  p99 %.2f  max %.2f (scrape %d of %d)"
          % (statistics.median(lat), pct(lat, 99), max(lat), lat.index(max(lat)) + 1, len(lat)))
    print("  sessions behind:    p50 %d  p99 %d  max %d  (written, not yet in the scrape)"
          % (statistics.median(behind), pct(behind, 99), max(behind)))
    print("  exposition bytes:   %d" % statistics.median(sizes))
    print("  lines written:      %d (%d sessions)" % (3 * w.written, w.written))
    print("  connects counted:   %d -> %s" % (counted, "no line missed" if counted == w.written
                                             else "MISSED %d" % (w.written - counted)))
    print("  exit status on SIGTERM: %d" % rc)
    os.remove(log)
    os.rmdir(d)
    return 0 if counted == w.written and rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
