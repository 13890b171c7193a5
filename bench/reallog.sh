#!/usr/bin/env bash
# SPDX-License-Identifier: PostgreSQL
#
# Real benchmark logs: start a throw-away PostgreSQL server (initdb in a
# temporary directory, its own port and socket, as tests/live does), drive it
# with pgbench until its stderr log is TARGET_MB large, and keep the three logs
# it wrote of the same events (stderr, csvlog, jsonlog) in a cache directory.
#
# Traffic, per round of ROUND_S seconds, all at once:
#   - CHURN_CLIENTS pgbench -C -S clients as role "churn": a new connection
#     for every transaction, over TCP (connection received / authorized /
#     disconnection lines, no statement lines);
#   - STMT_CLIENTS pgbench -S clients as role "app" on database "app", whose
#     role has log_min_duration_statement = 0 (ALTER ROLE ... SET), so every
#     statement is logged with its duration, as on a real server; their rate
#     is capped at STMT_RATE transactions per second in all, which sets the
#     share of connection lines;
#   - one failed login (a database that does not exist) per round.
# Server settings: the default log_line_prefix ('%m [%p] '), logging_collector
# on, log_connections and log_disconnections on, log_destination
# 'stderr,csvlog,jsonlog', no rotation (one file per format).
#
# Usage: bench/reallog.sh            prints the cache directory holding
#                                    postgresql.log, postgresql.csv,
#                                    postgresql.json and truth.txt
# The logs are made only when that directory does not exist yet; its name is
# made from the parameters below, so changing one makes new logs.
# Environment (defaults in brackets):
#   TARGET_MB [420]     stop once the stderr log is at least this large (MB)
#   ROUND_S [60]        length of one pgbench round
#   CHURN_CLIENTS [2]   pgbench -C clients
#   STMT_CLIENTS [2]    pgbench -S clients with statement logging
#   STMT_RATE [1500]    their total transactions per second (pgbench -R)
#   SCALE [10]          pgbench -i scale
#   SERVER_LANG [C]     the server's lc_messages: C, or a language of
#                       PostgreSQL's catalogs (de, ja, ru, ...); the counts
#                       below then look for its translated texts
#   PGTAIL_BENCH_CACHE  cache root [${XDG_CACHE_HOME:-~/.cache}/pgtail-bench]
#   PGBIN               PostgreSQL binaries [newest /usr/lib/postgresql/*/bin]
set -euo pipefail

# Bump when the way the logs are made changes (it is part of the cache key).
LAYOUT=1
TARGET_MB=${TARGET_MB:-420}
ROUND_S=${ROUND_S:-60}
CHURN_CLIENTS=${CHURN_CLIENTS:-2}
STMT_CLIENTS=${STMT_CLIENTS:-2}
STMT_RATE=${STMT_RATE:-1500}
SCALE=${SCALE:-10}
SERVER_LANG=${SERVER_LANG:-C}
CACHE=${PGTAIL_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pgtail-bench}

KEY="real-v$LAYOUT-${TARGET_MB}mb-r${ROUND_S}-churn${CHURN_CLIENTS}-stmt${STMT_CLIENTS}x${STMT_RATE}-s$SCALE"
[ "$SERVER_LANG" = C ] || KEY="$KEY-$SERVER_LANG"
TSV=$(cd "$(dirname "$0")/.." && pwd)/data/translations/pg15.tsv
OUT=$CACHE/$KEY
if [ -s "$OUT/truth.txt" ]; then
	echo "$OUT"
	exit 0
fi

say() { printf '== %s\n' "$*" >&2; }

if [ -z "${PGBIN:-}" ]; then
	v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)
	PGBIN=/usr/lib/postgresql/$v/bin
fi
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pgbench" ] ||
	{ echo "reallog: no PostgreSQL server with pgbench (set PGBIN)" >&2; exit 1; }

# PostgreSQL refuses to run as root: run the server side as "postgres" then,
# from a directory it owns.
if [ "$(id -u)" -eq 0 ]; then
	T=$(mktemp -d /tmp/pgtail-reallog.XXXXXX)
	chown postgres: "$T"
	as_pg() { (cd "$T" && runuser -u postgres -- "$@"); }
else
	T=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-reallog.XXXXXX")
	as_pg() { (cd "$T" && "$@"); }
