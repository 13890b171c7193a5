#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# End to end: a private PostgreSQL server, 'pgtail serve' on its log
# directory, and a real Prometheus (its own config and data directory here,
# scraping every second).  Two applications hold sessions, logins to a
# database that does not exist are refused, the log rotates
# (pg_rotate_logfile) and the server restarts (pg_ctl restart -m fast);
# then, through Prometheus's HTTP API,
#   sum by (application_name) (pgtail_sessions_open)
# must equal pg_stat_activity's client backends by application_name, the
# failed attempts counter the attempts made, and the connects counter the
# sessions opened.  promtool check metrics is run on what serve returns.
#
#   PGTAIL=build/pgtail tests/live/serve.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh
. tests/live/lib-live.sh

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
LABEL=S
SERVE_PID=
PROM_PID=

cleanup() {
	[ -n "$SERVE_PID" ] && kill -KILL "$SERVE_PID" 2>/dev/null
	[ -n "$PROM_PID" ] && kill -KILL "$PROM_PID" 2>/dev/null
	live_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$PGTAIL" ] || bail "pgtail binary at $PGTAIL"
for tool in prometheus promtool curl python3; do
	command -v "$tool" >/dev/null || bail "$tool is installed" "scripts/install-deps.sh test"
done
live_find_pgbin || bail "PostgreSQL server binaries are installed"
live_make_tmp || bail "temporary directory for the cluster"
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGAPPNAME
export PGSSLMODE=disable PGGSSENCMODE=disable PGCONNECT_TIMEOUT=10 LC_ALL=C

cluster_initdb || bail "initdb" "$(tail -20 "$T/initdb.log")"
cluster_configure "$T/log-S" '%m [%p] ' stderr
cluster_start || bail "S: server starts" "$(tail -20 "$T/pg_ctl.log" "$T/pg_ctl.out")"
pass "S: server starts on port $PORT"
q postgres postgres "$T" "" "create role app_user login" "create database production" ||
	bail "S: setup" "$(cat "$T/q.err")"

# --- pgtail serve and Prometheus, each on a free port ----------------------------------

# free_port: a port nothing listens on, in $FREE (the server keeps $PORT).
free_port() {
	local p i
	for i in $(seq 1 100); do
		p=$((20000 + RANDOM % 30000))
		[ "$p" = "$PORT" ] && continue
		port_busy "$p" || { FREE=$p; return 0; }
	done
	return 1
}

# up_or_gone PID FILE TEXT: FILE says TEXT, or the process has ended.
up_or_gone() { grep -q -- "$3" "$2" 2>/dev/null || ! kill -0 "$1" 2>/dev/null; }

# start_on_free_port START LOG READY BUSY: "START PORT" starts a server in
# the background (its PID in STARTED, its output in LOG); wait until LOG
# says READY.  A port found free can be taken before it is bound: when LOG
# says BUSY, try another.  The port is left in FREE; 1 when no start.
start_on_free_port() {
	local try
	for try in 1 2 3 4 5; do
		free_port || return 1
		"$1" "$FREE"
		retry_until 60 up_or_gone "$STARTED" "$2" "$3"
		grep -q -- "$3" "$2" && return 0
		wait "$STARTED" 2>/dev/null
		grep -q -- "$4" "$2" || return 1
	done
	return 1
}

launch_serve() {
	"$PGTAIL" serve --listen="127.0.0.1:$1" "$LOGDIR" >"$T/serve.log" 2>&1 &
	STARTED=$!
}
start_on_free_port launch_serve "$T/serve.log" '^Serving the metrics' 'port is in use' ||
	bail "S: pgtail serve starts" "$(cat "$T/serve.log")"
SERVE_PID=$STARTED SPORT=$FREE
pass "S: pgtail serve follows $LOGDIR on port $SPORT"

mkdir -p "$T/prom/data"
launch_prometheus() {
	cat >"$T/prom/prometheus.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	  evaluation_interval: 1s
	scrape_configs:
	  - job_name: pgtail
	    static_configs:
	      - targets: ['127.0.0.1:$SPORT']
	EOF
	prometheus --config.file="$T/prom/prometheus.yml" --storage.tsdb.path="$T/prom/data" \
		--web.listen-address="127.0.0.1:$1" >"$T/prom/log" 2>&1 &
	STARTED=$!
}
start_on_free_port launch_prometheus "$T/prom/log" 'Server is ready to receive web requests' \
	'address already in use' || bail "S: Prometheus starts" "$(tail -20 "$T/prom/log")"
PROM_PID=$STARTED PPORT=$FREE
pass "S: Prometheus $(prometheus --version 2>&1 | awk 'NR == 1 {print $3}') scrapes it every second"

# promql QUERY: the instant vector, as {"label value": "value"} JSON keyed by
# the one label the query keeps (or "" when it keeps none).
promql() {
	curl -s --max-time 10 --data-urlencode "query=$1" \
		"http://127.0.0.1:$PPORT/api/v1/query" >"$T/prom/answer.json" || return 1
	python3 - "$T/prom/answer.json" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	if d.get("status") != "success":
	    sys.exit(1)
	out = {}
	for r in d["data"]["result"]:
	    labels = {k: v for k, v in r["metric"].items() if k != "__name__"}
	    key = "" if not labels else list(labels.values())[0]
	    out[key] = str(int(float(r["value"][1])))
	print(json.dumps(out, sort_keys=True))
	EOF
}

# The server's own count of client sessions by application, as JSON.
APPS_SQL="select coalesce(json_object_agg(app, n::text), '{}') from (
  select coalesce(nullif(application_name, ''), 'unknown') as app, count(*) as n
  from pg_stat_activity
  where backend_type = 'client backend' and pid <> pg_backend_pid()
  group by 1) s"
