#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Live journald: a private systemd-journald and a PostgreSQL server with
# logging_collector = off and log_destination = 'stderr,syslog', its
# standard error handed to the journal by systemd-cat -- so every record
# is in the journal twice, once by the stdout transport and once by the
# syslog transport, as under a systemd unit.  Real sessions, refusals and a
# backend killed with SIGKILL; after each step journalctl's own output
# (-o json, -o short-iso, and -o cat of the stdout transport) read by
# "pgtail connections --json", detected without --format, must agree with
# pg_stat_activity and with what the suite did, each record counted once;
# and "connections --journal", reading the journal files with sd-journal,
# must give what -o json gives (when pgtail was built with libsystemd).
#
#   PGTAIL=build/pgtail tests/live/journald.sh
#
# journald and the server run in a mount namespace of their own (unshare
# -m, tests/live/ns-devlog.sh): journald's /run is a tmpfs there, its
# storage volatile, /dev/log its socket; journalctl reads its files through
# /proc/PID/root.  Nothing outside the namespace sees them.  Needs root.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh
. tests/live/lib-live.sh

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
LABEL=journald
JD_PID=

trap 'live_cleanup_daemon "$JD_PID"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x /lib/systemd/systemd-journald ] && command -v journalctl >/dev/null &&
	command -v systemd-cat >/dev/null || bail "systemd-journald, journalctl and systemd-cat"
live_ns_suite_start

cluster_initdb || bail "initdb" "$(tail -20 "$T/initdb.log")"
cluster_configure "$T/collector" '%m [%p] %q%u@%d ' 'stderr,syslog'
printf "logging_collector = off\n" >>"$DATA/live.conf"
pick_port || bail "a free port"
printf 'port = %s\n' "$PORT" >"$DATA/port.conf"
chown postgres: "$DATA/port.conf"

# The server starts in $T: in a directory its user cannot enter (a clone
# in a private temporary directory) it would first write two lines about
# it to its stdout, the journal.
# journald: volatile storage, no rate limit (a burst of sessions must not
# be suppressed), nothing forwarded anywhere.
printf '[Journal]\nStorage=volatile\nRateLimitBurst=0\nForwardToSyslog=no\nForwardToKMsg=no\nForwardToConsole=no\nForwardToWall=no\n' \
	>"$T/journald.conf"
unshare -m sh tests/live/ns-devlog.sh --journald "$T" "$T" /run/systemd/journal/dev-log \
	sh -c 'cd "$3" && systemd-cat -t postgres runuser -u postgres -- "$1" -D "$2" >/dev/null 2>&1 &' \
	_ "$PGBIN/postgres" "$DATA" "$T" >"$T/ns.out" 2>&1 ||
	bail "journald and the server start in their namespace" "$(cat "$T/ns.out" "$T/journald.out" 2>/dev/null)"
JD_PID=$(cat "$T/journald.pid")
PG_RUNNING=1
JDIR=/proc/$JD_PID/root/run/log/journal
pass "systemd-journald $(journalctl --version | awk 'NR == 1 {print $2}') runs privately"

# The journal's view, as journalctl writes it, into the directories pgtail
# reads; the count of a text among the stdout transport's records.
mkdir -p "$T/j/json" "$T/j/short" "$T/j/cat"
export_journal() {
	journalctl -D "$JDIR" --no-pager -o json SYSLOG_IDENTIFIER=postgres \
		>"$T/j/json/journal.json" 2>/dev/null
	journalctl -D "$JDIR" --no-pager -o short-iso SYSLOG_IDENTIFIER=postgres \
		>"$T/j/short/journal.log" 2>/dev/null
	journalctl -D "$JDIR" --no-pager -o cat SYSLOG_IDENTIFIER=postgres _TRANSPORT=stdout \
		>"$T/j/cat/postgresql.log" 2>/dev/null
}
# lib-live's log_count reads LOGDIR; here the journal is exported first.
log_count() {
	export_journal
	grep -c -F -- "$1" "$T/j/cat/postgresql.log"
}
LOGDIR=$T/j/cat
ready() { log_count_at_least 'database system is ready to accept connections' 1; }
retry_until 30 ready || bail "the server's records reach the journal" \
	"$(cat "$T/ns.out" "$T/journald.out"; journalctl -D "$JDIR" --no-pager | tail)"
