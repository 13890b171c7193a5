#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Live: log_disconnections and log_connections turned off and on again by a
# reload (ALTER SYSTEM ...; SELECT pg_reload_conf()), on a private server
# logging to one stderr file (logging_collector off, as with Debian's
# pg_ctlcluster).  Both settings are PGC_SU_BACKEND: a backend keeps the
# value it was forked with.
#
#   D: log_disconnections off, then on.  Sessions started while it was off
#      never log their end, not even after it is on again.  pgtail's exact
#      count must equal pg_stat_activity's sessions started outside the gap
#      (total and by application), and active_unknown must cover those
#      started inside it that are still open.
#   C: log_connections off, then on.  Sessions started while it was off are
#      never seen opening; pgtail's count must equal pg_stat_activity's
#      sessions started outside the gap and say it is a lower bound.
#
#   PGTAIL=build/pgtail tests/live/gap.sh
#   GAP_FIXTURES=DIR also writes each scenario's log and the server's own
#   view at its end to DIR (how tests/fixtures/synthetic/*-gap.* were made).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh
. tests/live/lib-live.sh

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
LABEL=gap

trap live_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$PGTAIL" ] || bail "pgtail binary at $PGTAIL" "set PGTAIL or build it first"
command -v python3 >/dev/null || bail "python3 is installed"
live_find_pgbin || bail "PostgreSQL server binaries are installed"
live_make_tmp || bail "temporary directory for the cluster"
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE \
	PGSERVICEFILE PGOPTIONS PGAPPNAME PGSSLMODE PGREQUIRESSL PGTARGETSESSIONATTRS
export PGSSLMODE=disable PGGSSENCMODE=disable PGCONNECT_TIMEOUT=10 LC_ALL=C

cluster_initdb || bail "initdb" "$(tail -20 "$T/initdb.log")"
# One stderr file written by every process (pg_ctl -l), Debian's prefix.
LOGDIR=$T/logs
mkdir -p "$LOGDIR" && chown postgres: "$LOGDIR" 2>/dev/null
printf "logging_collector = off\nlog_line_prefix = '%%m [%%p] %%q%%u@%%d '\n" >"$T/live.conf.new"
[ "$(id -u)" -eq 0 ] && chown postgres: "$T/live.conf.new"
mv "$T/live.conf.new" "$DATA/live.conf"
ln -s "$T/pg_ctl.log" "$LOGDIR/server.log"

# Disconnection lines the log must hold once it has caught up.
LOGGED=0

# setting NAME on|off: ALTER SYSTEM and a reload, from a one-shot session,
# then wait for the postmaster's line saying so.
setting() {
	local before
	before=$(log_count "parameter \"$1\" changed to \"$2\"")
	q postgres postgres "$T" "" "alter system set $1 = $2" "select pg_reload_conf()" ||
		fail "$LABEL: alter system set $1 = $2" "$(cat "$T/q.err")"
	if retry_until 20 log_count_at_least "parameter \"$1\" changed to \"$2\"" $((before + 1)); then
		pass "$LABEL: the log says $1 changed to $2"
	else
		fail "$LABEL: the log says $1 changed to $2" "$(tail -5 "$LOGDIR/server.log")"
	fi
}

# Let the clock pass to the next second, so that the periods read clearly.
next_second() {
	local s
	s=$(date +%s)
	second_after() { [ "$(date +%s)" -gt "$1" ]; }
	retry_until 3 second_after "$s"
}

# The server's view: every client backend but the query's own, with its
# application, and whether it is one of the PIDs given (the gap's).
state() {
	local pids=${1:-0}
	q postgres postgres "$T" pgtail-gap-check "
with a as (
  select pid, coalesce(nullif(application_name, ''), 'unknown') as app,
         pid in ($pids) as gap
  from pg_stat_activity
  where backend_type = 'client backend' and pid <> pg_backend_pid()
)
select json_build_object(
  'client_backends', (select count(*) from a),
  'started_in_gap', (select count(*) from a where gap),
  'by_application_outside_gap', (select coalesce(json_object_agg(app, n), '{}') from
      (select app, count(*) as n from a where not gap group by app) s))"
}

log_caught_up() { log_count_is 'disconnection: session time' "$LOGGED"; }

# check SCENARIO STATE.json PGTAIL.json: the comparisons of both scenarios.
check() {
	python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
label, state, out = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
def rec(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + label + ": " + name)
    if not ok and detail:
        print("     " + detail)
exact = state["client_backends"] - state["started_in_gap"]
rec("active equals the sessions started outside the gap (%d)" % exact,
    out["active"] == exact, "pgtail: %s" % out["active"])
rec("by_application equals pg_stat_activity's outside the gap",
    out["by_application"] == state["by_application_outside_gap"],
    "pgtail %s, server %s" % (out["by_application"], state["by_application_outside_gap"]))
kinds = {c["kind"]: c for c in out["caveats"]}
if label == "D":
    rec("active_unknown (%s) covers the gap's sessions still open (%d)"
        % (out["active_unknown"], state["started_in_gap"]),
        out["active_unknown"] >= state["started_in_gap"] > 0)
    c = kinds.get("log_disconnections_gap")
    rec("a log_disconnections_gap caveat names from and to",
        c is not None and c["from"] is not None and c["to"] is not None, str(c))
    rec("the count is exact", out["complete"] is True)
    rec("no session is ended by a reset", out["ended_by_reset"] == 0)
else:
    rec("the count is a lower bound", out["complete"] is False)
    c = kinds.get("log_connections_gap")
    rec("a log_connections_gap caveat names from and to",
        c is not None and c["from"] is not None and c["to"] is not None, str(c))
    rec("active_unknown is 0", out["active_unknown"] == 0)
EOF
}

