#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""The views the everyday suite asks the shell for, and their comparison with
pg_stat_activity.

    everyday.py round LABEL VIEWSET STATE.json FIFO OUT PID TAG
               [--counters C,D,F] [--honest] [--cli NAME PGTAIL.json]
               [--summary-out FILE] [--connects N] [--retry SECONDS]
        ask the shell (process PID, reading commands from FIFO, writing to
        OUT) every view of VIEWSET (all, or plain), each command followed by
        a sentinel command "@@TAG.N-K" (unknown: the shell answers it with
        one error line, which marks where the answer ends); compare the
        answers with STATE.json, the server's client backends from
        pg_stat_activity: [{"pid", "database", "user", "application",
        "host"}, ...].  A round with a difference is asked again for up to
        --retry seconds (2): the shell may still be reading the last lines.
    everyday.py oneshot LABEL STATE.json PGTAIL.json
        "pgtail connections --json LOGDIR" against the server (the total)

--counters: the plain view's connects, disconnects and failed must be these
(the counters since "connections clear").  --connects: the plain, --since
and --history views' connects must be N (every session the suite made: the
log begins at the server's first start, within the views' windows).  --honest: a view that differs
from the server passes only when it says it cannot be right (a caveat about
log_disconnections), and what it says is printed either way.  --cli: also
the check of oneshot, named NAME.  --summary-out: write to FILE the plain
view's active count, the server's, and the server's on the unix socket.

Prints records for report_records (lib-live.sh): "ok NAME", "FAIL NAME" with
detail lines that start with a space, and notes (any other line).
"""
import json
import os
import re
import sys
import time

BREAKDOWNS = (("by_database", "database"), ("by_user", "user"),
              ("by_application", "application"), ("by_host", "host"))
# One filter of each kind; the suite opens sessions that match each.
FILTERS = (("app", "application", "rails"), ("user", "user", "report_user"),
           ("db", "database", "analytics"), ("host", "host", "127.0.0.2"),
           ("host", "host", "[local]"))


def views(viewset):
    v = [("connections --json", "plain")]
    if viewset == "plain":
        return v
    for opt, field, value in FILTERS:
        v.append(("connections --%s=%s --json" % (opt, value), ("filter", field, value)))
        v.append(("connections --sessions --%s=%s --json" % (opt, value),
                  ("filter-pids", field, value)))
    v.append(("connections --history --json", "history"))
    v.append(("connections --sessions --json", "sessions"))
    v.append(("connections --since=10m --json", "since"))
    return v


def show(v):
    return json.dumps(v, sort_keys=True)


def expected_summary(sessions):
    exp = {"active": len(sessions)}
    for key, field in BREAKDOWNS:
        d = {}
        for s in sessions:
            d[s[field]] = d.get(s[field], 0) + 1
        exp[key] = d
    return exp


def summary_diff(exp, act):
    """Lines naming each difference of a summary, empty when it agrees."""
    lines = []
    if act.get("active") != exp["active"]:
        lines.append("active: pgtail %s, pg_stat_activity %s"
                     % (show(act.get("active")), exp["active"]))
    for key, _ in BREAKDOWNS:
        got = act.get(key)
        if not isinstance(got, dict):
            lines.append("%s: pgtail %s, pg_stat_activity %s" % (key, show(got), show(exp[key])))
            continue
        for k in sorted(set(exp[key]) | set(got)):
            e, a = exp[key].get(k, 0), got.get(k, 0)
            if e != a:
                lines.append("%s %s: pgtail %s, pg_stat_activity %s" % (key, json.dumps(k), a, e))
    return lines


def find_caveats(obj):
    """Every caveat anywhere in a view's JSON."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "caveats" and isinstance(v, list):
                out.extend(v)
            else:
                out.extend(find_caveats(v))
    elif isinstance(obj, list):
        for v in obj:
            out.extend(find_caveats(v))
    return out


def says_it_cannot(obj):
    for c in find_caveats(obj):
        if "disconnection" in json.dumps(c):
            return True
    return False


def split_round(text, tag, n):
    """The shell's answer to each of the n commands, as text."""
    parts = []
    rest = text
    for k in range(1, n + 1):
        m = re.search(r"^.*unknown command '@@%s-%d'.*$" % (re.escape(tag), k), rest, re.M)
        if not m:
            parts.append(None)
            continue
        parts.append(rest[:m.start()])
        rest = rest[m.end():]
    return parts


def parse_answer(seg):
    """(JSON object or None, the lines around it)."""
    lines = seg.splitlines()
    try:
        first = next(i for i, l in enumerate(lines) if l == "{")
        last = max(i for i, l in enumerate(lines) if l == "}")
    except (StopIteration, ValueError):
        return None, [l for l in lines if l.strip()]
    try:
        obj = json.loads("\n".join(lines[first:last + 1]))
    except ValueError:
        return None, [l for l in lines if l.strip()]
    other = [l for l in lines[:first] + lines[last + 1:] if l.strip()]
    return obj, other