pass "the server's records reach the journal by both transports"
both() {
	export_journal
	[ "$(grep -c '"_TRANSPORT":"syslog"' "$T/j/json/journal.json")" -gt 0 ] &&
		[ "$(grep -c '"_TRANSPORT":"stdout"' "$T/j/json/journal.json")" -gt 0 ]
}
retry_until 10 both || fail "both transports are in the journal" "$(head -c 2000 "$T/j/json/journal.json")"

live_small_schema

# check_all LABEL: check_state on each of journalctl's outputs.
check_all() {
	local form
	for form in json short cat; do
		LOGDIR=$T/j/$form
		check_state "$1 (-o $form)"
	done
	LOGDIR=$T/j/cat
	"$PGTAIL" connections --json "$T/j/json/journal.json" >"$T/out/last.json" 2>"$T/out/last.err"
	check_eq "$1: no record skipped" 0 "$(jq .skipped "$T/out/last.json")"
	[ "$(jq .skipped "$T/out/last.json")" = 0 ] || sed 's/^/     pgtail said: /' "$T/out/last.err" | head -12
	# The journal read with sd-journal: the same figures as its -o json.
	if "$PGTAIL" connections --help | grep -q -- --journal &&
		PGTAIL_JOURNAL_DIR=$JDIR "$PGTAIL" connections --json --journal \
			>"$T/out/sd.json" 2>"$T/out/sd.err"; then
		figures "$T/out/last.json" >"$T/out/last.fig"
		figures "$T/out/sd.json" >"$T/out/sd.fig"
		check_cmp "$1: --journal (sd-journal) as -o json" "$T/out/last.fig" "$T/out/sd.fig"
		PGTAIL_JOURNAL_DIR=$JDIR "$PGTAIL" connections --json --journal --ident=postgres \
			>"$T/out/sd.json" 2>"$T/out/sd.err"
		figures "$T/out/sd.json" >"$T/out/sd.fig"
		check_cmp "$1: --journal --ident=postgres as -o json" "$T/out/last.fig" "$T/out/sd.fig"
	elif grep -q 'built without libsystemd' "$T/out/sd.err"; then
		printf 'note %s: --journal not built (no libsystemd): not tested\n' "$1"
	else
		fail "$1: --journal exits 0" "$(cat "$T/out/sd.err")"
	fi
}
figures() {
	jq -S '{active, by_database, by_user, by_application, by_host, connects, disconnects,
		failed, failed_by_reason, complete}' "$1"
}

# connections --watch --journal follows the journal live (sd-journal):
# started now, it shows the events of the steps below as they happen.
WATCH_PID=
if "$PGTAIL" connections --help | grep -q -- --journal; then
	PGTAIL_JOURNAL_DIR=$JDIR "$PGTAIL" connections --watch --journal --json \
		>"$T/out/watch.jsonl" 2>"$T/out/watch.err" &
	WATCH_PID=$!
	# Following once a session opened now shows up.
	probe() {
		q app_user production "$TCP" watch-probe 'select 1'
		grep -q '"application":"watch-probe"' "$T/out/watch.jsonl"
	}
	retry_until 20 probe || fail "--watch --journal shows a session opened after it began" \
		"$(cat "$T/out/watch.err"; tail -3 "$T/out/watch.jsonl")"
fi

# The shell follows the journal too (tail --journal): a shell whose
# commands come from a fifo (held open read-write: the shell never sees
# the end of its input), started before the steps; its views are compared
# with the one-shot --journal's after them.
SHELL_PID=
if "$PGTAIL" connections --help | grep -q -- --journal; then
	mkfifo "$T/sh.cmd"
	exec 7<>"$T/sh.cmd"
	mkdir -p "$T/sh-home"
	PGTAIL_JOURNAL_DIR=$JDIR HOME=$T/sh-home "$PGTAIL" <&7 >"$T/out/shell.out" \
		2>"$T/out/shell.err" &
	SHELL_PID=$!
	echo "tail --journal --ident=postgres" >&7
	following() { grep -q "^Following the systemd journal: " "$T/out/shell.out"; }
	if retry_until 20 following; then
		pass "tail --journal: the shell follows the journal"
	else
		fail "tail --journal: the shell follows the journal" \
			"$(cat "$T/out/shell.out" "$T/out/shell.err")"
	fi