fi
RUNNING=0
cleanup() {
	[ "$RUNNING" = 1 ] && as_pg "$PGBIN/pg_ctl" -D "$T/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so that the EXIT trap stops the server

say "initdb in $T"
as_pg "$PGBIN/initdb" -D "$T/data" -U postgres -A trust -E UTF8 --locale=C \
	--no-sync --no-instructions >"$T/initdb.log" 2>&1
as_pg mkdir "$T/log"
cat >>"$T/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$T'
max_connections = 40
shared_buffers = 16MB
fsync = off
synchronous_commit = off
logging_collector = on
log_destination = 'stderr,csvlog,jsonlog'
log_directory = '$T/log'
log_filename = 'postgresql.log'
log_rotation_age = 0
log_rotation_size = 0
log_connections = on
log_disconnections = on
lc_messages = 'C'
log_timezone = 'UTC'
EOF

# tr_msg MSGID: its text in SERVER_LANG (the msgid itself for C, or when
# the catalog has none).
tr_msg() {
	[ "$SERVER_LANG" = C ] && { printf '%s\n' "$1"; return; }
	awk -F '\t' -v l="$SERVER_LANG" -v id="$1" 'BEGIN { t = id }
		$1 == l && $2 == id { t = $3 } END { print t }' "$TSV"
}
SERVER_ENV=()
if [ "$SERVER_LANG" != C ]; then
	# lc_messages needs a locale of the language's name that accepts
	# LC_MESSAGES; C.UTF-8's messages category under that name will do (see
	# tests/live/lang.sh).  The server runs with a UTF-8 LC_CTYPE, so that
	# gettext writes the letters, not '?'.
	case $SERVER_LANG in
	ja) loc=ja_JP ;; ka) loc=ka_GE ;; ko) loc=ko_KR ;; sv) loc=sv_SE ;;
	uk) loc=uk_UA ;; zh_CN) loc=zh_CN ;;
	*) loc=${SERVER_LANG}_$(printf '%s' "$SERVER_LANG" | tr a-z A-Z) ;;
	esac
	mkdir -p "$T/locale/$loc.UTF-8/LC_MESSAGES"
	cp /usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES "$T/locale/$loc.UTF-8/LC_MESSAGES/"
	chmod -R a+rX "$T/locale"
	SERVER_ENV=(env LOCPATH="$T/locale" LC_ALL=C.UTF-8)
	echo "lc_messages = '$loc.UTF-8'" >>"$T/data/postgresql.conf"
fi

port_busy() { [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]; }
for try in 1 2 3 4 5 6; do
	PORT=$((20000 + RANDOM % 30000))
	port_busy "$PORT" && continue
	printf 'port = %s\n' "$PORT" >"$T/port.conf"
	chown --reference="$T" "$T/port.conf"
	grep -q port.conf "$T/data/postgresql.conf" ||
		echo "include = '$T/port.conf'" >>"$T/data/postgresql.conf"
	if as_pg "${SERVER_ENV[@]}" "$PGBIN/pg_ctl" -D "$T/data" -l "$T/pg_ctl.log" -w -t 60 start >/dev/null 2>&1; then
		RUNNING=1
		break
	fi
done
[ "$RUNNING" = 1 ] || { echo "reallog: the server did not start" >&2; cat "$T/pg_ctl.log" >&2; exit 1; }

export PGHOST=$T PGPORT=$PORT PGPASSFILE=$T/no-pgpass
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -U postgres -d postgres \
	-c "create role churn login" \
	-c "create role app login" \
	-c "alter role app set log_min_duration_statement = 0" \
	-c "create database churn owner churn" \
	-c "create database app owner app"
say "pgbench -i -s $SCALE"
for db in churn app; do
	"$PGBIN/pgbench" -q -i -s "$SCALE" -U "$db" "$db" >"$T/init-$db.log" 2>&1
done
LOG=$T/log/postgresql.log
# The log of the set-up is part of the file (a real log has a start too).