def connects_diff(obj, connects):
    if connects is None or obj.get("connects") == connects:
        return []
    return ["connects: pgtail %s, the suite made %d (every one since the server's first start)"
            % (show(obj.get("connects")), connects)]


def compare_view(kind, obj, state, counters, connects=None):
    """The differences between a view and the server (and the suite's count
    of connects, when given)."""
    everyone = expected_summary(state)
    if kind == "plain" or kind == "since":
        diff = summary_diff(everyone, obj)
        if counters is None:
            diff += connects_diff(obj, connects)
        if counters is not None and kind == "plain":
            for key, want in zip(("connects", "disconnects", "failed"), counters):
                if obj.get(key) != want:
                    diff.append("%s since the clear: pgtail %s, the suite made %s"
                                % (key, show(obj.get(key)), want))
        return diff
    if isinstance(kind, tuple):
        what, field, value = kind
        subset = [s for s in state if s[field] == value]
        if what == "filter-pids":
            return compare_view("sessions", obj, subset, None)
        return summary_diff(expected_summary(subset), obj)
    if kind == "history":
        buckets = obj.get("buckets") or []
        if not buckets:
            return ["no buckets: pgtail %s" % show(obj)[:300]]
        last = buckets[-1]
        diff = []
        if last.get("now") is not True:
            diff.append("last bucket is not now: %s" % show(last))
        if last.get("active") != len(state):
            diff.append("last bucket active: pgtail %s, pg_stat_activity %s"
                        % (show(last.get("active")), len(state)))
        return diff + connects_diff(obj, connects)
    if kind == "sessions":
        got = obj.get("sessions")
        if not isinstance(got, list):
            return ["no sessions list: %s" % show(obj)[:300]]
        gp = sorted(s.get("pid") for s in got)
        ep = sorted(s["pid"] for s in state)
        if gp == ep:
            return []
        return ["pids: pgtail %d %s" % (len(gp), gp),
                "pg_stat_activity %d %s" % (len(ep), ep),
                "only pgtail: %s; only pg_stat_activity: %s"
                % (sorted(set(gp) - set(ep)), sorted(set(ep) - set(gp)))] + \
            pid_lines(set(gp) ^ set(ep))
    raise ValueError(kind)


def pid_lines(pids):
    """Where the log directory (PGTAIL_DIAG_LOGDIR) mentions each pid that
    differs, file by file: what a failure needs to be understood."""
    logdir = os.environ.get("PGTAIL_DIAG_LOGDIR")
    if not logdir or not pids:
        return []
    out = []
    for pid in sorted(pids):
        keys = ("[%d]" % pid, ",%d," % pid, '"pid":%d,' % pid)
        for name in sorted(os.listdir(logdir)):
            try:
                with open(os.path.join(logdir, name), errors="replace") as f:
                    for n, line in enumerate(f, 1):
                        if any(k in line for k in keys):
                            out.append("  %s:%d: %s" % (name, n, line.rstrip()[:220]))
            except OSError:
                continue
    return out[:40]


def view_name(cmd, kind):
    if isinstance(kind, tuple):
        return "%s (filter; and its --sessions pids)" % cmd
    return cmd


