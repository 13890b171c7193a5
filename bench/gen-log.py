#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Make big, realistic PostgreSQL 15 logs by multiplying a real one.

The source is the real PostgreSQL 15 run in tests/fixtures/default-prefix/
(the same events in stderr, csvlog and jsonlog form).  Its connection events
are replayed round after round with shifted timestamps and fresh PIDs, each
session kept whole (received -> authorized -> disconnection under one new PID;
refusals keep their FATAL and DETAIL lines).  The server start lines appear
once, at the very beginning.  Sessions still open at the end of a round are
closed at a random time early in the next round, with a correct session time,
so the number of open sessions stays bounded; those of the last round stay
open, as in the source log.

Between the connection events, a few long-lived pgbench-like backends write
statement lines as log_min_duration_statement = 0 does
("duration: 0.123 ms  statement: UPDATE ..."), so that about --filler of the
lines are statement lines; now and then a statement spans several lines.
Those backends connect right after the server start and disconnect at the end.

Every requested format is written in one pass from the same random choices,
so PREFIX.log, PREFIX.csv and PREFIX.json hold the same events.  The size
target (--size-mb) is measured on the first format given; generation stops at
the end of the round that reaches it.  PREFIX.truth.json records what a
correct tool must report on the whole file.

Only the Python standard library is used.
"""

import argparse
import calendar
import json
import os
import random
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.path.join(
    HERE, "..", "tests", "fixtures", "default-prefix",
    "postgresql-2026-11-29_004152")

PID_MAX = 4194304          # Linux pid_max on 64-bit systems
PID_MIN = 300              # the kernel skips low PIDs after a wrap

FILLER_HOST = "127.0.0.6"
FILLER_USER = "app_user"
FILLER_DB = "production"
FILLER_APP = "pgbench"

# FATAL messages that refuse a connection, and the reason names used in
# tests/fixtures/*/truth.json and pgtail's --json output.
REFUSALS = [
    ("password authentication failed for user", "password_authentication_failed"),
    ("pg_hba.conf rejects connection", "pg_hba_reject"),
    ("no pg_hba.conf entry", "pg_hba_no_entry"),
    ("does not exist", None),   # role or database: decided below
    ("too many connections for role", "role_connection_limit"),
    ("too many connections for database", "database_connection_limit"),
    ("remaining connection slots are reserved", "reserved_connection_slots"),
    ("sorry, too many clients already", "max_connections"),
    ("the database system is starting up", "starting_up"),
    ("the database system is shutting down", "shutting_down"),
]


def refusal_reason(msg):
    for needle, reason in REFUSALS:
        if needle in msg:
            if reason is None:
                if msg.startswith("role "):
                    return "role_does_not_exist"
                if msg.startswith("database "):
                    return "database_does_not_exist"
                continue
            return reason
    return None


# ---------------------------------------------------------------- time

def parse_ts(s):
    """'2026-11-29 00:41:52.360' (UTC) -> epoch milliseconds."""
    sec = calendar.timegm(time.strptime(s[:19], "%Y-%m-%d %H:%M:%S"))
    return sec * 1000 + int(s[20:23])


_sec_cache = {}


def fmt_sec(sec):
    s = _sec_cache.get(sec)
    if s is None:
        if len(_sec_cache) > 4096:
            _sec_cache.clear()
        s = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(sec))
        _sec_cache[sec] = s
    return s


def fmt_ms(ms):
    sec, milli = divmod(ms, 1000)
    return "%s.%03d" % (fmt_sec(sec), milli)


def fmt_interval(ms):
    """PostgreSQL's session time: H:MM:SS.mmm, hours unbounded."""
    sec, milli = divmod(ms, 1000)
    h, rem = divmod(sec, 3600)
    m, s = divmod(rem, 60)
    return "%d:%02d:%02d.%03d" % (h, m, s, milli)


def session_id(start_sec, pid):
    return "%x.%x" % (start_sec, pid)


def csv_lit(s):
    return '"' + s.replace('"', '""') + '"'


def json_str(s):
    return json.dumps(s, ensure_ascii=False)


# ---------------------------------------------------------------- source

