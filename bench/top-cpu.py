#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""The dashboard's cost: CPU used by `pgtail top` in a tmux pane while a log
grows at a given rate, CPU when nothing happens, and the time from a line
written to the screen showing it.

pgtail top follows a fresh log in a 120x40 tmux pane.  Then:
  idle    the log is quiet for 5 s: CPU (user+sys, from /proc) per second;
  load    for 10 s a writer appends RATE connections a second (received,
          authorized, and the disconnection of an earlier one: a steady
          few hundred open), in 10 ms batches, timestamps on the wall clock;
  latency 20 times, one connect with an application name of its own is
          appended, and tmux's screen is read every 5 ms until the name
          shows in the event stream (this includes the redraw throttle,
          at most 4 frames a second, and tmux's own drawing).

    bench/top-cpu.py [PGTAIL] [--rate=5000]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def cpu_s(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ts(t):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t)) + ".%03d UTC" % (int(t * 1000) % 1000)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    pgtail = os.path.abspath(args[0] if args else "build/pgtail")
    rate = 5000
    for a in sys.argv[1:]:
        if a.startswith("--rate="):
            rate = int(a.split("=", 1)[1])
    if not shutil.which("tmux"):
        sys.exit("tmux is needed")
    d = tempfile.mkdtemp()
    log = os.path.join(d, "postgresql.log")
    sock = os.path.join(d, "tmux.sock")
    tm = ["tmux", "-S", sock]
    now = time.time()
    with open(log, "w") as f:
        f.write("%s [1] LOG:  starting PostgreSQL 15.18 on x86_64-pc-linux-gnu\n" % ts(now))
    subprocess.run(tm + ["new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
                         "env TERM=tmux-256color LC_ALL=C.UTF-8 %s top %s" % (pgtail, log)],
                   check=True)

    def screen():
        return subprocess.run(tm + ["capture-pane", "-t", "b", "-p"], capture_output=True,
                              text=True).stdout

    try:
        for _ in range(200):
            if "pgtail top" in screen():
                break
            time.sleep(0.05)
        pid = int(subprocess.run(["pgrep", "-n", "-f", "%s top %s" % (pgtail, log)],
                                 capture_output=True, text=True).stdout.split()[0])
        time.sleep(1)
        c0 = cpu_s(pid)
        time.sleep(5)
        idle = (cpu_s(pid) - c0) / 5

        # Load: RATE connections a second for 10 s.
        n = 0
        c0 = cpu_s(pid)
        t0 = time.monotonic()
        batch = rate // 100
        with open(log, "a") as f:
            while time.monotonic() - t0 < 10:
                lines = []
                t = time.time()
                for _ in range(batch):
                    p = 100000 + n
                    lines.append("%s [%d] LOG:  connection received: host=10.0.%d.%d port=5%04d\n"
                                 "%s [%d] LOG:  connection authorized: user=app database=prod "
                                 "application_name=app%d\n"
                                 % (ts(t), p, n % 250, n % 200, n % 10000, ts(t), p, n % 7))
                    if n >= 300:
                        q = p - 300
                        lines.append("%s [%d] LOG:  disconnection: session time: 0:00:00.060 "
                                     "user=app database=prod host=10.0.%d.%d port=5%04d\n"
                                     % (ts(t), q, (n - 300) % 250, (n - 300) % 200,
                                        (n - 300) % 10000))
                    n += 1
                f.write("".join(lines))
                f.flush()
                target = t0 + n / rate
                delay = target - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
        elapsed = time.monotonic() - t0
        load = (cpu_s(pid) - c0) / elapsed
        achieved = n / elapsed
        time.sleep(1)
        # The writer keeps 300 sessions open: the header must say so.
        header = [x for x in screen().split("\n") if x.startswith("Open ")]
        header = header[0] if header else "(no header)"

        # Latency: one connect, until its name is on the screen.
        lat = []
        with open(log, "a") as f:
            for i in range(20):
                p = 900000 + i
                name = "latency%02d" % i
                t = time.time()
                w0 = time.monotonic()
                f.write("%s [%d] LOG:  connection received: host=[local]\n"
                        "%s [%d] LOG:  connection authorized: user=u database=d "
                        "application_name=%s\n" % (ts(t), p, ts(t), p, name))
                f.flush()
                while name not in screen():
                    if time.monotonic() - w0 > 3:
                        sys.exit("%s not on the screen within 3 s" % name)
                    time.sleep(0.005)
                lat.append((time.monotonic() - w0) * 1000)
                time.sleep(0.3)
        lat.sort()
        print("pgtail top, 120x40 tmux pane:")
        print("  idle: %.2f%% of a core" % (idle * 100))
        print("  log growing at %.0f connections/s (%d in %.1f s): %.1f%% of a core"
              % (achieved, n, elapsed, load * 100))
        print("  after it, the header: %s" % header.strip())
        print("  line written -> screen shows it, %d connects: median %.0f ms, p95 %.0f ms, "
              "max %.0f ms" % (len(lat), statistics.median(lat), lat[int(len(lat) * 0.95) - 1],
                               lat[-1]))
    finally:
        subprocess.run(tm + ["kill-server"], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