def compare_round(label, viewset, state, text, tag, counters, honest, connects):
    """The records of one round, whether a view of the shell differed, and
    the plain view's open count."""
    out = []
    vs = views(viewset)
    parts = split_round(text, tag, len(vs))
    plain_active = None
    results = []   # [name, differences, [JSON answers], what was wrong with the answers]
    by_filter = {}
    for (cmd, kind), seg in zip(vs, parts):
        pids_of = isinstance(kind, tuple) and kind[0] == "filter-pids"
        if pids_of:
            r = by_filter[kind[1:]]
        else:
            r = ["%s: shell %s" % (label, view_name(cmd, kind)), [], [], []]
            results.append(r)
            if isinstance(kind, tuple):
                by_filter[kind[1:]] = r
        if seg is None:
            r[3].append("'%s': the shell did not answer" % cmd)
            continue
        obj, other = parse_answer(seg)
        for l in other[:4]:
            out.append("#    shell said with '%s': %s" % (cmd, l))
        if obj is None:
            r[3].append("'%s' did not print one JSON object:" % cmd)
            r[3].extend("| " + l for l in seg.splitlines()[:8])
            continue
        r[2].append(obj)
        if kind == "plain":
            plain_active = obj.get("active")
        diff = compare_view(kind, obj, state, counters, connects)
        r[1].extend(["%s: %s" % (cmd, l) for l in diff] if pids_of else diff)
        if honest:
            cav = [c.get("kind") for c in find_caveats(obj) if isinstance(c, dict)]
            said = "equals the server" if not diff else "differs (%s)" % diff[0]
            out.append("#    %s: pgtail %s; its caveats: %s; complete: %s"
                       % (cmd, said, cav or "none", show(obj.get("complete"))))
    failed = False
    for name, diff, objs, bad in results:
        diff = bad + diff
        if honest:
            if diff and not bad and any(says_it_cannot(o) for o in objs):
                out.append("ok %s (differs, and says log_disconnections was off)" % name)
                continue
            name += " equals the server or says it cannot"
        if not diff:
            out.append("ok " + name)
            continue
        failed = True
        out.append("FAIL " + name)
        out.extend(" " + l for l in diff)
    return out, failed, plain_active


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def ask(fifo, out_path, pid, viewset, tag):
    """Send the commands of viewset, each followed by its sentinel, to the
    shell reading fifo; return its answers (None when it died or took more
    than 30 s)."""
    vs = views(viewset)
    off = os.path.getsize(out_path)
    batch = "".join("%s\n@@%s-%d\n" % (cmd, tag, k + 1) for k, (cmd, _) in enumerate(vs))
    last = "unknown command '@@%s-%d'" % (tag, len(vs))
    with open(fifo, "w") as f:
        f.write(batch)
    deadline = time.monotonic() + 30
    while True:
        with open(out_path, errors="replace") as f:
            f.seek(off)
            text = f.read()
        if last in text:
            return text
        if not alive(pid) or time.monotonic() > deadline:
            return None
        time.sleep(0.05)


def cmd_round(argv):
    label, viewset, state_path, fifo, out_path, pid, tag = argv[:7]
    pid = int(pid)
    opts = argv[7:]
    counters = None
    honest = False
    cli = None
    summary_out = None
    connects = None
    retry = 2.0
    while opts:
        o = opts.pop(0)
        if o == "--counters":
            counters = [int(x) for x in opts.pop(0).split(",")]
        elif o == "--honest":
            honest = True
        elif o == "--cli":
            cli = (opts.pop(0), opts.pop(0))
        elif o == "--summary-out":
            summary_out = opts.pop(0)
        elif o == "--connects":
            connects = int(opts.pop(0))
        elif o == "--retry":
            retry = float(opts.pop(0))
        else:
            raise SystemExit("unknown option " + o)
    with open(state_path) as f:
        state = json.load(f)
    # The shell may still be reading the last lines: a round that differs is
    # asked again, for up to RETRY seconds.
    deadline = time.monotonic() + retry
    attempt = 0
    while True:
        attempt += 1
        text = ask(fifo, out_path, pid, viewset, "%s.%d" % (tag, attempt))
        if text is None:
            with open(out_path, errors="replace") as f:
                tail = f.read()[-1500:]
            print("FAIL %s: the shell answers" % label)
            print(" it %s; its last output:" % ("is gone" if not alive(pid) else "took more than 30 s"))
            for l in tail.splitlines()[-15:]:
                print(" | " + l)
            records, plain_active = [], None
            break
        records, failed, plain_active = compare_round(
            label, viewset, state, text, "%s.%d" % (tag, attempt), counters, honest, connects)
        if not failed or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for l in records:
        print(l)
    if cli:
        oneshot(cli[0], state, cli[1])
    if summary_out:
        with open(summary_out, "w") as f:
            f.write("%s %d %d\n" % (show(plain_active), len(state),
                                    sum(1 for s in state if s["host"] == "[local]")))
    return 0


def cmd_oneshot(argv):
    label, state_path, path = argv[:3]
    with open(state_path) as f:
        state = json.load(f)
    return oneshot(label, state, path)


def oneshot(label, state, path):
    try:
        with open(path) as f:
            obj = json.load(f)
    except (OSError, ValueError) as e:
        print("FAIL %s" % label)
        print(" not JSON: %s" % e)
        return 0
    exp = expected_summary(state)
    if obj.get("active") == exp["active"]:
        print("ok %s" % label)
    else:
        print("FAIL %s" % label)
        print(" active: pgtail %s, pg_stat_activity %s" % (show(obj.get("active")), exp["active"]))
        for l in summary_diff(exp, obj)[1:]:
            print(" " + l)
        print(" pgtail read %s files, %s lines" % (obj.get("files"), obj.get("lines")))
    return 0


def main():
    if len(sys.argv) >= 9 and sys.argv[1] == "round":
        return cmd_round(sys.argv[2:])
    if len(sys.argv) == 5 and sys.argv[1] == "oneshot":
        return cmd_oneshot(sys.argv[2:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
