#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Live syslog: a private PostgreSQL server with log_destination = 'syslog'
# and a private rsyslogd that writes every message in three templates at
# once -- RSYSLOG_FileFormat (RFC 3339, Debian 12's default),
# RSYSLOG_TraditionalFileFormat and RSYSLOG_SyslogProtocol23Format (RFC
# 5424).  Real sessions (several at once), refused attempts and a backend
# killed with SIGKILL, then after each phase "pgtail connections --json" on
# each rsyslog file (detected, no --format) must agree with
# pg_stat_activity and with what the suite did.  The phases change the
# server's syslog settings on the way: defaults, a custom syslog_ident,
# syslog_sequence_numbers = off, syslog_split_messages = off.
#
#   PGTAIL=build/pgtail tests/live/syslog.sh
#
# PostgreSQL's syslog(3) writes to /dev/log.  The server runs in a mount
# namespace of its own (unshare -m) where /dev is a copy whose "log" is
# rsyslogd's socket in the temporary directory: nothing outside sees it,
# and no system logger is touched.  rsyslogd runs with its own config, pid
# file, work directory and socket, and is stopped at the end.  Needs root
# (the namespace, and the server runs as the postgres OS user).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh
. tests/live/lib-live.sh

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
LABEL=syslog
RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
RS_PID=

trap 'live_cleanup_daemon "$RS_PID"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$RSYSLOGD" ] || bail "rsyslogd is installed" "scripts/install-deps.sh test installs rsyslog"
live_ns_suite_start

# --- rsyslogd ---------------------------------------------------------------------

SL=$T/sl
mkdir -p "$SL/rfc3339" "$SL/traditional" "$SL/rfc5424" "$T/rsyslog-work"
cat >"$T/rsyslog.conf" <<EOF
global(workDirectory="$T/rsyslog-work" maxMessageSize="8k")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$T/log.sock" CreatePath="on" RateLimit.Interval="0")
*.* action(type="omfile" file="$SL/rfc3339/postgresql.log" template="RSYSLOG_FileFormat")
*.* action(type="omfile" file="$SL/traditional/postgresql.log" template="RSYSLOG_TraditionalFileFormat")
*.* action(type="omfile" file="$SL/rfc5424/postgresql.log" template="RSYSLOG_SyslogProtocol23Format")
EOF
"$RSYSLOGD" -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" >"$T/rsyslog.out" 2>&1 &
RS_PID=$!
sock_ready() { [ -S "$T/log.sock" ]; }
retry_until 20 sock_ready || bail "rsyslogd listens on its socket" "$(cat "$T/rsyslog.out")"
chmod 666 "$T/log.sock"
pass "rsyslogd $("$RSYSLOGD" -v | awk 'NR == 1 {print $2}') listens on a private socket"

# --- the server, in its own mount namespace ------------------------------------------

cluster_initdb || bail "initdb" "$(tail -20 "$T/initdb.log")"
cluster_configure "$SL/rfc3339" '%m [%p] %q%u@%d ' syslog
printf "log_directory = '%s'\n" "$T/collector" >>"$DATA/live.conf"

# The postmaster runs where /dev/log is rsyslogd's socket (ns-devlog.sh).
syslog_start() {
	pick_port || return 1
	printf 'port = %s\n' "$PORT" >"$DATA/port.conf"
	chown postgres: "$DATA/port.conf"
	unshare -m sh tests/live/ns-devlog.sh "$T" "$T/log.sock" runuser -u postgres -- \
		"$PGBIN/pg_ctl" -D "$DATA" -l "$T/pg_ctl.log" -w -t 60 start >"$T/pg_ctl.out" 2>&1 &&
		PG_RUNNING=1
}
syslog_start || bail "server starts in its namespace" "$(cat "$T/pg_ctl.out"; tail "$T/pg_ctl.log")"
pass "server starts, log_destination = 'syslog' (port $PORT)"
LOGDIR=$SL/rfc3339
ready_logged() { log_count_at_least 'database system is ready to accept connections' 1; }
retry_until 20 ready_logged || bail "the server's records reach rsyslogd" \
	"$(cat "$T/rsyslog.out"; ls -lR "$SL")"
pass "the server's records reach rsyslogd"

live_small_schema

# check_all LABEL: check_state on each template's file.
check_all() {
	local tpl
	for tpl in rfc3339 traditional rfc5424; do
		LOGDIR=$SL/$tpl
		check_state "$1 ($tpl)"
	done
	LOGDIR=$SL/rfc3339
	# Read without being told, as syslog.
	"$PGTAIL" connections --json "$SL/rfc3339/postgresql.log" >"$T/out/last.json" 2>&1
	check_eq "$1: no line skipped" 0 "$(jq .skipped "$T/out/last.json")"
}

# phase NAME: a workload -- sessions held open over TCP and the socket, a
# burst of concurrent ones, the two refusals, a long statement (cut into
# 900-byte pieces) -- then the comparison.
phase() {
	LABEL=$1
	open_session "$1-1" psql app_user production "$TCP" billing-worker
	open_session "$1-2" psql app_user production "$T" report
	open_session "$1-3" psql reporting production "$TCP" "my app" "$SECRET"
	open_session "$1-4" raw app_user postgres "$TCP"
	burst 6 app_user production rails sidekiq "my app"
	# An error whose statement is over 900 bytes and two lines long.
	q app_user production "$TCP" psql "select 1/0 as \"$(printf 'x%.0s' $(seq 1 60))\",
		'$(printf 'word %.0s' $(seq 1 300))' as long_statement" || true
	attempt database_does_not_exist 'database "nosuchdb" does not exist' \
		app_user nosuchdb "$TCP" psql
	attempt password_authentication_failed 'password authentication failed for user "reporting"' \
		reporting production "$TCP" myapp wrong-password
	close_session "$1-2"
	check_all "$1"
}

phase defaults

# A backend killed: the postmaster ends every other backend and
# reinitializes; only later sessions are open.
LABEL=crash
crash_backend defaults-1
open_session crash-1 psql app_user production "$TCP" after-crash
check_all "after a backend crash"

# syslog_ident: found by its [N-k] marks without --ident.
alter_system syslog_ident pg-main && phase ident
"$PGTAIL" connections --json --ident=pg-main "$SL/rfc3339/postgresql.log" >"$T/out/ident.json" 2>&1
check_eq "--ident=pg-main: the sessions since the change" true \
	"$(jq '.connects > 0 and .complete == false' "$T/out/ident.json")"

alter_system syslog_ident postgres && alter_system syslog_sequence_numbers off && phase seqoff
alter_system syslog_split_messages off && phase splitoff

cluster_stop fast || fail "server stops at the end" "$(cat "$T/pg_ctl.out")"
sessions_ended_by_shutdown
test_summary
