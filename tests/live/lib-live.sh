# SPDX-License-Identifier: PostgreSQL
# Helpers for the live suite: a throw-away PostgreSQL cluster, client sessions
# held open in the background, and the bookkeeping the comparisons need.
# Sourced by tests/live/run.sh (bash), after tests/lib/test-lib.sh.
#
# Bookkeeping.  Every session the suite opens is counted in CONNECTS; every
# session that ends with a "disconnection" line (the client closed it, or a
# fast shutdown terminated it) in DISCONNECTS; every session a crash killed in
# ENDED_BY_RESET; every refused attempt in FAILED[reason]; every attempt the
# client gave up during authentication in ABANDONED.  Sessions run
# through q() (one-shot psql, including the suite's own pg_stat_activity
# queries) count like any other: they are real sessions in the log.
#
# LIVE_PYTHON, when set, is the python3 that runs the raw client (a version
# manager's python3 is often a slow script that starts the real one).
#
# Sessions are waited for, never slept on: a held session reports its backend
# PID once it is ready, and a closed or one-shot session is finished only when
# its backend process has exited.

LIVE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

CONNECTS=0
DISCONNECTS=0
ENDED_BY_RESET=0
ABANDONED=0
ABANDONED_AT_MS=0
declare -A FAILED=()
declare -A SESS_CLIENT=() SESS_WRITER=() SESS_BACKEND=()
LIVE=()            # names of the held sessions that are open, in order
PORT=
TCP=127.0.0.1
PG_RUNNING=0

# --- the cluster --------------------------------------------------------------

# The newest installed server (Debian: /usr/lib/postgresql/VERSION/bin), else
# the one pg_config names.
live_find_pgbin() {
	local v best=
	v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)
	[ -n "$v" ] && [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && best=/usr/lib/postgresql/$v/bin
	if [ -z "$best" ] && command -v pg_config >/dev/null; then
		best=$(pg_config --bindir)
		[ -x "$best/initdb" ] || best=
	fi
	PGBIN=$best
	[ -n "$PGBIN" ]
}

# Run a server-side command as the postgres OS user when we are root
# (PostgreSQL refuses to run as root), from the temp dir it owns.
pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd "$T" && runuser -u postgres -- "$@")
	else
		(cd "$T" && "$@")
	fi
}

live_make_tmp() {
	if [ "$(id -u)" -eq 0 ]; then
		getent passwd postgres >/dev/null || return 1
		# /tmp, not $TMPDIR: the postgres user must be able to reach it.
		T=$(mktemp -d /tmp/pgtail-live.XXXXXX) || return 1
		chown postgres: "$T" || return 1
	else
		T=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-live.XXXXXX") || return 1
	fi
	mkdir "$T/s" "$T/out" && chmod 755 "$T/s" "$T/out" || return 1
	[ "${LIVE_KEEP:-0}" = 1 ] && echo "# LIVE_KEEP=1: keeping $T"
	# No ~/.pgpass: the suite gives each password it means to use.
	export PGPASSFILE="$T/no-pgpass"
}

