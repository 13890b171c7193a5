#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Everyday events on a real server, seen through pgtail's shell as a DBA
# uses it.  A private PostgreSQL cluster (logging_collector on, the default
# log_line_prefix '%m [%p] ', log_connections and log_disconnections on) gets
# sessions with distinct application names, users, databases and hosts
# (127.0.0.1, 127.0.0.2 and the unix socket), then one everyday event at a
# time:
#   E1 pg_rotate_logfile() three times, sessions opened between rotations
#   E2 a fast restart, sessions before and after
#   E3 kill -9 of one backend (crash recovery ends every session)
#   E4 'connections clear', then more sessions: counters count from the
#      clear, the open count stays right and keeps moving
#   E5 log_destination stderr -> csvlog -> jsonlog -> 'stderr,csvlog' ->
#      stderr (ALTER SYSTEM + pg_reload_conf()), sessions after each
#   E6 log_disconnections off, sessions opened and closed, on again: every
#      view equals the server or says that it cannot (and what 'list' says)
# After each, every view of the shell is compared with pg_stat_activity
# (client backends): connections --json (active and the four breakdowns),
# one filter of each kind (--app= --user= --db= --host=, --host=[local];
# each also as --sessions, whose pids must be the matching backends),
# --history --json (the last bucket), --sessions --json (the pids) and
# --since=10m --json; and the interactive shell's text summary.  The plain,
# --since and --history views' connects must also be every session the suite
# made (the log starts with the server).  For reference, the command line
# on the directory too.  Then one check for each finding of the field test
# that can be seen live.
#
# How the shell is driven.  Two ways, each where it is the right one:
#  - For the JSON comparisons, shells whose commands come from a pipe and
#    whose output (stdout and stderr together, in order) goes to a file: the
#    JSON is read whole and exactly, however long, with no screen to scroll
#    or wrap.  Each command is followed by a sentinel command ("@@TAG-K",
#    unknown, so the shell answers it with one error line) that marks where
#    its answer ends; everyday.py sends a round of questions and compares
#    the answers.  Piping a terminal shell's output through tee instead
#    would take its terminal away (no line editing, no completion).
#    Shell A is the one every step compares; shell B, started at the same
#    time, is the one whose counters are cleared in E4 (a clear changes how
#    every later view is answered, and would hide the other steps' findings),
#    with shell C, started just before the clear, as a control.
#  - For what a person sees and types (the text summary, Tab completion,
#    history, --watch), a shell in a tmux pane on its own socket, keys sent
#    with send-keys, the screen read with capture-pane.
# Every wait is a bounded retry, never a fixed sleep; before each comparison
# the suite waits until the log holds its own pg_stat_activity query's
# session, and a comparison that differs is asked again for up to 2 s (the
# shell may still be reading) and then reported with what pgtail said and
# what pg_stat_activity said.  Everything (server, shells, tmux, the temp
# dir) is cleaned up on exit, however the suite ends.
#
# Many checks are expected to fail today: they document what pgtail gets
# wrong on a real server.
#
#   PGTAIL=build/pgtail tests/live/everyday.sh     (LIVE_KEEP=1 keeps the temp dir)
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh
. tests/live/lib-live.sh

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
case $PGTAIL in /*) ;; *) PGTAIL=$PWD/$PGTAIL ;; esac
LABEL=E
TM=
declare -A SH_PID=() SH_FD=()

cleanup() {
	local n
	for n in "${!SH_PID[@]}"; do kill "${SH_PID[$n]}" 2>/dev/null; done
	[ -n "$TM" ] && $TM kill-server 2>/dev/null
	live_cleanup
}
trap cleanup EXIT
trap 'fail "E: interrupted"; test_summary; exit 130' INT
trap 'fail "E: terminated"; test_summary; exit 143' TERM

# section NAME: a heading in the output, with the time so far.
section() { printf '# %s (at %d s)\n' "$1" "$(($(date +%s) - STARTED))"; }

STARTED=$(date +%s)
[ -x "$PGTAIL" ] || bail "pgtail binary at $PGTAIL" "set PGTAIL or build it first"
command -v python3 >/dev/null || bail "python3 is installed"
command -v tmux >/dev/null || bail "tmux is installed"
live_find_pgbin || bail "PostgreSQL server binaries are installed"
live_make_tmp || bail "temporary directory for the cluster" "as root, the postgres OS user must exist"
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE \
	PGSERVICEFILE PGOPTIONS PGAPPNAME PGSSLMODE PGREQUIRESSL PGTARGETSESSIONATTRS
export PGSSLMODE=disable PGGSSENCMODE=disable PGCONNECT_TIMEOUT=10 LC_ALL=C
EV=$LIVE_DIR/everyday.py
# The interpreter itself, once: a version manager's python3 is a script that
# takes a good part of a second to start the real one, and the suite starts
# python often (the raw client, each round of questions).
LIVE_PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
[ -x "$LIVE_PYTHON" ] || LIVE_PYTHON=python3
H2=127.0.0.2

cluster_initdb || bail "initdb" "$(tail -20 "$T/initdb.log")"
cluster_trust_host "$H2"
cluster_configure "$T/log" '%m [%p] ' stderr
cluster_start || bail "E: server starts" "$(tail -20 "$T/pg_ctl.log" "$T/pg_ctl.out")"
pass "E: server starts (PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), port $PORT)"
q postgres postgres "$T" "" "create role app_user login" "create role report_user login" \
	"create database production" "create database analytics" ||
	bail "E: roles and databases created" "$(cat "$T/q.err")"

# --- sessions ------------------------------------------------------------------------

# open NAME KIND: a held session of one of the kinds a DBA sees every day.
open() {
	case $2 in
	rails) open_session "$1" psql app_user production "$TCP" rails ;;
	metabase) open_session "$1" "from:$H2" report_user analytics "$TCP" metabase ;;
	admin) open_session "$1" psql postgres postgres "$T" psql ;;
	sidekiq) open_session "$1" psql app_user production "$T" sidekiq ;;
	nightly) open_session "$1" psql report_user production "$TCP" "nightly report" ;;
	raw) open_session "$1" raw app_user analytics "$T" ;;
	*) bail "unknown session kind $2" ;;
	esac
}

# --- the server's view ---------------------------------------------------------------

STATE_SESSIONS_SQL="
select coalesce(json_agg(json_build_object(
         'pid', pid, 'database', datname, 'user', usename,
         'application', coalesce(nullif(application_name, ''), 'unknown'),
         'host', coalesce(host(client_addr), '[local]')) order by pid), '[]')
from pg_stat_activity
where backend_type = 'client backend' and pid <> pg_backend_pid()"
LOGS_DISCONNECTIONS=1

# snapshot F: the server's client backends into F, once everything before
# the query is in the log (the query's own session ended there).
snapshot() {
	local pid
	q postgres postgres "$T" pgtail-live-check "$STATE_SESSIONS_SQL" ||
		{ fail "$LABEL: pg_stat_activity query" "$(cat "$T/q.err")"; return 1; }
	cp "$T/q.out" "$1"
	pid=$(head -1 "$T/q.raw")
	if [ "$LOGS_DISCONNECTIONS" = 1 ]; then
		retry_until 20 log_has_pid_line 'disconnection: session time' "$pid" ||
			fail "$LABEL: the log caught up" "no disconnection of backend $pid in the log"
	else
		retry_until 20 log_has_pid_line 'connection authorized' "$pid" ||
			fail "$LABEL: the log caught up" "no connection of backend $pid in the log"
	fi
}

# --- pipe-driven shells --------------------------------------------------------------

# The suite holds each shell's fifo open read-write: opening it never blocks,
# the shell never sees end of input, and a write does not hang when the shell
# is gone (every wait for an answer also ends when the shell has died).
sh_start() {
	local fd
	mkfifo "$T/sh-$1.cmd" && mkdir -p "$T/home-$1" || return 1
	exec {fd}<>"$T/sh-$1.cmd" || return 1
	SH_FD[$1]=$fd
	env HOME="$T/home-$1" XDG_STATE_HOME="$T/home-$1/state" "$PGTAIL" \
		<"$T/sh-$1.cmd" >>"$T/sh-$1.out" 2>&1 &
	SH_PID[$1]=$!
}
sh_cmd() {
	local n=$1
	shift
	printf '%s\n' "$@" >&"${SH_FD[$n]}"
}
sh_has() { grep -q -F -- "$2" "$T/sh-$1.out"; }
sh_dead() { ! kill -0 "${SH_PID[$1]}" 2>/dev/null; }
# sh_wait SHELL TEXT: wait until SHELL printed TEXT; false (and a failure
# with its exit status) when it died.
sh_settled() { sh_has "$1" "$2" || sh_dead "$1"; }
sh_wait() {
	retry_until 30 sh_settled "$1" "$2"
	sh_has "$1" "$2" && return 0
	if sh_dead "$1"; then
		wait "${SH_PID[$1]}"
		fail "$LABEL: shell $1 is running" "it exited with status $?; its last output:
$(tail -c 1000 "$T/sh-$1.out")"
	fi
	return 1
}

ROUND=0
# ask SHELL LABEL VIEWSET STATE OUT [everyday.py options]: one round of
# questions to a pipe-driven shell, compared with STATE; records in OUT.
ask() {
	local n=$1 label=$2 set=$3 state=$4 out=$5
	shift 5
	ROUND=$((ROUND + 1))
	PGTAIL_DIAG_LOGDIR=$LOGDIR "$LIVE_PYTHON" -I -S "$EV" round "$label" "$set" "$state" "$T/sh-$n.cmd" "$T/sh-$n.out" \
		"${SH_PID[$n]}" "r$ROUND" "$@" >"$out" 2>&1 ||
		fail "$label: everyday.py runs" "$(tail "$out")"
}

# --- the tmux shell ------------------------------------------------------------------

screen() { $TM capture-pane -t e -p -J -S -300 2>/dev/null; }
shows() { screen | grep -F -q -- "$1"; }
shows_re() { screen | grep -E -q -- "$1"; }
keys() { $TM send-keys -t e "$@"; }
line() {
	$TM send-keys -t e -l -- "$1"
	$TM send-keys -t e Enter
}
screen_tail() { screen | grep -v '^$' | tail -"${1:-12}"; }
# A clean screen and no scrollback, so what is read is the last answer.
fresh() {
	keys C-u
	line clear
	retry_until 5 sh -c "! $TM capture-pane -t e -p | grep -q -F -- 'pgtail> clear'"
	$TM clear-history -t e
}
wait_for() {
	if retry_until "${3:-10}" shows "$2"; then pass "$1"; else
		fail "$1" "expected on screen: $2
screen:
$(screen_tail 15)"
	fi
}
tm_start() {
	$TM new-session -d -s e -x 220 -y 50 \
		"env -u XDG_STATE_HOME HOME=$T/home NO_COLOR=1 TERM=xterm $PGTAIL; echo PGTAIL-EXITED \$?; sleep 600"
}
# The interactive summary's open count.
tm_active_is() {
	fresh
	line "${2:-connections}"
	retry_until 10 shows_re 'Active connections: [0-9]+' || return 1
	TM_ACTIVE=$(screen | grep -o -E 'Active connections: [0-9]+' | tail -1 | awk '{print $3}')
	[ "$TM_ACTIVE" = "$1" ]
}

# --- comparing -----------------------------------------------------------------------

# compare_views LABEL [--honest]: every view of shell A, the tmux shell's
# summary, and (for reference) the command line on the directory.
compare_views() {
	local label=$1 honest=${2:-} f deadline want cli=()
	LABEL=$label
	f=$T/out/$(printf '%s' "$label" | tr -c 'A-Za-z0-9_-' '_')
	snapshot "$f.state.json" || return 1
	# The same log from the command line, a reference for the shell.
	if [ -z "$honest" ]; then
		timeout 60 "$PGTAIL" connections --json "$LOGDIR" >"$f.cli.json" 2>"$f.cli.err"
		cli=(--cli "$label: command line 'pgtail connections --json LOGDIR' (reference)" "$f.cli.json")
	fi
	ask A "$label" all "$f.state.json" "$f.records" ${honest:+"$honest"} "${cli[@]}" --summary-out "$f.sum" \
		--connects "$CONNECTS"
	report_records "$f.records"
	read -r LAST_ACTIVE want SOCKET_WANT <"$f.sum"
	LAST_OFF=$((LAST_ACTIVE - want)) 2>/dev/null || LAST_OFF="?"

	# The person at the terminal: the text summary.
	deadline=$(($(date +%s) + 2))
	until tm_active_is "$want"; do [ "$(date +%s)" -ge "$deadline" ] && break; done
	if [ "${TM_ACTIVE:-}" = "$want" ]; then
		pass "$label: the interactive shell's 'connections' shows $want open"
	elif [ -n "$honest" ] && shows "log_disconnections"; then
		pass "$label: the interactive shell's 'connections' differs ($TM_ACTIVE, server $want) and says log_disconnections was off"
	else
		fail "$label: the interactive shell's 'connections' shows $want open${honest:+ or says it cannot}" \
			"pgtail: Active connections: ${TM_ACTIVE:-(none)}; pg_stat_activity: $want
screen:
$(screen_tail 12)"
	fi

	STATE=$f.state.json
}

# ======================================================================================
# Start: the shells follow the log directory.

sh_start A || bail "E: shell A starts"
sh_start B || bail "E: shell B starts"
sh_cmd A "tail $LOGDIR"
sh_cmd B "tail $LOGDIR"
for n in A B; do
	if sh_wait "$n" "Following"; then pass "E: pipe shell $n follows the log directory"; else
		bail "E: pipe shell $n follows the log directory" "$(cat "$T/sh-$n.out")"; fi
done
mkdir "$T/home"
TM="tmux -S $T/tmux.sock -f /dev/null"
tm_start || bail "E: tmux starts"
wait_for "E: the interactive shell starts (HOME without ~/.local)" "pgtail>"
line "tail $LOGDIR"
wait_for "E: the interactive shell follows the log directory" "Following"
keys C-c
retry_until 5 sh -c "$TM capture-pane -t e -p | tail -3 | grep -q '^pgtail> *\$'"

# --- E0: a day's sessions, no event yet ------------------------------------------------
LABEL=E0
section "E0: a day's sessions"
open rails1 rails
open metabase1 metabase
open admin1 admin
open sidekiq1 sidekiq
open raw1 raw
open nightly0 nightly
close_session nightly0
open nightly1 nightly
close_session sidekiq1
compare_views "E0 baseline"

# Finding 5: --host=[local] is the unix socket's sessions.
want=$SOCKET_WANT
deadline=$(($(date +%s) + 2))
until tm_active_is "$want" "connections --host=[local]"; do [ "$(date +%s)" -ge "$deadline" ] && break; done
check_eq "finding 5: in the shell, 'connections --host=[local]' counts the $want socket sessions" \
	"$want" "${TM_ACTIVE:-}"
timeout 60 "$PGTAIL" connections --json --host='[local]' "$LOGDIR" >"$T/out/f5.json" 2>&1
got=$(sed -n 's/^  "active": \([0-9]*\),$/\1/p' "$T/out/f5.json" | head -1)
check_eq "finding 5: from the command line, --host=[local] counts the $want socket sessions" "$want" "$got"

# Finding 15: --watch in the shell: [+] and [-] carry the pid, [-] the host,
# user and database; pg_terminate_backend() is "ended by the server".
LABEL="finding 15"
section "findings 5, 15 and 9"
fresh
line "connections --watch app=watchme"
wait_for "finding 15: the shell's --watch starts" "Watching connections"
open_session w2 psql app_user production "$T" watchme
w2=${SESS_BACKEND[w2]}
open_session w3 "from:$H2" report_user analytics "$TCP" watchme
w3=${SESS_BACKEND[w3]}
close_session w3
terminate_session w2
want="watchme connected from $H2 (user: report_user, db: analytics, pid $w3)"
if retry_until 10 shows "$want" && screen | grep -F -- "$want" | grep -q -F '[+]'; then
	pass "finding 15: [+] shows the pid: ...$want"
else
	fail "finding 15: [+] shows the pid" "expected a [+] line with: $want
screen:
$(screen_tail 10)"
fi
want="watchme disconnected from $H2 (user: report_user, db: analytics, pid $w3, duration: "
if retry_until 10 shows "$want" && screen | grep -F -- "$want" | grep -q -F '[-]'; then
	pass "finding 15: [-] shows host, user, database and pid: ...$want"
else
	fail "finding 15: [-] shows host, user, database and pid" "expected a [-] line with: $want
screen:
$(screen_tail 10)"
fi
want="watchme disconnected from [local] (user: app_user, db: production, pid $w2"
if retry_until 10 shows "$want" &&
	screen | grep -F -- "$want" | grep -q -F 'ended by the server: administrator_command'; then
	pass "finding 15: pg_terminate_backend() shows 'ended by the server: administrator_command'"
else
	fail "finding 15: pg_terminate_backend() shows 'ended by the server: administrator_command'" \
		"expected a [-] line with: $want ... ended by the server: administrator_command
screen:
$(screen_tail 10)"
fi
if screen | grep -F '[+]' | grep -q -v watchme; then
	fail "finding 15: the watch shows only app=watchme" "$(screen | grep -F '[+]' | grep -v watchme | head -3)"
else
	pass "finding 15: the watch shows only app=watchme"
fi
keys C-c
retry_until 5 sh -c "$TM capture-pane -t e -p | grep -v '^\$' | tail -1 | grep -q '^pgtail>'"

# Finding 9: --watch --since in the shell shows the past events first.
fresh
r1=${SESS_BACKEND[rails1]}
line "connections --watch --since=10m app=rails"
want="rails connected from $TCP (user: app_user, db: production, pid $r1)"
wait_for "finding 9: 'connections --watch --since=10m app=rails' in the shell shows the past [+] of pid $r1" "$want"
keys C-c
retry_until 5 sh -c "$TM capture-pane -t e -p | grep -v '^\$' | tail -1 | grep -q '^pgtail>'"

# --- E1: three rotations, sessions opened between them ---------------------------------
LABEL=E1
section "E1: three rotations"
rotate_log
open rails2 rails
rotate_log
open metabase2 metabase
close_session rails1
rotate_log
open sidekiq2 sidekiq
short app_user analytics "$TCP" rails "select 1"
compare_views "E1 after 3 rotations"

# --- E2: a fast restart -------------------------------------------------------------
LABEL=E2
section "E2: a fast restart"
open nightly2 nightly
close_session metabase1
if cluster_restart_fast; then pass "E2: fast restart"; else
	bail "E2: fast restart" "$(cat "$T/pg_ctl.out"; tail -20 "$T/pg_ctl.log")"; fi
sessions_ended_by_shutdown
open rails3 rails
open metabase3 metabase
open admin2 admin
open raw2 raw
close_session admin2
compare_views "E2 after a fast restart"

# --- E3: kill -9 of one backend -------------------------------------------------------
LABEL=E3
section "E3: kill -9 of a backend"
open sidekiq3 sidekiq
crash_backend rails3
open rails4 rails
open metabase4 metabase
open admin3 admin
short postgres analytics "$T" psql "select 1"
compare_views "E3 after a backend crash"

# --- E4: connections clear --------------------------------------------------------------
LABEL=E4
section "E4: connections clear"
# Shell B has followed the log since the start; shell C starts now, after
# the rotations, the restart and the crash (a control: what a clear does
# when the shell's files are the current ones).  Both have read everything
# so far, then their counters are cleared.
sh_start C || bail "E4: shell C starts"
sh_cmd C "tail $LOGDIR"
sh_wait C "Following" || fail "E4: pipe shell C follows the log directory" "$(cat "$T/sh-C.out")"
for n in B C; do
	sh_cmd "$n" "connections --json" "@@synced"
	sh_wait "$n" "unknown command '@@synced'"
done
for n in B C; do
	sh_cmd "$n" "connections clear" "@@clear"
	sh_wait "$n" "unknown command '@@clear'"
	if sh_has "$n" "Counters cleared"; then pass "E4: 'connections clear' in shell $n says the counters are cleared"; else
		fail "E4: 'connections clear' in shell $n says the counters are cleared" "$(tail -5 "$T/sh-$n.out")"; fi
done
C0=$CONNECTS D0=$DISCONNECTS
failed_total() {
	local k n=0
	for k in "${!FAILED[@]}"; do n=$((n + ${FAILED[$k]})); done
	echo $n
}
F0=$(failed_total)

# compare_cleared LABEL: the summaries of shells B and C against the server
# and the counts since the clear (the state query itself is a connect and a
# disconnect).  Sets ACTIVE_B, ACTIVE_C and WANT.
compare_cleared() {
	local label=$1 f n
	f=$T/out/$(printf '%s' "$label" | tr -c 'A-Za-z0-9_-' '_')
	snapshot "$f.state.json" || return 1
	for n in B C; do
		ask "$n" "$label, shell $n" plain "$f.state.json" "$f.$n.records" --summary-out "$f.$n.sum" \
			--counters "$((CONNECTS - C0)),$((DISCONNECTS - D0)),$(($(failed_total) - F0))"
		report_records "$f.$n.records"
		read -r "ACTIVE_$n" WANT _ <"$f.$n.sum"
	done
}

open rails5 rails
open sidekiq4 sidekiq
attempt database_does_not_exist 'database "nosuchdb" does not exist' app_user nosuchdb "$T" psql
close_session admin3
compare_cleared "E4.1 after clear (counters from the clear)"
b1=$ACTIVE_B c1=$ACTIVE_C w1=$WANT
open metabase5 metabase
open nightly3 nightly
open raw3 raw
close_session rails4
short app_user production "$TCP" rails "select 1"
compare_cleared "E4.2 after clear and more sessions"
b2=$ACTIVE_B c2=$ACTIVE_C w2=$WANT
for n in B C; do
	if [ "$n" = B ]; then x1=$b1 x2=$b2; else x1=$c1 x2=$c2; fi
	if [ "$((x2 - x1))" = "$((w2 - w1))" ] 2>/dev/null; then
		pass "E4: after the clear shell $n's open count moves with the server (pgtail $x1 -> $x2, server $w1 -> $w2)"
	else
		fail "E4: after the clear shell $n's open count moves with the server" \
			"pgtail: $x1 -> $x2; pg_stat_activity: $w1 -> $w2"
	fi
done
compare_views "E4 (shell A, not cleared)"

# --- E5: log_destination changes -------------------------------------------------------
# current_logfiles lists each destination once the logging collector has its
# file open; sessions are opened only then (earlier, their csv or json records
# would land in the stderr file).
dest_ready() {
	local d
	for d in ${1//,/ }; do
		grep -q "^$d " "$DATA/current_logfiles" 2>/dev/null || return 1
	done
}
section "E5: log_destination changes"
step=0
for dest in csvlog jsonlog stderr,csvlog stderr; do
	step=$((step + 1))
	LABEL="E5.$step"
	alter_system log_destination "$dest" || continue
	if retry_until 10 dest_ready "$dest"; then pass "E5.$step: the server logs to $dest"; else
		fail "E5.$step: the server logs to $dest" "$(cat "$DATA/current_logfiles" 2>&1)"; fi
	case $step in
	1) open rails6 rails; open metabase6 metabase; close_session rails5 ;;
	2) open admin4 admin; open raw4 raw; close_session metabase5 ;;
	3) open rails7 rails; open metabase7 metabase; close_session nightly3 ;;
	4) open sidekiq5 sidekiq; open nightly4 nightly; close_session rails6 ;;
	esac
	compare_views "E5.$step log_destination = '$dest'"
done
LABEL=E5
ls "$LOGDIR" >"$T/out/e5-files"
timeout 60 "$PGTAIL" connections --json "$LOGDIR" >"$T/out/e5-cli.json" 2>"$T/out/e5-cli.err"
rc=$?
check_eq "E5: 'pgtail connections --json LOGDIR' exits 0 after the destination changes" 0 "$rc"
"$LIVE_PYTHON" "$EV" oneshot "E5: 'pgtail connections --json LOGDIR' (.log, .csv and .json files) equals pg_stat_activity" \
	"$STATE" "$T/out/e5-cli.json" >"$T/out/e5-cli.records" 2>&1
report_records "$T/out/e5-cli.records"
echo "#    the log directory: $(sed -E 's/^postgresql-//' "$T/out/e5-files" | tr '\n' ' ')"
# Shell D starts following now: the directory holds files of three
# destinations whose times overlap (the stderr file got lines after each
# switch), read merged in time order before following the current one.
sh_start D || bail "E5: shell D starts"
sh_cmd D "tail $LOGDIR"
if sh_wait D "Following"; then pass "E5: pipe shell D follows a directory of three destinations"; else
	fail "E5: pipe shell D follows a directory of three destinations" "$(cat "$T/sh-D.out")"; fi
ask D "E5 (shell D, started after the destination changes)" all "$STATE" "$T/out/e5-shell-d.records" \
	--connects "$CONNECTS"
report_records "$T/out/e5-shell-d.records"

# --- E6: log_disconnections off, then on again -------------------------------------------
LABEL=E6
section "E6: log_disconnections off and on"
off0=$LAST_OFF
alter_system log_disconnections off
LOGS_DISCONNECTIONS=0
open rails8 rails
open metabase8 metabase
short app_user production "$TCP" rails "select 1"
open metabase9 metabase
close_session metabase9
close_session rails8
close_session rails7
compare_views "E6.1 log_disconnections off" --honest
echo "#    E6.1: shell A's open count minus the server's: $off0 before log_disconnections went off, $LAST_OFF now"
# What 'list' says of this instance: it reads the settings, not the log.
list_says() {
	PGDATA=$DATA timeout 30 "$PGTAIL" list --json >"$T/out/list.json" 2>"$T/out/list.err"
	"$LIVE_PYTHON" -c '
import json, sys
for i in json.load(open(sys.argv[1]))["instances"]:
    if i.get("data_directory") == sys.argv[2]:
        st = i.get("settings") or {}
        w = [x.get("kind") for x in i.get("warnings") or []]
        print("log_disconnections=%s warnings=%s" % (json.dumps(st.get("log_disconnections")), ",".join(w) or "none"))
        break
else:
    print("instance not listed")' "$T/out/list.json" "$DATA" 2>&1
}
said=$(list_says)
echo "#    E6.1: pgtail list says of this instance: $said"
case $said in
*log_disconnections=false*connections_off*) pass "E6.1: 'pgtail list' warns that log_disconnections is off ($said)" ;;
*) fail "E6.1: 'pgtail list' warns that log_disconnections is off" "pgtail list: $said
$(head -c 600 "$T/out/list.json" "$T/out/list.err")" ;;
esac
alter_system log_disconnections on
LOGS_DISCONNECTIONS=1
open sidekiq6 sidekiq
open admin5 admin
short app_user analytics "$T" sidekiq "select 1"
close_session sidekiq6
close_session metabase8
compare_views "E6.2 log_disconnections on again" --honest
echo "#    E6.2: shell A's open count minus the server's: $LAST_OFF"
said=$(list_says)
case $said in
*log_disconnections=true*) pass "E6.2: 'pgtail list' sees log_disconnections on again ($said)" ;;
*) fail "E6.2: 'pgtail list' sees log_disconnections on again" "pgtail list: $said" ;;
esac

# --- findings that need a quiet server ----------------------------------------------------
section "findings 16, 13, 6, 12 and 7"
QUIET_FROM=$(date +%s)

# Finding 16: a log freshly rotated, before anything is written to it.
LABEL="finding 16"
logs=("$LOGDIR"/*.log)
newest=${logs[-1]##*/}
newest=${newest#postgresql-}
newest=${newest%%.*}
retry_until 5 clock_past "$newest"
before=$(find "$LOGDIR" -type f | wc -l)
pg_as "$PGBIN/pg_ctl" -D "$DATA" logrotate >"$T/pg_ctl.out" 2>&1
retry_until 10 log_files_more_than "$before"
logs=("$LOGDIR"/*.log)
fresh_log=${logs[-1]}
size=$(stat -c %s "$fresh_log")
timeout 60 "$PGTAIL" connections --json "$fresh_log" >"$T/out/f16.json" 2>"$T/out/f16.err"
rc=$?
if [ "$rc" = 0 ] && "$LIVE_PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out/f16.json" 2>/dev/null; then
	pass "finding 16: a freshly rotated log ($size bytes) gives valid --json, exit 0"
else
	fail "finding 16: a freshly rotated log ($size bytes) gives valid --json, exit 0" \
		"exit $rc
$(head -5 "$T/out/f16.json" "$T/out/f16.err")"
fi

# Finding 13: help lists the shell's own commands; help tail works.
fresh
line help
for c in tail stop clear quit; do
	if retry_until 5 shows_re "^  $c "; then pass "finding 13: help lists '$c'"; else
		fail "finding 13: help lists '$c'" "$(screen_tail 20)"; fi
done
fresh
line "help tail"
wait_for "finding 13: 'help tail' shows its usage" "Usage: tail"

# Finding 6: completion lists each name once, and --format='s values.
fresh
keys -l "connections --app="
keys Tab Tab
retry_until 5 shows "--app=rails"
for a in rails metabase sidekiq; do
	n=$(screen | grep -o -E -- "--app=$a( |\$)" | wc -l)
	check_eq "finding 6: Tab Tab after --app= lists '$a' once" 1 "$n"
done
fresh
keys -l "connections --format="
keys Tab Tab
for v in stderr csvlog jsonlog; do
	if retry_until 5 shows "--format=$v"; then pass "finding 6: Tab Tab after --format= offers $v"; else
		fail "finding 6: Tab Tab after --format= offers $v" "$(screen_tail 5)"; fi
done
keys C-u

# Also: a name with a space (psql's "my app", JDBC's "PostgreSQL JDBC
# Driver") completed with Tab must still be one word of the command.
fresh
keys -l "connections --app=nigh"
keys Tab
retry_until 5 shows "nightly"
completed=$(screen | grep -v '^$' | tail -1)
keys Enter
if retry_until 5 shows_re "Filter: application: nightly report|pgtail: " && shows "Filter: application: nightly report"; then
	pass "completion: Tab on --app=nigh gives a command that runs ($completed)"
else
	fail "completion: Tab on --app=nigh gives a command that runs" "completed to: $completed
screen:
$(screen_tail 4)"
fi

# Finding 12: ten seconds without a line, the summary says so.
quiet() {
	fresh
	line connections
	retry_until 5 shows "Active connections" && shows "(no new lines for "
}
retry_within 20 quiet
if shows "(no new lines for "; then
	pass "finding 12: on a quiet server 'connections' says: $(screen | grep -o '(no new lines for [^)]*)' | tail -1)"
else
	fail "finding 12: on a quiet server 'connections' says 'no new lines for'" \
		"quiet for $(($(date +%s) - QUIET_FROM)) s; screen:
$(screen_tail 8)"
fi

# Finding 7: the history of a fresh HOME (no ~/.local) is kept.
fresh
line quit
wait_for "finding 7: quit leaves the shell with status 0" "PGTAIL-EXITED 0"
hist=$T/home/.local/state/pgtail/history
if [ -s "$hist" ] && grep -q 'connections' "$hist"; then
	pass "finding 7: history is kept in ~/.local/state/pgtail/history on a fresh HOME"
else
	fail "finding 7: history is kept in ~/.local/state/pgtail/history on a fresh HOME" \
		"$(find "$T/home" 2>&1 | head)"
fi
$TM kill-session -t e 2>/dev/null
tm_start
retry_until 10 shows "pgtail>"
keys Up
wait_for "finding 7: a new shell recalls the last command with Up" "pgtail> quit"
keys C-u
line quit

# --- the end -------------------------------------------------------------------------------
for n in A B C D; do
	sh_cmd "$n" quit
	retry_until 10 sh_dead "$n"
	wait "${SH_PID[$n]}"
	check_eq "E: pipe shell $n quits with status 0" 0 $?
	fd=${SH_FD[$n]}
	exec {fd}>&-
	unset "SH_PID[$n]"
done
cluster_stop fast || fail "E: server stops" "$(cat "$T/pg_ctl.out")"
sessions_ended_by_shutdown
section "the end"
test_summary