rounds=0 failed=0
start=$(date +%s)
while [ "$(stat -c %s "$LOG")" -lt $((TARGET_MB * 1000000)) ]; do
	rounds=$((rounds + 1))
	"$PGBIN/pgbench" -n -S -C -c "$CHURN_CLIENTS" -j "$CHURN_CLIENTS" -T "$ROUND_S" \
		-h 127.0.0.1 -U churn churn >"$T/churn.out" 2>&1 &
	churn=$!
	"$PGBIN/pgbench" -n -S -c "$STMT_CLIENTS" -j "$STMT_CLIENTS" -T "$ROUND_S" -R "$STMT_RATE" \
		-U app app >"$T/stmt.out" 2>&1 &
	stmt=$!
	sleep $((ROUND_S / 2))
	if psql -h 127.0.0.1 -U churn -d nosuchdb -c 'select 1' >/dev/null 2>"$T/failed.err"; then
		echo "reallog: the login to nosuchdb did not fail" >&2
		exit 1
	fi
	failed=$((failed + 1))
	wait "$churn" || { cat "$T/churn.out" >&2; exit 1; }
	wait "$stmt" || { cat "$T/stmt.out" >&2; exit 1; }
	say "round $rounds: $(($(stat -c %s "$LOG") / 1000000)) MB," \
		"$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$T/churn.out") connections/s," \
		"$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$T/stmt.out") statements/s"
done
seconds=$(($(date +%s) - start))
as_pg "$PGBIN/pg_ctl" -D "$T/data" -m fast -w -t 60 stop >/dev/null
RUNNING=0

# ------------------------------------------------------------- ground truth
# Counted on the stderr log, as the server wrote it.  A login to a database
# that does not exist is authorized first and refused after, so the sessions
# made are the authorized ones less those refusals.
say "counting"
n_lines=$(wc -l <"$LOG")
# (in another language: the text before the message's first argument)
start_of() { tr_msg "$1" | sed 's/%.*//'; }
if [ "$SERVER_LANG" = C ]; then
	n_received=$(grep -c 'LOG:  connection received: ' "$LOG")
	n_authorized=$(grep -c 'connection authorized' "$LOG")
	n_refused=$(grep -c 'FATAL:  database "nosuchdb" does not exist' "$LOG")
	n_disconnections=$(grep -c 'LOG:  disconnection: session time: ' "$LOG")
	n_statements=$(grep -c 'LOG:  duration: .* ms  statement: ' "$LOG")
else
	n_received=$(grep -c -F "$(start_of 'connection received: host=%s port=%s')" "$LOG")
	n_authorized=$(grep -c -F "$(start_of 'connection authorized: user=%s')" "$LOG")
	n_refused=$(grep -c -F "$(tr_msg 'database "%s" does not exist' | sed 's/%s/nosuchdb/')" "$LOG")
	n_disconnections=$(grep -c -F "$(start_of 'disconnection: session time: %d:%02d:%02d.%03d user=%s database=%s host=%s%s%s')" "$LOG")
	n_statements=$(grep -c -F "$(tr_msg 'duration: %s ms  statement: %s' |
		sed 's/^[^%]*%s//; s/%s.*//')" "$LOG")
fi
conn_lines=$((n_received + n_authorized + n_disconnections + n_refused))
size() { stat -c %s "$1"; }

TMP_OUT=$OUT.tmp.$$
mkdir -p "$TMP_OUT"
mv "$T/log/postgresql.log" "$T/log/postgresql.csv" "$T/log/postgresql.json" "$TMP_OUT/"
{
	echo "# made by bench/reallog.sh ($KEY) on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "server=$("$PGBIN/postgres" --version)"
	echo "rounds=$rounds"
	echo "seconds=$seconds"
	echo "stderr_bytes=$(size "$TMP_OUT/postgresql.log")"
	echo "csvlog_bytes=$(size "$TMP_OUT/postgresql.csv")"
	echo "jsonlog_bytes=$(size "$TMP_OUT/postgresql.json")"
	echo "stderr_lines=$n_lines"
	echo "csvlog_lines=$(wc -l <"$TMP_OUT/postgresql.csv")"
	echo "jsonlog_lines=$(wc -l <"$TMP_OUT/postgresql.json")"
	echo "connection_received=$n_received"
	echo "connection_authorized=$n_authorized"
	echo "refused_nosuchdb=$n_refused"
	echo "disconnections=$n_disconnections"
	echo "statement_lines=$n_statements"
	echo "failed_logins_made=$failed"
	# what pgtail must report as connects
	echo "connects=$((n_authorized - n_refused))"
	awk -v c="$conn_lines" -v n="$n_lines" \
		'BEGIN { printf "connection_line_share=%.2f%%\n", 100 * c / n }'
	awk -v b="$(size "$TMP_OUT/postgresql.log")" -v n="$n_lines" \
		'BEGIN { printf "stderr_bytes_per_line=%.1f\n", b / n }'
} >"$TMP_OUT/truth.txt"
rm -rf "$OUT"
mv "$TMP_OUT" "$OUT"
cat "$OUT/truth.txt" >&2
echo "$OUT"
