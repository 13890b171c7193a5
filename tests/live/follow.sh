#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Live following: pgtail follows a private PostgreSQL server's log -- the
# shell (commands from a pipe) and a one-shot "connections --watch --json" --
# while clients connect and disconnect, pg_rotate_logfile() is called again
# and again, and the server restarts.  At the end the shell's live model
# must equal pg_stat_activity (total and every breakdown), and the watch
# stream must have shown one connect for every session the test opened.
#
#   PGTAIL=build/pgtail tests/live/follow.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh
. tests/live/lib-live.sh

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
LABEL=F
REPL_PID=
WATCH_PID=

cleanup() {
	[ -n "$REPL_PID" ] && kill "$REPL_PID" 2>/dev/null
	[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
	[ -n "${CAT_PID:-}" ] && kill "$CAT_PID" 2>/dev/null
	[ -n "${HOLD_PID:-}" ] && kill "$HOLD_PID" 2>/dev/null
	live_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$PGTAIL" ] || bail "pgtail binary at $PGTAIL"
live_find_pgbin || bail "PostgreSQL server binaries are installed"
live_make_tmp || bail "temporary directory for the cluster"
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGAPPNAME
export PGSSLMODE=disable PGGSSENCMODE=disable PGCONNECT_TIMEOUT=10 LC_ALL=C

cluster_initdb || bail "initdb" "$(tail -20 "$T/initdb.log")"
cluster_configure "$T/log-F" '%m [%p] ' stderr
LOGEXT=
cluster_start || bail "F: server starts" "$(tail -20 "$T/pg_ctl.log" "$T/pg_ctl.out")"
pass "F: server starts on port $PORT"
q postgres postgres "$T" "" "create role app_user login" "create database production" \
	"create database analytics" || bail "F: setup" "$(cat "$T/q.err")"

# The shell, reading commands from a pipe; a held writer keeps it open.
mkfifo "$T/cmd"
"$PGTAIL" <"$T/cmd" >>"$T/repl.out" 2>"$T/repl.err" &
REPL_PID=$!
sleep 600 >"$T/cmd" &
HOLD_PID=$!
cmd() { printf '%s\n' "$*" >"$T/cmd"; }
cmd "tail $LOGDIR"
repl_follows() { grep -q "^Following" "$T/repl.out"; }
if retry_until 20 repl_follows; then pass "F: the shell follows the log directory"; else
	bail "F: the shell follows the log directory" "$(cat "$T/repl.out" "$T/repl.err")"; fi

# The raw bytes the follower delivers, to compare with the files at the end.
FOLLOW_CAT=$(dirname "$PGTAIL")/tests/follow-cat
if [ -x "$FOLLOW_CAT" ]; then
	"$FOLLOW_CAT" --dir --from 0 "$LOGDIR" >"$T/raw.out" 2>"$T/raw.err" &
	CAT_PID=$!
fi

# And a one-shot watch of everything, as JSON lines.  It prints only what
# is written after it has read to the end of the log, and says nothing
# until then: on a loaded machine a session opened at once can come before
# that point, and the count below ends one short.  So open probe sessions
# until the watch shows one, and count from there.
"$PGTAIL" connections --watch --json "$LOGDIR" >"$T/watch.json" 2>"$T/watch.err" &
WATCH_PID=$!
watch_connects() { grep -c '"event":"connect"' "$T/watch.json" 2>/dev/null; }
watch_shows() { grep -q -F "\"application\":\"$1\"" "$T/watch.json" 2>/dev/null; }
watch_count_at_least() { [ "$(watch_connects)" -ge "$1" ]; }
for try in 1 2 3 4 5 6 7 8 9 10; do
	kill -0 "$WATCH_PID" 2>/dev/null || bail "F: watch runs" "$(cat "$T/watch.err")"
	short postgres postgres "$T" "watch-probe-$try" "select 1"
	retry_until 2 watch_shows "watch-probe-$try" && break
done
# In log order: once the last probe is shown, every later session will be.
retry_until 20 watch_shows "watch-probe-$try" || bail "F: watch shows a session" "$(cat "$T/watch.err")"
WATCH_BASE=$(watch_connects)
WATCH_FROM=$CONNECTS

open_session a1 psql app_user production "$TCP" rails
open_session a2 psql app_user production "$T" sidekiq
rotate_log
short app_user analytics "$TCP" "one shot"
open_session a3 psql postgres analytics "$TCP" "my app"
rotate_log
close_session a1
open_session a4 psql app_user production "$TCP" myapp
rotate_log
burst 6 app_user production rails sidekiq
rotate_log

# A fast restart ends every session: the ones held here see their psql die.
cluster_restart_fast || bail "F: fast restart" "$(tail -20 "$T/pg_ctl.out")"
sessions_ended_by_shutdown
pass "F: server restarted"
open_session b1 psql app_user production "$TCP" rails
open_session b2 psql postgres analytics "$T" "my app"
rotate_log
open_session b3 psql app_user analytics "$TCP" myapp
short app_user production "$T" psql

# The shell's live model against pg_stat_activity.
retry_until 5 abandon_settled
q postgres postgres "$T" pgtail-live-check "$STATE_SQL" || bail "F: pg_stat_activity query"
cp "$T/q.out" "$T/out/state.json"
retry_until 20 log_count_is 'disconnection: session time' "$DISCONNECTS" ||
	fail "F: the log caught up" "expected $DISCONNECTS disconnections, found $(log_count 'disconnection: session time')"
: >"$T/repl.out"
cmd "connections --json"
repl_answered() { grep -q '^}' "$T/repl.out"; }
if retry_until 20 repl_answered; then pass "F: the shell answers connections --json"; else
	bail "F: the shell answers connections --json" "$(cat "$T/repl.out" "$T/repl.err" | tail)"; fi
cp "$T/repl.out" "$T/out/live.json"
python3 "$LIVE_DIR/compare.py" "F: live model after rotations and a restart" "$T/out/state.json" \
	"$T/out/live.json" --connects "$CONNECTS" --disconnects "$DISCONNECTS" \
	--failed "" --ended-by-reset "$ENDED_BY_RESET" --abandoned 0 >"$T/out/records" 2>&1 ||
	fail "F: compare.py runs" "$(tail -20 "$T/out/records")"
report_records "$T/out/records"

if [ -n "${CAT_PID:-}" ]; then
	kill -TERM "$CAT_PID"
	wait "$CAT_PID"
	cat "$LOGDIR"/* >"$T/all.log"
	if cmp -s "$T/all.log" "$T/raw.out"; then
		pass "F: the follower delivered every byte of every file, once, in order"
	else
		fail "F: the follower delivered every byte of every file, once, in order" \
			"$(wc -c "$T/all.log" "$T/raw.out"; cat "$T/raw.err" | tail -5)"
	fi
fi

# The watch stream saw every session opened since it started (given time
# to print the last ones: it may lag behind the log on a loaded machine).
want=$((CONNECTS - WATCH_FROM))
retry_until 20 watch_count_at_least $((WATCH_BASE + want))
kill -INT "$WATCH_PID"
wait "$WATCH_PID"
check_eq "F: watch exits 0 on SIGINT" 0 $?
WATCH_PID=
got=$(($(watch_connects) - WATCH_BASE))
check_eq "F: watch printed one [+] per session opened while it ran" "$want" "$got"
cmd "quit"
wait "$REPL_PID"
check_eq "F: the shell quits with status 0" 0 $?
REPL_PID=
test_summary