fi
# shell_json NAME COMMAND: the shell's JSON answer to COMMAND, in
# $T/out/NAME.json (the next document it prints; a document ends with a
# "}" alone on its line).
shell_json() {
	local before
	before=$(grep -c '^}$' "$T/out/shell.out")
	echo "$2" >&7
	answered() { [ "$(grep -c '^}$' "$T/out/shell.out")" -gt "$before" ]; }
	retry_until 10 answered || return 1
	awk -v n=$((before + 1)) '/^\{$/ { k++ } k == n { print } k == n && /^\}$/ { exit }' \
		"$T/out/shell.out" >"$T/out/$1.json"
}

LABEL=sessions
open_session s1 psql app_user production "$TCP" billing-worker
open_session s2 psql app_user production "$T" report
open_session s3 psql reporting production "$TCP" "my app" "$SECRET"
burst 6 app_user production rails sidekiq "my app"
attempt database_does_not_exist 'database "nosuchdb" does not exist' \
	app_user nosuchdb "$TCP" psql
attempt password_authentication_failed 'password authentication failed for user "reporting"' \
	reporting production "$TCP" myapp wrong-password
close_session s2
check_all "sessions and refusals"
# What the watch streamed: each session and refusal of the step, live.
watch_events() {
	jq -r --arg ev "$1" 'select(.event == $ev and .application != "watch-probe" and .application != "pgtail-live-check")
		| "\(.application // "-") \(.reason // "")"' "$T/out/watch.jsonl" | sort | uniq -c |
		awk '{$1 = $1; print}' | tr '\n' ';'
}
if [ -n "$WATCH_PID" ]; then
	want_conn="1 billing-worker;3 my app;2 rails;1 report;2 sidekiq;"
	seen_all() { [ "$(watch_events connect)" = "$want_conn" ]; }
	retry_until 10 seen_all
	check_eq "--watch --journal: a [+] for each session" "$want_conn" "$(watch_events connect)"
	check_eq "--watch --journal: a [!] for each refusal, with its reason" \
		"1 - password_authentication_failed;1 psql database_does_not_exist;" \
		"$(watch_events failed)"
	check_eq "--watch --journal: the [-] of the session closed" "1 report;" \
		"$(watch_events disconnect | grep -o '1 report;')"
	kill -TERM "$WATCH_PID"
	wait "$WATCH_PID"
	check_eq "--watch --journal: SIGTERM ends it with status 0" 0 $?
fi
if [ -n "$SHELL_PID" ]; then
	# The one-shot read of the journal, then the shell's views of it: the
	# same figures, plain and filtered.
	PGTAIL_JOURNAL_DIR=$JDIR "$PGTAIL" connections --json --journal --ident=postgres \
		>"$T/out/one.json" 2>/dev/null
	PGTAIL_JOURNAL_DIR=$JDIR "$PGTAIL" connections --json --journal --ident=postgres \
		--app=sidekiq >"$T/out/one-app.json" 2>/dev/null
	if shell_json shell "connections --json" && shell_json shell-app "connections --app=sidekiq --json"; then
		check_eq "tail --journal: the shell's connections equal the journal's" \
			"$(figures "$T/out/one.json")" "$(figures "$T/out/shell.json")"
		check_eq "tail --journal: its connections --app=sidekiq (a replay) equal the journal's" \
			"$(figures "$T/out/one-app.json")" "$(figures "$T/out/shell-app.json")"
	else
		fail "tail --journal: the shell answers connections --json" \
			"$(tail -5 "$T/out/shell.out"; cat "$T/out/shell.err")"
	fi
	echo quit >&7
	wait "$SHELL_PID"
	check_eq "tail --journal: quit ends the shell with status 0" 0 $?
	exec 7>&-
fi

LABEL=crash
crash_backend s1
open_session c1 psql app_user production "$TCP" after-crash
check_all "after a backend crash"

cluster_stop fast || fail "server stops at the end" "$(cat "$T/pg_ctl.out")"
sessions_ended_by_shutdown
test_summary