server_apps() {
	q postgres postgres "$T" "" "$APPS_SQL" || return 1
	python3 -c 'import json, sys; print(json.dumps(json.loads(sys.stdin.read()), sort_keys=True))' \
		<"$T/q.out"
}

# prom_equals NAME QUERY EXPECTED: wait until Prometheus answers QUERY with
# EXPECTED (a scrape comes every second, after the follower's render).
prom_is() { [ "$(promql "$1")" = "$2" ]; }
prom_equals() {
	if retry_until 60 prom_is "$2" "$3"; then
		pass "$1: $2 = $3"
	else
		fail "$1" "query:    $2
expected: $3
actual:   $(promql "$2")"
	fi
}

up_one() { [ "$(promql 'sum(up{job="pgtail"})')" = '{"": "1"}' ]; }

# --- sessions, refusals, a rotation, a restart ----------------------------------------

open_session b1 psql app_user production "$TCP" billing
open_session b2 psql app_user production "$T" billing
open_session b3 psql app_user production "$TCP" billing
open_session r1 psql postgres postgres "$T" reports
open_session r2 psql postgres postgres "$TCP" reports
attempt database_does_not_exist 'database "nosuchdb" does not exist' app_user nosuchdb "$TCP" billing
attempt database_does_not_exist 'database "nosuchdb" does not exist' postgres nosuchdb "$T" reports
rotate_log
close_session b1
open_session r3 psql postgres production "$TCP" reports
attempt database_does_not_exist 'database "gone" does not exist' app_user gone "$TCP" billing

if cluster_restart_fast; then pass "S: fast restart"; else
	bail "S: fast restart" "$(cat "$T/pg_ctl.out")"; fi
sessions_ended_by_shutdown

open_session b4 psql app_user production "$TCP" billing
open_session b5 psql app_user production "$T" billing
open_session r4 psql postgres postgres "$TCP" reports
attempt database_does_not_exist 'database "nosuchdb" does not exist' app_user nosuchdb "$T" billing

# Everything is in the log once the last one-shot session's disconnection is.
server_apps >"$T/apps.json" || fail "S: pg_stat_activity by application" "$(cat "$T/q.err")"
expected=$(cat "$T/apps.json")
retry_until 20 log_count_is 'disconnection: session time' "$DISCONNECTS" ||
	fail "S: the log caught up" "expected $DISCONNECTS disconnections, found $(log_count 'disconnection: session time')"

if retry_until 30 up_one; then pass "S: Prometheus scrapes pgtail serve (up = 1)"; else
	fail "S: Prometheus scrapes pgtail serve (up = 1)" "$(promql 'up')"; fi
failed=0
for k in "${!FAILED[@]}"; do failed=$((failed + FAILED[$k])); done
prom_equals "S: open sessions by application equal pg_stat_activity" \
	'sum by (application_name) (pgtail_sessions_open)' "$expected"
prom_equals "S: failed attempts equal the attempts made ($failed)" \
	'sum(pgtail_connection_failures_total)' "{\"\": \"$failed\"}"
prom_equals "S: connects equal the sessions opened ($CONNECTS)" \
	'sum(pgtail_connections_total)' "{\"\": \"$CONNECTS\"}"
prom_equals "S: the open count is exact" 'sum(pgtail_sessions_open_exact)' '{"": "1"}'
prom_is 'sum by (application_name) (pgtail_sessions_open)' "$expected" &&
	printf 'ok   S: PromQL %s next to pg_stat_activity %s\n' \
		"$(promql 'sum by (application_name) (pgtail_sessions_open)')" "$expected" &&
	TESTS_PASSED=$((TESTS_PASSED + 1))

# Prometheus asks for OpenMetrics; its target must show no scrape error.
target_health() {
	curl -s --max-time 10 "http://127.0.0.1:$PPORT/api/v1/targets" |
		python3 -c 'import json, sys
t = json.load(sys.stdin)["data"]["activeTargets"][0]
print(t["health"], t["lastError"] or "no error")'
}
check_eq "S: Prometheus parsed the scrape without error" "up no error" "$(target_health)"

curl -s --max-time 10 "http://127.0.0.1:$SPORT/metrics" >"$T/metrics.prom"
if promtool check metrics <"$T/metrics.prom" >"$T/promtool.out" 2>&1; then
	pass "S: promtool check metrics on what serve returns"
else
	fail "S: promtool check metrics on what serve returns" "$(head -20 "$T/promtool.out")"
fi

kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
check_eq "S: SIGTERM stops pgtail serve with status 0" 0 "$?"
SERVE_PID=
test_summary