# finish SCENARIO GAP_PIDS NAME: the server's view, then pgtail's, compared;
# the log and the view kept when GAP_FIXTURES is set.
finish() {
	local f=$T/out/$1
	state "$2" || fail "$1: pg_stat_activity query" "$(cat "$T/q.err")"
	LOGGED=$((LOGGED + 1))
	cp "$T/q.out" "$f.state.json"
	retry_until 20 log_caught_up ||
		fail "$1: the log caught up" "expected $LOGGED disconnection lines, found $(log_count 'disconnection: session time')"
	cp "$LOGDIR/server.log" "$f.log"
	if "$PGTAIL" connections --json "$f.log" >"$f.json" 2>"$f.err"; then
		pass "$1: pgtail connections --json exits 0"
	else
		fail "$1: pgtail connections --json exits 0" "$(cat "$f.err")"
	fi
	local line name=
	while IFS= read -r line; do
		case $line in
		'ok   '*) pass "${line#ok   }" ;;
		'FAIL '*) name=${line#FAIL } ;;
		'     '*) fail "$name" "${line#     }"; name= ;;
		esac
		[ -n "$name" ] && [ "${line#FAIL }" = "$line" ] && { fail "$name"; name=; }
	done < <(check "$1" "$f.state.json" "$f.json"; echo)
	if [ -n "${GAP_FIXTURES:-}" ]; then
		# The socket directory is a temporary path: name it plainly.
		sed "s|$T|/tmp/pgtail-gap|g" "$f.log" >"$GAP_FIXTURES/$3.log"
		cp "$f.state.json" "$GAP_FIXTURES/$3.state.json"
	fi
}

cluster_start || bail "server starts" "$(tail -20 "$T/pg_ctl.log" "$T/pg_ctl.out")"
pass "server starts (PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), port $PORT)"
q postgres postgres "$T" "" "create role app_user login" "create database production" ||
	bail "roles and databases" "$(cat "$T/q.err")"
LOGGED=$((LOGGED + 1))

# --- D: log_disconnections off, then on -----------------------------------------

LABEL=D
open_session b1 psql app_user production "$TCP" web
open_session b2 psql app_user production "$T" web
open_session b3 psql app_user production "$TCP" worker
burst 3 app_user production report
LOGGED=$((LOGGED + 3))
next_second
setting log_disconnections off
LOGGED=$((LOGGED + 1)) # the session that turned it off was forked before
open_session g1 psql app_user production "$TCP" web
open_session g2 psql app_user production "$T" web
open_session g3 psql app_user production "$TCP" worker
open_session g4 psql app_user production "$T" worker
burst 4 app_user production report
close_session b1
LOGGED=$((LOGGED + 1)) # forked before: still logs its end
close_session g1
next_second
setting log_disconnections on # that session itself ends silently
open_session a1 psql app_user production "$TCP" web
open_session a2 psql app_user production "$T" worker
burst 2 app_user production report
LOGGED=$((LOGGED + 2))
close_session g2
close_session a1
LOGGED=$((LOGGED + 1))
if [ "$(log_count 'disconnection: session time')" -eq "$LOGGED" ]; then
	pass "D: no session started while log_disconnections was off logged its end"
else
	fail "D: no session started while log_disconnections was off logged its end" \
		"expected $LOGGED disconnection lines, found $(log_count 'disconnection: session time')"
fi
finish D "${SESS_BACKEND[g3]},${SESS_BACKEND[g4]}" log-disconnections-gap

# --- C: log_connections off, then on, on a fresh log --------------------------

LABEL=C
cluster_stop fast || bail "C: fast stop" "$(cat "$T/pg_ctl.out")"
sessions_ended_by_shutdown
mv "$T/pg_ctl.log" "$T/out/D.full.log"
LOGGED=0
cluster_start || bail "C: server starts" "$(tail -20 "$T/pg_ctl.log" "$T/pg_ctl.out")"
pass "C: server starts on a new log"
open_session c1 psql app_user production "$TCP" web
open_session c2 psql app_user production "$T" worker
burst 2 app_user production report
LOGGED=$((LOGGED + 2))
next_second
setting log_connections off
LOGGED=$((LOGGED + 1))
open_session u1 psql app_user production "$TCP" web
open_session u2 psql app_user production "$T" web
open_session u3 psql app_user production "$TCP" worker
burst 2 app_user production report
LOGGED=$((LOGGED + 2))
close_session u1
LOGGED=$((LOGGED + 1))
next_second
setting log_connections on
LOGGED=$((LOGGED + 1))
if [ "$(log_count 'connection authorized:')" -eq 5 ]; then
	pass "C: no session started while log_connections was off logged its authorization"
else
	fail "C: no session started while log_connections was off logged its authorization" \
		"expected 5 authorized lines, found $(log_count 'connection authorized:')"
fi
open_session d1 psql app_user production "$TCP" worker
burst 1 app_user production report
LOGGED=$((LOGGED + 1))
close_session c1
LOGGED=$((LOGGED + 1))
finish C "${SESS_BACKEND[u2]},${SESS_BACKEND[u3]}" log-connections-gap

test_summary