port_busy() {
	if command -v ss >/dev/null; then
		[ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

pick_port() {
	local p i
	for i in $(seq 1 100); do
		p=$((20000 + RANDOM % 30000))
		[ -e "$T/.s.PGSQL.$p" ] && continue
		port_busy "$p" || { PORT=$p; return 0; }
	done
	return 1
}

cluster_initdb() {
	DATA=$T/data
	pg_as "$PGBIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C \
		--no-sync --no-instructions >"$T/initdb.log" 2>&1 || return 1
	cat >"$DATA/pg_hba.conf" <<-'EOF'
	local   all   all                       trust
	host    test  readonly   127.0.0.1/32   reject
	host    all   reporting  127.0.0.1/32   scram-sha-256
	host    all   all        127.0.0.1/32   trust
	EOF
	# Settings common to every scenario; live.conf holds the per-scenario part.
	cat >>"$DATA/postgresql.conf" <<-EOF
	listen_addresses = '127.0.0.1'
	unix_socket_directories = '$T'
	max_connections = 20
	shared_buffers = 16MB
	fsync = off
	logging_collector = on
	log_connections = on
	log_disconnections = on
	lc_messages = 'C'
	log_timezone = 'UTC'
	include_if_exists = 'port.conf'
	include = 'live.conf'
	EOF
	[ "$(id -u)" -eq 0 ] && chown postgres: "$DATA/pg_hba.conf" "$DATA/postgresql.conf"
	return 0
}

# cluster_configure LOGDIR PREFIX DESTINATION: where and how the server logs.
cluster_configure() {
	LOGDIR=$1
	printf "log_directory = '%s'\nlog_line_prefix = '%s'\nlog_destination = '%s'\n" \
		"$1" "$2" "$3" >"$T/live.conf.new"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$T/live.conf.new"
	mv "$T/live.conf.new" "$DATA/live.conf"
}

# Start the server, on a new free port if none was chosen or it is taken.
cluster_start() {
	local try
	for try in 1 2 3 4 5 6; do
		if [ -z "$PORT" ] || [ "$try" -gt 1 ]; then
			pick_port || return 1
		fi
		printf 'port = %s\n' "$PORT" >"$T/port.conf.new"
		[ "$(id -u)" -eq 0 ] && chown postgres: "$T/port.conf.new"
		mv "$T/port.conf.new" "$DATA/port.conf"
		if pg_as "$PGBIN/pg_ctl" -D "$DATA" -l "$T/pg_ctl.log" -w -t 60 start \
			>"$T/pg_ctl.out" 2>&1; then
			PG_RUNNING=1
			return 0
		fi
	done
	return 1
}

cluster_stop() {
	pg_as "$PGBIN/pg_ctl" -D "$DATA" -m "${1:-fast}" -w -t 60 stop >"$T/pg_ctl.out" 2>&1
	local rc=$?
	PG_RUNNING=0
	return $rc
}

cluster_restart_fast() {
	pg_as "$PGBIN/pg_ctl" -D "$DATA" -l "$T/pg_ctl.log" -m fast -w -t 60 restart \
		>"$T/pg_ctl.out" 2>&1 && PG_RUNNING=1
}

# log_count TEXT: how many records in the current log directory contain TEXT.
log_count() {
	cat "$LOGDIR"/* 2>/dev/null | grep -c -F -- "$1"
}

log_count_is() { [ "$(log_count "$1")" -eq "$2" ]; }
log_count_at_least() { [ "$(log_count "$1")" -ge "$2" ]; }

live_cleanup() {
	local n
	for n in "${!SESS_WRITER[@]}"; do kill -KILL "${SESS_WRITER[$n]}" 2>/dev/null; done
	for n in "${!SESS_CLIENT[@]}"; do kill -KILL "${SESS_CLIENT[$n]}" 2>/dev/null; done
	if [ "$PG_RUNNING" = 1 ] || [ -f "${DATA:-/nonexistent}/postmaster.pid" ]; then
		pg_as "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w -t 30 stop >/dev/null 2>&1
	fi
	wait 2>/dev/null
	if [ -n "${T:-}" ] && [ -d "$T" ]; then
		[ "${LIVE_KEEP:-0}" = 1 ] || rm -rf "$T"
	fi
}

# --- clients -------------------------------------------------------------------

# psql_cmd USER DB HOST APP PASSWORD [psql args...]; HOST is $T (the unix
# socket) or $TCP.  An empty APP leaves psql's default, "psql".
psql_cmd() {
	local user=$1 db=$2 host=$3 app=$4 pw=$5
	shift 5
	env ${app:+"PGAPPNAME=$app"} ${pw:+"PGPASSWORD=$pw"} \
		"$PGBIN/psql" -X -w -q -At -v ON_ERROR_STOP=1 \
		-h "$host" -p "$PORT" -U "$user" -d "$db" "$@"
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# q USER DB HOST APP SQL...: a one-shot session (one psql, each SQL a -c).
# Output in $T/q.out.  Waits until the session's backend has exited.
q() {
	local user=$1 db=$2 host=$3 app=$4 args=() s pid
	shift 4
	for s in "$@"; do args+=(-c "$s"); done
	if ! psql_cmd "$user" "$db" "$host" "$app" "" -c 'select pg_backend_pid()' "${args[@]}" \
		>"$T/q.raw" 2>"$T/q.err"; then
		# It may have connected before the statement failed.
		pid=$(head -1 "$T/q.raw")
		if [ -n "$pid" ]; then
			CONNECTS=$((CONNECTS + 1)) DISCONNECTS=$((DISCONNECTS + 1))
			retry_until 10 pid_gone "$pid"
		fi
		return 1
	fi
	pid=$(head -1 "$T/q.raw")
	tail -n +2 "$T/q.raw" >"$T/q.out"
	CONNECTS=$((CONNECTS + 1)) DISCONNECTS=$((DISCONNECTS + 1))
	retry_until 10 pid_gone "$pid"
}

# short USER DB HOST APP SQL...: a one-shot session that must succeed.
short() {
	q "$@" || fail "$LABEL: one-shot session $1@$2 (app '$4')" "$(cat "$T/q.err")"
}

session_settled() {
	[ -s "$T/s/$1.out" ] || ! kill -0 "${SESS_CLIENT[$1]}" 2>/dev/null
}

# open_session NAME KIND USER DB HOST APP [PASSWORD]: hold a session open in
# the background.  KIND is psql, or raw (no application_name at all), or
# from:ADDR (the raw client with application_name APP, connecting to HOST
# from the local address ADDR, so that the server sees another client host).  The
# client reads its input from a fifo whose only writer is a sleep: killing
# that sleep is the client's end of input, and it closes the session.
open_session() {
	local name=$1 kind=$2 user=$3 db=$4 host=$5 app=${6:-} pw=${7:-} fifo
	fifo=$T/s/$name.in
	rm -f "$fifo" "$T/s/$name.out" "$T/s/$name.err"
	mkfifo "$fifo" || return 1
	if [ "$kind" = raw ]; then
		"${LIVE_PYTHON:-python3}" "$LIVE_DIR/rawclient.py" "$host" "$PORT" "$user" "$db" \
			<"$fifo" >"$T/s/$name.out" 2>"$T/s/$name.err" &
	elif [ "${kind#from:}" != "$kind" ]; then
		"${LIVE_PYTHON:-python3}" "$LIVE_DIR/rawclient.py" "$host" "$PORT" "$user" "$db" \
			--source "${kind#from:}" --app "$app" \
			<"$fifo" >"$T/s/$name.out" 2>"$T/s/$name.err" &
	else
		psql_cmd "$user" "$db" "$host" "$app" "$pw" \
			<"$fifo" >"$T/s/$name.out" 2>"$T/s/$name.err" &
	fi
	SESS_CLIENT[$name]=$!
	if [ "$kind" != psql ]; then
		exec sleep 600 >"$fifo" 2>/dev/null &
	else
		{ printf 'select pg_backend_pid();\n'; exec sleep 600; } >"$fifo" 2>/dev/null &
	fi
	SESS_WRITER[$name]=$!
	retry_until 20 session_settled "$name"
	local pid
	pid=$(head -1 "$T/s/$name.out" 2>/dev/null)
	case $pid in
	'' | *[!0-9]*)
		fail "$LABEL: open session $name ($user@$db via $host, app '$app')" \
			"$(cat "$T/s/$name.err" 2>/dev/null)"
		end_client "$name"
		return 1
		;;
	esac
	SESS_BACKEND[$name]=$pid
	LIVE+=("$name")
	CONNECTS=$((CONNECTS + 1))
	return 0
}

# Stop a held session's client (end of input) and forget it.
end_client() {
	kill "${SESS_WRITER[$1]}" 2>/dev/null
	wait "${SESS_WRITER[$1]}" 2>/dev/null
	retry_until 10 pid_gone "${SESS_CLIENT[$1]}"
	wait "${SESS_CLIENT[$1]}" 2>/dev/null
	unset "SESS_WRITER[$1]" "SESS_CLIENT[$1]"
	local n keep=()
	for n in "${LIVE[@]}"; do [ "$n" = "$1" ] || keep+=("$n"); done
	LIVE=("${keep[@]}")
}

# close_session NAME: the client ends the session; wait for its backend to exit.
close_session() {
	local pid=${SESS_BACKEND[$1]}
	end_client "$1"
	retry_until 10 pid_gone "$pid" || fail "$LABEL: session $1 (backend $pid) ended"
	DISCONNECTS=$((DISCONNECTS + 1))
}

# terminate_session NAME: pg_terminate_backend() from a one-shot session; the
# backend logs a FATAL and its disconnection.
terminate_session() {
	local pid=${SESS_BACKEND[$1]}
	q postgres postgres "$T" "" "select pg_terminate_backend($pid)" ||
		fail "$LABEL: pg_terminate_backend($pid)" "$(cat "$T/q.err")"
	retry_until 10 pid_gone "$pid" || fail "$LABEL: session $1 (backend $pid) terminated"
	DISCONNECTS=$((DISCONNECTS + 1))
	end_client "$1"
}

# burst N USER DB [APP...]: N one-shot sessions at the same time, alternating
# between TCP and the socket and among the APPs, so that their log lines
# interleave.
burst() {
	local n=$1 user=$2 db=$3 i host app pids=() pid ok=0
	shift 3
	local apps=("$@")
	[ ${#apps[@]} -eq 0 ] && apps=(psql)
	for i in $(seq 1 "$n"); do
		host=$TCP
		[ $((i % 2)) -eq 0 ] && host=$T
		app=${apps[$((i % ${#apps[@]}))]}
		psql_cmd "$user" "$db" "$host" "$app" "" -c 'select pg_backend_pid()' \
			-c 'select pg_sleep(0.2)' >"$T/burst.$i.out" 2>"$T/burst.$i.err" &
		pids+=($!)
	done
	for i in $(seq 1 "$n"); do
		if wait "${pids[$((i - 1))]}"; then
			ok=$((ok + 1))
		fi
		pid=$(head -1 "$T/burst.$i.out")
		case $pid in '' | *[!0-9]*) continue ;; esac
		CONNECTS=$((CONNECTS + 1)) DISCONNECTS=$((DISCONNECTS + 1))
		retry_until 10 pid_gone "$pid"
	done
	check_eq "$LABEL: $n concurrent one-shot sessions succeed" "$n" "$ok"
}

# rotate_log: pg_rotate_logfile() into a new file.  File names have one-second
# resolution (a rotation within the same second appends to the same file), so
# first wait for the clock to pass the newest file's time stamp.
clock_past() { [[ "$(date -u +%Y-%m-%d_%H%M%S)" > "$1" ]]; }
log_files_more_than() { [ "$(ls "$LOGDIR" | wc -l)" -gt "$1" ]; }
rotate_log() {
	local newest before
	newest=$(ls "$LOGDIR" | sort | tail -1)
	newest=${newest#postgresql-}
	newest=${newest%%.*}
	before=$(ls "$LOGDIR" | wc -l)
	retry_until 5 clock_past "$newest"
	q postgres postgres "$T" "" "select pg_rotate_logfile()" ||
		fail "$LABEL: pg_rotate_logfile()" "$(cat "$T/q.err")"
	if retry_until 10 log_files_more_than "$before"; then
		pass "$LABEL: the log rotates into a new file"
	else
		fail "$LABEL: the log rotates into a new file" "$(ls -l "$LOGDIR")"
	fi
}

# crash_backend NAME: SIGKILL the session's backend.  The postmaster ends
# every other backend (no disconnection lines) and reinitializes; wait until
# it is ready again.
crash_backend() {
	local ready
	ready=$(log_count 'database system is ready to accept connections')
	kill -KILL "${SESS_BACKEND[$1]}"
	if retry_until 60 log_count_at_least 'database system is ready to accept connections' \
		$((ready + 1)); then
		pass "$LABEL: server is back after a backend crash"
	else
		bail "$LABEL: server is back after a backend crash" "$(tail -20 "$LOGDIR"/*)"
	fi
	sessions_killed_by_crash
}

# After a crash every held session is gone, with no line in the log.
sessions_killed_by_crash() {
	local n
	for n in "${LIVE[@]}"; do
		ENDED_BY_RESET=$((ENDED_BY_RESET + 1))
		end_client "$n"
	done
}

# After a fast shutdown every held session was terminated and logged its
# disconnection.
sessions_ended_by_shutdown() {
	local n
	for n in "${LIVE[@]}"; do
		DISCONNECTS=$((DISCONNECTS + 1))
		end_client "$n"
	done
}

# attempt REASON MESSAGE USER DB HOST APP [PASSWORD]: a connection attempt the
# server must refuse with MESSAGE; counted in FAILED[REASON].
attempt() {
	local reason=$1 msg=$2 user=$3 db=$4 host=$5 app=$6 pw=${7:-} where
	where="via unix socket"
	[ "$host" = "$TCP" ] && where="via $TCP"
	if psql_cmd "$user" "$db" "$host" "$app" "$pw" -c 'select pg_backend_pid()' \
		>"$T/q.raw" 2>"$T/q.err"; then
		CONNECTS=$((CONNECTS + 1)) DISCONNECTS=$((DISCONNECTS + 1))
		retry_until 10 pid_gone "$(head -1 "$T/q.raw")"
		fail "$LABEL: $reason attempt ($user@$db $where) is refused" "it connected"
		return 1
	fi
	FAILED[$reason]=$((${FAILED[$reason]:-0} + 1))
	if grep -q -F -- "$msg" "$T/q.err"; then
		pass "$LABEL: $reason attempt ($user@$db $where) is refused"
	else
		fail "$LABEL: $reason attempt ($user@$db $where) is refused" \
			"expected: $msg
actual:   $(cat "$T/q.err")"
	fi
}

# abandon USER DB: over TCP without a password to a role that needs one; the
# client hangs up at the password request, leaving only "connection received".
abandon() {
	if psql_cmd "$1" "$2" "$TCP" psql "" -c 'select 1' >/dev/null 2>"$T/q.err"; then
		fail "$LABEL: $1@$2 without a password is given up" "it connected"
		return 1
	fi
	ABANDONED=$((ABANDONED + 1))
	ABANDONED_AT_MS=$(date +%s%3N)
	if grep -q 'no password supplied' "$T/q.err"; then
		pass "$LABEL: $1@$2 without a password is given up at the password request"
	else
		fail "$LABEL: $1@$2 without a password is given up at the password request" \
			"$(cat "$T/q.err")"
	fi
}

failed_list() {
	local k out=
	for k in "${!FAILED[@]}"; do out="$out$k=${FAILED[$k]},"; done
	printf '%s' "$out"
}

reset_counters() {
	CONNECTS=0 DISCONNECTS=0 ENDED_BY_RESET=0 ABANDONED=0
	FAILED=()
}

# --- comparing with pgtail --------------------------------------------------------

# The server's own view of the client sessions, named as pgtail names them.
STATE_SQL="
with a as (
  select datname as db, usename as usr,
         coalesce(nullif(application_name, ''), 'unknown') as app,
         coalesce(host(client_addr), '[local]') as host
  from pg_stat_activity
  where backend_type = 'client backend' and pid <> pg_backend_pid()
)
select json_build_object(
  'active', (select count(*) from a),
  'by_database', (select coalesce(json_object_agg(db, n), '{}') from
                   (select db, count(*) as n from a group by db) s),
  'by_user', (select coalesce(json_object_agg(usr, n), '{}') from
               (select usr, count(*) as n from a group by usr) s),
  'by_application', (select coalesce(json_object_agg(app, n), '{}') from
                      (select app, count(*) as n from a group by app) s),
  'by_host', (select coalesce(json_object_agg(host, n), '{}') from
               (select host, count(*) as n from a group by host) s))"

# Turn compare.py's records into pass/fail lines.
report_records() {
	local line name='' detail=''
	while IFS= read -r line; do
		case $line in
		' '*) detail="$detail${detail:+
}${line# }" ;;
		*)
			[ -n "$name" ] && fail "$name" "$detail"
			name='' detail=''
			case $line in
			'ok '*) pass "${line#ok }" ;;
			'FAIL '*) name=${line#FAIL } ;;
			*) printf '%s\n' "$line" ;;
			esac
			;;
		esac
	done <"$1"
	[ -n "$name" ] && fail "$name" "$detail"
	return 0
}

# pgtail counts a bare "connection received" as abandoned only once the log
# has gone on for more than a second without it (the client may still be
# answering the password request).  With %t the log's times are whole
# seconds, so the comparison waits until two seconds have passed.
abandon_settled() { [ "$(date +%s%3N)" -gt $((ABANDONED_AT_MS + 2100)) ]; }

# check_state LABEL [compare.py options...]: compare pgtail's view of the
# current log directory (only its *.LOGEXT files when LOGEXT is set) with
# pg_stat_activity and the suite's counters.
check_state() {
	local label=$1 f files
	shift
	retry_until 5 abandon_settled
	f=$T/out/$(printf '%s' "$label" | tr -c 'A-Za-z0-9_-' '_')
	if ! q postgres postgres "$T" pgtail-live-check "$STATE_SQL"; then
		fail "$label: pg_stat_activity query" "$(cat "$T/q.err")"
		return 1
	fi
	cp "$T/q.out" "$f.state.json"
	# Everything the suite did is in the log once the last session's
	# disconnection (this query's) is: the backends wrote their lines first.
	if ! retry_until 20 log_count_is 'disconnection: session time' "$DISCONNECTS"; then
		fail "$label: the log caught up" \
			"expected $DISCONNECTS disconnection records, found $(log_count 'disconnection: session time')"
	fi
	if [ -n "${LOGEXT:-}" ]; then files=("$LOGDIR"/*."$LOGEXT"); else files=("$LOGDIR"); fi
	timeout 60 "$PGTAIL" connections --json "${files[@]}" >"$f.pgtail.json" 2>"$f.pgtail.err"
	local rc=$?
	if [ $rc -eq 0 ]; then
		pass "$label: pgtail connections --json exits 0"
	else
		fail "$label: pgtail connections --json exits 0" "exit $rc
$(head -20 "$f.pgtail.err")"
	fi
	local same=()
	if [ -n "${LOGEXT:-}" ]; then
		# The directory also holds the near-empty stderr file; pgtail
		# must pick the one destination on its own.
		timeout 60 "$PGTAIL" connections --json "$LOGDIR" >"$f.dir.json" 2>"$f.dir.err"
		same=(--same-as "$f.dir.json")
	fi
	if ! python3 "$LIVE_DIR/compare.py" "$label" "$f.state.json" "$f.pgtail.json" \
		--connects "$CONNECTS" --disconnects "$DISCONNECTS" --failed "$(failed_list)" \
		--ended-by-reset "$ENDED_BY_RESET" --abandoned "$ABANDONED" "${same[@]}" "$@" >"$f.records" 2>&1; then
		fail "$label: compare.py runs" "$(tail -20 "$f.records")"
		return 1
	fi
	report_records "$f.records"
	# Records pgtail skipped: what it said of them (file and line).
	if grep -q '"skipped": [1-9]' "$f.pgtail.json"; then
		sed 's/^/     pgtail said: /' "$f.pgtail.err" | head -12
	fi
}

# --- more hosts and settings (the everyday suite) -----------------------------------

# cluster_trust_host ADDR: every role may connect without a password from
# ADDR (another loopback address: open_session from:ADDR).  Call after
# cluster_initdb.
cluster_trust_host() {
	printf 'host    all   all        %s/32   trust\n' "$1" >>"$DATA/pg_hba.conf"
}

# log_has_pid_line TEXT PID: a record of backend PID containing TEXT is in the
# log directory, in any of its formats (stderr, csvlog, jsonlog).
log_has_pid_line() {
	cat "$LOGDIR"/* 2>/dev/null | grep -F -- "$1" | grep -q -w -- "$2"
}

# retry_within SECONDS COMMAND...: retry_until for a COMMAND that waits with
# retry_until itself (whose deadline is one global variable).
retry_within() {
	local deadline=$(($(date +%s) + $1))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
	return 0
}

# setting_is NAME VALUE: a new session sees the setting NAME as VALUE.
setting_is() {
	q postgres postgres "$T" "" "show $1" && [ "$(cat "$T/q.out")" = "$2" ]
}

# alter_system NAME VALUE: ALTER SYSTEM SET NAME = 'VALUE', reload, and wait
# until new sessions see it.
alter_system() {
	q postgres postgres "$T" "" "alter system set $1 = '$2'" "select pg_reload_conf()" ||
		{ fail "$LABEL: alter system set $1 = '$2'" "$(cat "$T/q.err")"; return 1; }
	retry_within 10 setting_is "$1" "$2" ||
		{ fail "$LABEL: $1 becomes '$2'" "$(cat "$T/q.out" "$T/q.err")"; return 1; }
}

# --- suites whose server runs in a mount namespace of its own --------------------

# Give up on this suite, still ending with the tally line.  (A suite may
# define its own.)
bail() {
	fail "$1" "${2:-}"
	test_summary
	exit 1
}

# live_ns_suite_start: what such a suite needs first -- pgtail, root, the
# right to 'unshare -m', the server's binaries, a temporary directory -- and
# a client environment of its own (nothing from the caller's, no TLS/GSS
# negotiation).  Bails out when something is missing.
live_ns_suite_start() {
	[ -x "$PGTAIL" ] || bail "pgtail binary at $PGTAIL" "set PGTAIL or build it first"
	[ "$(id -u)" -eq 0 ] || bail "runs as root" "the server's mount namespace needs root"
	unshare -m true 2>/dev/null || bail "'unshare -m' is permitted"
	live_find_pgbin || bail "PostgreSQL server binaries are installed"
	live_make_tmp || bail "temporary directory for the cluster" "the postgres OS user must exist"
	unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE \
		PGSERVICEFILE PGOPTIONS PGAPPNAME PGSSLMODE PGREQUIRESSL PGTARGETSESSIONATTRS
	export PGSSLMODE=disable PGGSSENCMODE=disable PGCONNECT_TIMEOUT=10 LC_ALL=C
}

# live_cleanup_daemon PID: live_cleanup, with the logger daemon the suite
# started (rsyslogd, systemd-journald; PID may be empty) stopped first: the
# cleanup waits for the suite's children, and the daemon may be one.
live_cleanup_daemon() {
	if [ -n "$1" ]; then
		kill "$1" 2>/dev/null
		retry_until 10 pid_gone "$1"
	fi
	live_cleanup
}

# live_small_schema: the roles and database the namespace suites' workload
# uses -- app_user, reporting (password $SECRET) and production.
SECRET=reporting-secret
live_small_schema() {
	q postgres postgres "$T" "" \
		"create role app_user login" \
		"create role reporting login password '$SECRET'" \
		"create database production" ||
		bail "roles and databases created" "$(cat "$T/q.err")"
}