STDERR_RE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC \[(\d+)\] (.*)$", re.S)
Q = r'(?:"(?:[^"]|"")*")?'
CSV_RE = re.compile(
    r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC,(' + Q + '),(' + Q + r'),(\d+),('
    + Q + r'),([0-9a-f]+\.[0-9a-f]+),(\d+),(' + Q + r'),(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC,(.*)$',
    re.S)
JSON_RE = re.compile(
    r'^\{"timestamp":"([^"]+) UTC",(.*?)"pid":(\d+),(.*?)"session_id":"([^"]+)",'
    r'(.*?)"session_start":"([^"]+) UTC",(.*)$', re.S)


PID_SLOT = ("pid",)
SID_SLOT = ("sid",)
START_SLOT = ("start",)


class Record:
    """One log record of the source, with per-format templates.

    A template is a list of strings and slots; the slots are ("ts", delta)
    (the record's time plus delta ms), PID_SLOT, SID_SLOT (the session id)
    and START_SLOT (the session start).
    """
    __slots__ = ("ms", "pid", "severity", "message", "raw", "tpl", "line_num", "start_sec")

    def __init__(self, ms, pid):
        self.ms = ms
        self.pid = pid
        self.tpl = {}
        self.raw = {}
        self.line_num = 0
        self.start_sec = None


def read_stderr(path):
    recs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = STDERR_RE.match(line)
            if not m:
                if not recs:
                    sys.exit("gen-log: %s: first line has no '%%m [%%p] ' prefix" % path)
                recs[-1][2].append(("cont", line))
                continue
            ts, pid, rest = m.group(1), int(m.group(2)), m.group(3)
            sev, _, msg = rest.partition(":  ")
            if sev in ("DETAIL", "HINT", "CONTEXT", "STATEMENT") and recs and recs[-1][1] == pid:
                recs[-1][2].append((parse_ts(ts), rest))
                continue
            recs.append([parse_ts(ts), pid, [(None, rest)], sev, msg])
    return recs


def read_lines_records(path, start_re):
    """Split a csvlog/jsonlog file into records (a CSV record may span lines)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if start_re.match(line) or not out:
                out.append(line)
            else:
                out[-1] += line
    return [r.rstrip("\n") for r in out]


REC_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} ")
JSON_START = re.compile(r'^\{"timestamp"')


def align(records, raw, regex, ts_group, pid_group, what):
    """Order the csv/json records as the stderr ones: lines written in the
    same millisecond by different backends may come in another order."""
    by_key = {}
    for line in raw:
        m = regex.match(line)
        if not m:
            sys.exit("gen-log: unexpected %s record: %s" % (what, line[:120]))
        key = (parse_ts(m.group(ts_group)), int(m.group(pid_group)))
        by_key.setdefault(key, []).append((m, line))
    out = []
    for r in records:
        lst = by_key.get((r.ms, r.pid))
        if not lst:
            sys.exit("gen-log: no %s record for the .log's pid %d at %s" % (what, r.pid, fmt_ms(r.ms)))
        out.append(lst.pop(0))
    return out


def load_source(base, formats):
    src = read_stderr(base + ".log")
    records = []
    for ms, pid, parts, sev, msg in src:
        r = Record(ms, pid)
        r.severity = sev
        r.message = msg
        tpl = []
        for i, (lms, rest) in enumerate(parts):
            if i:
                tpl.append("\n")
            if lms == "cont":
                tpl.append(rest)
                continue
            tpl += [("ts", (lms if lms is not None else ms) - ms), " UTC [", PID_SLOT, "] " + rest]
        r.tpl["stderr"] = tpl
        r.raw["stderr"] = "\n".join(
            rest if lms == "cont" else "%s UTC [%d] %s" % (fmt_ms(lms if lms is not None else ms), pid, rest)
            for lms, rest in parts)
        records.append(r)

    if "csv" in formats:
        raw = read_lines_records(base + ".csv", REC_START)
        if len(raw) != len(records):
            sys.exit("gen-log: %s.csv has %d records, the .log %d" % (base, len(raw), len(records)))
        for r, (m, line) in zip(records, align(records, raw, CSV_RE, 1, 4, "csv")):
            g = m.groups()
            r.raw["csv"] = line
            r.line_num = int(g[6])
            r.start_sec = parse_ts(g[8] + ".000") // 1000
            r.tpl["csv"] = [("ts", 0), " UTC,%s,%s," % (g[1], g[2]), PID_SLOT,
                            ",%s," % g[4], SID_SLOT, ",%s,%s," % (g[6], g[7]),
                            START_SLOT, " UTC," + g[9]]
    if "json" in formats:
        raw = read_lines_records(base + ".json", JSON_START)
        if len(raw) != len(records):
            sys.exit("gen-log: %s.json has %d records, the .log %d" % (base, len(raw), len(records)))
        for r, (m, line) in zip(records, align(records, raw, JSON_RE, 1, 3, "json")):
            g = m.groups()
            r.tpl["json"] = ['{"timestamp":"', ("ts", 0), ' UTC",' + g[1] + '"pid":', PID_SLOT,
                             "," + g[3] + '"session_id":"', SID_SLOT, '",' + g[5] + '"session_start":"',
                             START_SLOT, ' UTC",' + g[7]]
            r.raw["json"] = line
            jr = json.loads(line)
            r.line_num = jr.get("line_num", 0)
            r.start_sec = parse_ts(g[6] + ".000") // 1000
    return records


class Session:
    """What the source says about one backend (by its original PID)."""
    __slots__ = ("pid", "records", "start_ms", "start_sec", "host", "port", "user", "db", "app",
                 "authorized", "refused", "reason", "disconnected", "outcome",
                 "line_num", "vxid_backend")

    def __init__(self, pid):
        self.pid = pid
        self.records = []
        self.host = self.port = self.user = self.db = self.app = None
        self.authorized = False
        self.refused = False
        self.reason = None
        self.disconnected = False
        self.line_num = 0


AUTH_RE = re.compile(r"^connection authorized: user=(\S+)(?: database=(\S+))?(?: application_name=(.*))?$")
RECV_RE = re.compile(r"^connection received: host=(\S+)(?: port=(\d+))?$")


def analyse(records):
    """Group records by backend and classify each backend."""
    server, sessions, order = [], {}, []
    recv_pids = {r.pid for r in records if r.message.startswith("connection received:")}
    seen_session = False
    for r in records:
        if r.pid not in recv_pids:
            if seen_session:
                sys.exit("gen-log: server line after the first session (pid %d): only a "
                         "source whose server lines all come first can be multiplied" % r.pid)
            server.append(r)
            continue
        seen_session = True
        s = sessions.get(r.pid)
        if s is None:
            s = sessions[r.pid] = Session(r.pid)
            s.start_ms = r.ms
            s.start_sec = r.start_sec if r.start_sec is not None else r.ms // 1000
            order.append(s)
        elif s.disconnected or s.refused:
            sys.exit("gen-log: source PID %d is reused; not supported" % r.pid)
        s.records.append(r)
        msg = r.message
        if r.severity == "LOG" and msg.startswith("connection received:"):
            m = RECV_RE.match(msg)
            s.host, s.port = m.group(1), m.group(2)
        elif r.severity == "LOG" and msg.startswith("connection authorized:"):
            m = AUTH_RE.match(msg)
            s.authorized = True
            s.user, s.db, s.app = m.group(1), m.group(2), m.group(3)
        elif r.severity == "LOG" and msg.startswith("disconnection:"):
            s.disconnected = True
        elif r.severity == "FATAL":
            reason = refusal_reason(msg)
            if reason is not None and not s.disconnected:
                s.refused = True
                s.reason = reason
        s.line_num = r.line_num or len(s.records)
    for s in order:
        if s.refused:
            s.outcome = "failed"
        elif s.authorized and s.disconnected:
            s.outcome = "closed"
        elif s.authorized:
            s.outcome = "open"
        elif s.disconnected:
            s.outcome = "unmatched"
        else:
            s.outcome = "abandoned"
    return server, order


# ---------------------------------------------------------------- output

class Out:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.name = path
        self.buf = []
        self.n = 0
        self.bytes = 0
        self.lines = 0

    def add(self, s):
        self.buf.append(s)
        self.n += 1
        if self.n >= 4096:
            self.flush()

    def flush(self):
        data = "\n".join(self.buf) + "\n" if self.buf else ""
        self.buf = []
        self.n = 0
        if data:
            self.lines += data.count("\n")
            b = data.encode("utf-8")
            self.bytes += len(b)
            self.f.write(b)

    def close(self):
        self.flush()
        self.f.close()


def render(tpl, ms, pid, sid, start):
    parts = []
    for p in tpl:
        if p.__class__ is str:
            parts.append(p)
        elif p is PID_SLOT:
            parts.append(str(pid))
        elif p is SID_SLOT:
            parts.append(sid)
        elif p is START_SLOT:
            parts.append(start)
        else:
            parts.append(fmt_ms(ms + p[1]))
    return "".join(parts)


PGBENCH = [
    ("BEGIN", "BEGIN;"),
    ("UPDATE", "UPDATE pgbench_accounts SET abalance = abalance + {d} WHERE aid = {a};"),
    ("SELECT", "SELECT abalance FROM pgbench_accounts WHERE aid = {a};"),
    ("UPDATE", "UPDATE pgbench_tellers SET tbalance = tbalance + {d} WHERE tid = {t};"),
    ("UPDATE", "UPDATE pgbench_branches SET bbalance = bbalance + {d} WHERE bid = {b};"),
    ("INSERT", "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) "
               "VALUES ({t}, {b}, {a}, {d}, CURRENT_TIMESTAMP);"),
    ("COMMIT", "END;"),
]
REPORT = ("SELECT", "SELECT b.bid, sum(a.abalance) AS total, count(*)\n"
                    "\tFROM pgbench_accounts a\n"
                    "\tJOIN pgbench_branches b ON b.bid = a.bid\n"
                    "\tWHERE a.aid BETWEEN {a} AND {a} + 1000\n"
                    "\tGROUP BY b.bid;")


class Filler:
    """A long-lived statement-heavy backend."""

    def __init__(self, pid, port, start_ms, backend_id):
        self.pid = pid
        self.port = port
        self.start_ms = start_ms
        self.start = fmt_sec(start_ms // 1000)
        self.sid = session_id(start_ms // 1000, pid)
        self.line_num = 0
        self.step = 0
        self.backend_id = backend_id
        self.lxid = 0
        self.txid = 0
        self.cur = {}


class Generator:
    def __init__(self, args):
        self.args = args
        self.formats = args.formats
        self.rng = random.Random(args.seed)
        self.records = load_source(args.source, self.formats)
        self.server, self.sessions = analyse(self.records)
        self.outs = {}
        ext = {"stderr": ".log", "csv": ".csv", "json": ".json"}
        for fmt in self.formats:
            self.outs[fmt] = Out(args.out + ext[fmt])
        first = self.sessions[0].start_ms
        last = max(r.ms for s in self.sessions for r in s.records)
        span = last - first
        self.first_ms = first
        self.span = span
        self.round_ms = (span // 1000 + 2) * 1000
        self.busy = set()
        self.last_pid = self.sessions[0].pid - 1
        self.counts = {"connects": 0, "disconnects": 0, "failed": 0, "abandoned": 0,
                       "failed_by_reason": {}, "authorized_lines": 0, "unmatched": 0}
        self.active = 0
        self.peak = (0, 0)
        self.stmt_records = 0
        self.event_records = 0
        self.fillers = []
        self.filler_clock = 0.0
        self.filler_gap = 1.0
        self.open_at_end = []

    # -- PIDs

    def alloc_pid(self, gap):
        pid = self.last_pid + max(1, gap)
        while True:
            if pid >= PID_MAX:
                pid = PID_MIN + (pid - PID_MAX)
            if pid not in self.busy:
                break
            pid += 1
        self.last_pid = pid
        return pid

    # -- emission

    def emit_record(self, rec, ms, pid, start_sec):
        sid = session_id(start_sec, pid)
        start = fmt_sec(start_sec)
        for fmt, out in self.outs.items():
            out.add(render(rec.tpl[fmt], ms, pid, sid, start))

    def emit_synth(self, texts):
        for fmt, out in self.outs.items():
            out.add(texts[fmt])

    def track(self, ms, delta):
        self.active += delta
        if self.active > self.peak[0]:
            self.peak = (self.active, ms)

    def filler_until(self, ms):
        """Statement lines from the long-lived backends up to time ms."""
        rng = self.rng
        gap2 = 2.0 * self.filler_gap
        fillers = self.fillers
        outs = self.outs
        want = self.formats
        while self.filler_clock < ms:
            t = int(self.filler_clock)
            self.filler_clock += rng.random() * gap2
            fb = fillers[rng.randrange(len(fillers))]
            if fb.step == 0:
                fb.lxid += 1
                fb.cur = {"a": rng.randrange(1, 100001), "t": rng.randrange(1, 11),
                          "b": 1, "d": rng.randrange(-5000, 5001)}
                fb.txid_now = 0
            if fb.step == 1:
                self.txid_counter += 1
                fb.txid_now = self.txid_counter
            if fb.step == 0 and rng.random() < 0.003:
                tag, text = REPORT
                dur = 2.0 + rng.random() * 40
                next_step = 0
            else:
                tag, text = PGBENCH[fb.step]
                dur = 0.01 + rng.random() * 0.3
                next_step = (fb.step + 1) % len(PGBENCH)
            stmt = text.format(**fb.cur)
            fb.step = next_step
            fb.line_num += 1
            msg = "duration: %.3f ms  statement: %s" % (dur, stmt)
            ts = fmt_ms(t)
            txid = fb.txid_now if tag != "BEGIN" else 0
            self.stmt_records += 1
            if "stderr" in want:
                outs["stderr"].add("%s UTC [%d] LOG:  %s" % (ts, fb.pid, msg))
            if "csv" in want:
                outs["csv"].add(
                    '%s UTC,"%s","%s",%d,"%s:%d",%s,%d,"%s",%s UTC,%d/%d,%d,LOG,00000,%s,,,,,,,,,"%s","client backend",,0'
                    % (ts, FILLER_USER, FILLER_DB, fb.pid, FILLER_HOST, fb.port, fb.sid, fb.line_num,
                       tag, fb.start, fb.backend_id, fb.lxid, txid, csv_lit(msg), FILLER_APP))
            if "json" in want:
                outs["json"].add(
                    '{"timestamp":"%s UTC","user":"%s","dbname":"%s","pid":%d,"remote_host":"%s",'
                    '"remote_port":%d,"session_id":"%s","line_num":%d,"ps":"%s","session_start":"%s UTC",'
                    '"vxid":"%d/%d","txid":%d,"error_severity":"LOG","message":%s,"application_name":"%s",'
                    '"backend_type":"client backend","query_id":0}'
                    % (ts, FILLER_USER, FILLER_DB, fb.pid, FILLER_HOST, fb.port, fb.sid, fb.line_num,
                       tag, fb.start, fb.backend_id, fb.lxid, txid, json_str(msg), FILLER_APP))

    def conn_texts(self, kind, ms, pid, start_sec, line_num, host, port, user, db, app,
                   session_ms=None, backend_id=0):
        """A synthesized connection record (received, authorized, disconnection)."""
        ts = fmt_ms(ms)
        sid = session_id(start_sec, pid)
        start = fmt_sec(start_sec)
        conn_from = host if port is None else "%s:%s" % (host, port)
        remote = '"remote_host":%s,' % json_str(host) + ('' if port is None else '"remote_port":%s,' % port)
        if kind == "received":
            msg = "connection received: host=%s" % host + ("" if port is None else " port=%s" % port)
            return {
                "stderr": "%s UTC [%d] LOG:  %s" % (ts, pid, msg),
                "csv": '%s UTC,,,%d,%s,%s,%d,"",%s UTC,,0,LOG,00000,%s,,,,,,,,,"","not initialized",,0'
                       % (ts, pid, csv_lit(conn_from), sid, line_num, start, csv_lit(msg)),
                "json": '{"timestamp":"%s UTC","pid":%d,%s"session_id":"%s","line_num":%d,"ps":"",'
                        '"session_start":"%s UTC","txid":0,"error_severity":"LOG","message":%s,'
                        '"backend_type":"not initialized","query_id":0}'
                        % (ts, pid, remote, sid, line_num, start, json_str(msg)),
            }
        if kind == "authorized":
            msg = "connection authorized: user=%s database=%s application_name=%s" % (user, db, app)
            return {
                "stderr": "%s UTC [%d] LOG:  %s" % (ts, pid, msg),
                "csv": '%s UTC,%s,%s,%d,%s,%s,%d,"authentication",%s UTC,%d/1,0,LOG,00000,%s,,,,,,,,,"","client backend",,0'
                       % (ts, csv_lit(user), csv_lit(db), pid, csv_lit(conn_from), sid, line_num, start,
                          backend_id, csv_lit(msg)),
                "json": '{"timestamp":"%s UTC","user":%s,"dbname":%s,"pid":%d,%s"session_id":"%s","line_num":%d,'
                        '"ps":"authentication","session_start":"%s UTC","vxid":"%d/1","txid":0,'
                        '"error_severity":"LOG","message":%s,"backend_type":"client backend","query_id":0}'
                        % (ts, json_str(user), json_str(db), pid, remote, sid, line_num, start,
                           backend_id, json_str(msg)),
            }
        # disconnection
        msg = ("disconnection: session time: %s user=%s database=%s host=%s"
               % (fmt_interval(session_ms), user, db, host)) + ("" if port is None else " port=%s" % port)
        return {
            "stderr": "%s UTC [%d] LOG:  %s" % (ts, pid, msg),
            "csv": '%s UTC,%s,%s,%d,%s,%s,%d,"idle",%s UTC,,0,LOG,00000,%s,,,,,,,,,%s,"client backend",,0'
                   % (ts, csv_lit(user), csv_lit(db), pid, csv_lit(conn_from), sid, line_num, start,
                      csv_lit(msg), csv_lit(app or "")),
            "json": '{"timestamp":"%s UTC","user":%s,"dbname":%s,"pid":%d,%s"session_id":"%s","line_num":%d,'
                    '"ps":"idle","session_start":"%s UTC","txid":0,"error_severity":"LOG","message":%s,'
                    '%s"backend_type":"client backend","query_id":0}'
                    % (ts, json_str(user), json_str(db), pid, remote, sid, line_num, start, json_str(msg),
                       '' if app is None else '"application_name":%s,' % json_str(app)),
        }

    def emit_conn(self, kind, ms, **kw):
        texts = self.conn_texts(kind, ms, **kw)
        self.emit_synth({f: texts[f] for f in self.formats})
        self.event_records += 1

    # -- the run

    def run(self):
        args = self.args
        self.txid_counter = 1000
        # the server start, once
        for r in self.server:
            for fmt, out in self.outs.items():
                out.add(r.raw[fmt])
            self.event_records += 1
        t0 = (self.server[-1].ms if self.server else self.first_ms - 100) + 1
        # the statement-heavy backends connect right after it
        for i in range(args.backends):
            pid = self.server[-1].pid + 100 + i if self.server else 900 + i
            self.busy.add(pid)
            fb = Filler(pid, 40000 + 7 * i, t0 + 2 * i, 200 + i)
            fb.txid_now = 0
            self.fillers.append(fb)
            kw = dict(pid=pid, start_sec=fb.start_ms // 1000, host=FILLER_HOST, port=fb.port,
                      user=FILLER_USER, db=FILLER_DB, app=FILLER_APP, backend_id=fb.backend_id)
            self.emit_conn("received", fb.start_ms, line_num=1, **kw)
            fb.line_num = 2
            self.emit_conn("authorized", fb.start_ms + 1, line_num=2, **kw)
            self.counts["connects"] += 1
            self.counts["authorized_lines"] += 1
            self.track(fb.start_ms + 1, 1)
        self.filler_clock = float(t0 + 2 * args.backends)

        # statement lines per source line, for the wanted fraction
        src_lines = sum(len([p for p in r.tpl["stderr"] if p is PID_SLOT]) for s in self.sessions
                        for r in s.records)
        per_round = src_lines * args.filler / (1.0 - args.filler)
        self.filler_gap = self.round_ms / per_round

        target = args.size_mb * 1024 * 1024 if args.rounds is None else None
        leftovers = []          # (new pid, Session, start ms, start sec) open after the last round
        rnd = 0
        while True:
            leftovers = self.one_round(rnd, leftovers)
            rnd += 1
            first = self.outs[self.formats[0]]
            first.flush()
            if args.rounds is not None:
                if rnd >= args.rounds:
                    break
            elif first.bytes >= target:
                break
            if not args.quiet:
                print("gen-log: round %d, %.0f MB" % (rnd, first.bytes / 1048576.0),
                      file=sys.stderr, end="\r")
        # the statement backends leave at the end
        end_ms = self.last_ms + 5
        self.filler_until(end_ms)
        for i, fb in enumerate(self.fillers):
            ms = end_ms + 3 * i
            fb.line_num += 1
            self.emit_conn("disconnection", ms, pid=fb.pid, start_sec=fb.start_ms // 1000, line_num=fb.line_num,
                           host=FILLER_HOST, port=fb.port, user=FILLER_USER, db=FILLER_DB,
                           app=FILLER_APP, session_ms=ms - fb.start_ms)
            self.counts["disconnects"] += 1
            self.track(ms, -1)
            self.last_ms = ms
        for out in self.outs.values():
            out.close()
        if not args.quiet:
            print(file=sys.stderr)
        self.open_at_end = leftovers
        return rnd

    def one_round(self, rnd, leftovers):
        rng = self.rng
        offset = rnd * self.round_ms
        items = []      # (ms, seq, kind, payload)
        seq = 0
        pidmap = {}
        starts = {}
        last_orig = None
        for s in self.sessions:
            gap = 1 if last_orig is None else s.pid - last_orig
            last_orig = s.pid
            new = self.alloc_pid(gap)
            pidmap[s.pid] = new
            starts[s.pid] = (s.start_ms + offset, s.start_sec + offset // 1000)
            if s.outcome == "open":
                self.busy.add(new)
            for r in s.records:
                items.append((r.ms + offset, seq, "rec", (r, s)))
                seq += 1
        # close the previous round's open sessions early in this round
        for pid, s, start_ms, start_sec in leftovers:
            ms = offset + self.first_ms + int(self.span * (0.02 + 0.5 * rng.random()))
            items.append((ms, seq, "close", (pid, s, start_ms, start_sec)))
            seq += 1
        items.sort(key=lambda it: (it[0], it[1]))

        still_open = []
        for ms, _, kind, payload in items:
            self.filler_until(ms)
            if kind == "close":
                pid, s, start_ms, start_sec = payload
                self.emit_conn("disconnection", ms, pid=pid, start_sec=start_sec, line_num=s.line_num + 1,
                               host=s.host, port=s.port, user=s.user, db=s.db, app=s.app,
                               session_ms=ms - start_ms)
                self.busy.discard(pid)
                self.counts["disconnects"] += 1
                self.track(ms, -1)
                continue
            r, s = payload
            pid = pidmap[s.pid]
            self.emit_record(r, ms, pid, starts[s.pid][1])
            self.event_records += 1
            msg = r.message
            if r.severity == "LOG" and msg.startswith("connection authorized:"):
                self.counts["authorized_lines"] += 1
                if s.outcome in ("closed", "open"):
                    self.counts["connects"] += 1
                    self.track(ms, 1)
            elif r.severity == "LOG" and msg.startswith("disconnection:"):
                if s.outcome == "closed":
                    self.counts["disconnects"] += 1
                    self.track(ms, -1)
                elif s.outcome == "unmatched":
                    self.counts["unmatched"] += 1
            if r is s.records[-1]:
                if s.outcome == "failed":
                    self.counts["failed"] += 1
                    fr = self.counts["failed_by_reason"]
                    fr[s.reason] = fr.get(s.reason, 0) + 1
                elif s.outcome == "abandoned":
                    self.counts["abandoned"] += 1
                elif s.outcome == "open":
                    still_open.append((pid, s) + starts[s.pid])
            self.last_ms = ms
        return still_open

    def truth(self, rounds):
        c = self.counts
        by = {"by_application": {}, "by_user": {}, "by_database": {}, "by_host": {}}
        for _, s, _, _ in self.open_at_end:
            for key, val in (("by_application", s.app), ("by_user", s.user),
                             ("by_database", s.db), ("by_host", s.host)):
                by[key][val] = by[key].get(val, 0) + 1
        outs = {f: {"path": os.path.basename(o.name), "bytes": o.bytes, "lines": o.lines}
                for f, o in self.outs.items()}
        records = self.stmt_records + self.event_records
        return {
            "generator": "bench/gen-log.py",
            "source": os.path.relpath(self.args.source, os.path.join(HERE, "..")),
            "seed": self.args.seed,
            "rounds": rounds,
            "round_seconds": self.round_ms / 1000.0,
            "statement_backends": len(self.fillers),
            "files": outs,
            "records": records,
            "statement_records": self.stmt_records,
            "statement_fraction": round(self.stmt_records / float(records), 4),
            "first": fmt_ms(self.server[0].ms if self.server else self.first_ms) + " UTC",
            "last": fmt_ms(self.last_ms) + " UTC",
            "connects": c["connects"],
            "disconnects": c["disconnects"],
            "active": len(self.open_at_end),
            "failed": c["failed"],
            "failed_by_reason": dict(sorted(c["failed_by_reason"].items())),
            "abandoned": c["abandoned"],
            "unmatched_disconnects": c["unmatched"],
            "authorized_lines": c["authorized_lines"],
            "peak": {"active": self.peak[0], "at": fmt_ms(self.peak[1]) + " UTC"},
            "open_at_end": {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], str(kv[0]))))
                            for k, v in by.items()},
            "notes": [
                "connects: sessions authorized and not refused (a FATAL right after 'connection "
                "authorized' makes a failed attempt, as in the source's truth.json)",
                "disconnects: 'disconnection' lines of established sessions, including the "
                "generated ones that close a round's leftover sessions in the next round",
                "active: sessions open at the end (those the last round leaves open)",
                "authorized_lines: what grep -c 'connection authorized' counts",
            ],
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=40.0,
                    help="stop after the round in which the first format reaches this size (default 40)")
    ap.add_argument("--rounds", type=int, default=None,
                    help="replay the source exactly this many times (overrides --size-mb)")
    ap.add_argument("--format", dest="formats", default="stderr",
                    help="comma-separated: stderr, csv, json (default stderr); the first one "
                         "is the one --size-mb measures")
    ap.add_argument("--out", "-o", required=True,
                    help="output prefix: writes PREFIX.log / .csv / .json and PREFIX.truth.json")
    ap.add_argument("--source", default=DEFAULT_SOURCE,
                    help="source logs without extension (default: the default-prefix fixture)")
    ap.add_argument("--filler", type=float, default=0.9,
                    help="fraction of lines that are statement lines (default 0.9)")
    ap.add_argument("--backends", type=int, default=4,
                    help="statement-heavy long-lived backends (default 4)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--quiet", "-q", action="store_true")
    args = ap.parse_args()
    fmts = [f.strip() for f in args.formats.split(",") if f.strip()]
    fmts = ["stderr" if f in ("log", "stderr") else "csv" if f in ("csv", "csvlog")
            else "json" if f in ("json", "jsonlog") else f for f in fmts]
    for f in fmts:
        if f not in ("stderr", "csv", "json"):
            ap.error("unknown format %r" % f)
    if not 0.0 <= args.filler < 1.0:
        ap.error("--filler must be in [0, 1)")
    if args.backends < 1:
        ap.error("--backends must be at least 1")
    args.formats = fmts
    d = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(d, exist_ok=True)
    g = Generator(args)
    rounds = g.run()
    truth = g.truth(rounds)
    with open(args.out + ".truth.json", "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
