# SPDX-License-Identifier: PostgreSQL
"""The metrics of a replay against its connections --json summary, number
for number, and the OpenMetrics expositions through a strict parser.

  check.py equal NAME SUMMARY.json EXPOSITION [NAME SUMMARY.json EXPOSITION]...
  check.py openmetrics FILE...

Prints one "ok   ..." or "FAIL ..." line per check (tests/metrics/run.sh
folds them into its tally).  Runs under Debian's python3, whose
python3-prometheus-client parses both text formats independently of pgtail.
"""
import json
import sys
from datetime import datetime

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om
from prometheus_client.parser import text_string_to_metric_families as parse_text


def report(ok, name, detail=""):
    print(("ok   " if ok else "FAIL ") + name)
    if not ok and detail:
        print("     " + detail)


def epoch(iso):
    return None if iso is None else datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def samples(path):
    """{sample name: [(labels, value)]} of a classic exposition."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for fam in parse_text(f.read()):
            for s in fam.samples:
                out.setdefault(s.name, []).append((s.labels, s.value))
    return out


def one(sm, name):
    v = sm.get(name, [])
    return v[0][1] if len(v) == 1 else None


def by_label(sm, name, label):
    acc = {}
    for labels, v in sm.get(name, []):
        acc[labels[label]] = acc.get(labels[label], 0) + v
    return acc


def equal(name, summary_path, expo_path):
    with open(summary_path, encoding="utf-8") as f:
        s = json.load(f)
    sm = samples(expo_path)
    checks = []

    def eq(what, want, got):
        checks.append((what, want == got, "json %r, metrics %r" % (want, got)))

    eq("open sessions", s["active"], sum(v for _, v in sm.get("pgtail_sessions_open", [])))
    for key, label in (("by_database", "datname"), ("by_user", "usename"),
                       ("by_application", "application_name"), ("by_host", "client_addr")):
        eq("open sessions by " + label, s[key],
           {k: int(v) for k, v in by_label(sm, "pgtail_sessions_open", label).items()})
    scalars = (("connects", "pgtail_connections_total"),
               ("disconnects", "pgtail_disconnections_total"),
               ("replication_active", "pgtail_replication_sessions_open"),
               ("replication_connects", "pgtail_replication_connections_total"),
               ("unmatched_disconnects", "pgtail_disconnections_unmatched_total"),
               ("abandoned", "pgtail_connections_abandoned_total"),
               ("ended_by_reset", "pgtail_sessions_ended_by_reset_total"),
               ("active_unknown", "pgtail_sessions_maybe_open"),
               ("lines", "pgtail_log_lines_total"),
               ("skipped", "pgtail_log_records_skipped_total"))
    for key, metric in scalars:
        eq(key, s[key], one(sm, metric))
    eq("peak", s["peak"]["active"], one(sm, "pgtail_sessions_open_peak"))
    eq("peak time", epoch(s["peak"]["at"]), one(sm, "pgtail_sessions_open_peak_timestamp_seconds"))
    eq("last line", epoch(s["last_line"]), one(sm, "pgtail_last_event_timestamp_seconds"))
    eq("exact", 1 if s["complete"] else 0, one(sm, "pgtail_sessions_open_exact"))
    failures = by_label(sm, "pgtail_connection_failures_total", "reason")
    eq("failed", s["failed"], sum(failures.values()))
    eq("failed by reason", s["failed_by_reason"], {k: v for k, v in failures.items() if v})
    ended = by_label(sm, "pgtail_sessions_ended_by_server_total", "reason")
    eq("ended by server", s["ended_by_server"], {k: v for k, v in ended.items() if v})
    buckets = sorted(((float(l["le"]), v) for l, v in sm.get("pgtail_session_duration_seconds_bucket", [])))
    cum = [v for _, v in buckets]
    eq("duration histogram counts the disconnects", s["disconnects"],
       one(sm, "pgtail_session_duration_seconds_count"))
    # A log of several servers: each one's series, as its summary's
    # by_server; none for a log of one server.
    origins = {b["server"]: b for b in s.get("by_server", [])}
    for key, metric in (("active", "pgtail_origin_sessions_open"),
                        ("connects", "pgtail_origin_connections_total"),
                        ("failed", "pgtail_origin_connection_failures_total")):
        eq("each server's " + key, {k: v[key] for k, v in origins.items()},
           {k: int(v) for k, v in by_label(sm, metric, "origin").items()})
    eq("duration buckets are cumulative up to +Inf", True,
       bool(cum) and cum == sorted(cum) and buckets[-1][0] == float("inf") and
       cum[-1] == one(sm, "pgtail_session_duration_seconds_count"))
    bad = [(w, d) for w, ok, d in checks if not ok]
    report(not bad, "%s: %d figures of the metrics equal the summary" % (name, len(checks)),
           "; ".join("%s: %s" % b for b in bad))


def openmetrics(path):
    try:
        with open(path, encoding="utf-8") as f:
            fams = list(parse_om(f.read()))
        # 18, and 3 more for a log of several servers.
        want = 21 if any(f.name.startswith("pgtail_origin_") for f in fams) else 18
        report(len(fams) == want, "%s: a valid OpenMetrics exposition of %d families" % (path, want),
               "%d families" % len(fams))
    except Exception as e:  # the parser's complaint is the detail
        report(False, "%s: a valid OpenMetrics exposition" % path, repr(e))


def main(argv):
    if argv[1] == "equal":
        a = argv[2:]
        for i in range(0, len(a), 3):
            equal(a[i], a[i + 1], a[i + 2])
    elif argv[1] == "openmetrics":
        for p in argv[2:]:
            openmetrics(p)


main(sys.argv)
