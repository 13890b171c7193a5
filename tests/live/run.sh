#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Live tests: start a private PostgreSQL server, open and close real sessions,
# make refused attempts, crash a backend, restart, and check after each step
# that "pgtail connections --json" on the server's own log agrees with
# pg_stat_activity and with what the suite did.
#
#   PGTAIL=build/pgtail tests/live/run.sh
#
# Scenario A uses the default log_line_prefix; scenario B repeats a smaller
# check with the Debian and pgBadger prefixes, an empty prefix, csvlog and
# jsonlog.  Runs as a normal user, or as root (the server then runs as the
# postgres OS user).  LIVE_KEEP=1 keeps the temporary directory.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh
. tests/live/lib-live.sh

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
LABEL=live

trap live_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Give up on this suite (still ending with the tally line).
[ -x "$PGTAIL" ] || bail "pgtail binary at $PGTAIL" "set PGTAIL or build it first"
command -v python3 >/dev/null || bail "python3 is installed"
live_find_pgbin || bail "PostgreSQL server binaries are installed" \
	"no /usr/lib/postgresql/*/bin/initdb (Debian: apt-get install postgresql)"
live_make_tmp || bail "temporary directory for the cluster" \
	"as root, the postgres OS user must exist"

# Client side: nothing from the caller's environment, no TLS/GSS negotiation.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE \
	PGSERVICEFILE PGOPTIONS PGAPPNAME PGSSLMODE PGREQUIRESSL PGTARGETSESSIONATTRS
export PGSSLMODE=disable PGGSSENCMODE=disable PGCONNECT_TIMEOUT=10 LC_ALL=C

cluster_initdb || bail "initdb" "$(tail -20 "$T/initdb.log")"

SECRET=reporting-secret

# --- Scenario A: default prefix, stderr ------------------------------------------

LABEL=A
cluster_configure "$T/log-A" '%m [%p] ' stderr
LOGEXT=
cluster_start || bail "A: server starts" "$(tail -20 "$T/pg_ctl.log" "$T/pg_ctl.out")"
pass "A: server starts (PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), port $PORT)"

if q postgres postgres "$T" "" \
	"create role app_user login" \
	"create role readonly login connection limit 2" \
	"create role reporting login password '$SECRET'" \
	"create database production" \
	"create database analytics connection limit 3" \
	"create database test"; then
	pass "A: roles and databases created"
else
	bail "A: roles and databases created" "$(cat "$T/q.err")"
fi

# libpq hangs up when asked for a password it does not have.
abandon reporting production

# Long-lived sessions, over the socket and TCP.
open_session a1 psql app_user production "$TCP" rails
open_session a2 psql app_user production "$TCP" rails
open_session a3 psql app_user production "$T" sidekiq
open_session a4 psql readonly analytics "$TCP" "my app"
open_session a5 psql readonly analytics "$T" "my app"
open_session a6 psql reporting analytics "$TCP" myapp "$SECRET"
open_session a7 psql postgres test "$T" ""
open_session a8 raw app_user test "$TCP"

# Short sessions.
short app_user production "$TCP" rails "select 1"
short app_user test "$T" psql "select 1"
short postgres production "$T" "my app" "select count(*) from pg_class"
open_session a9 psql reporting production "$TCP" "my app" "$SECRET"
close_session a9

# Sessions that began in one file end in the next.
rotate_log

# Some long-lived sessions end; one is ended by the administrator.
close_session a2
close_session a3
terminate_session a7

# Lines of concurrent sessions interleave.
burst 8 app_user production rails sidekiq "my app" psql

# Refused attempts.  analytics now holds 3 sessions (its limit), readonly 2.
attempt database_does_not_exist 'database "nosuchdb" does not exist' \
	app_user nosuchdb "$T" psql
attempt role_does_not_exist 'role "ghost" does not exist' \
	ghost production "$TCP" psql
attempt password_authentication_failed 'password authentication failed for user "reporting"' \
	reporting production "$TCP" myapp wrong-password
attempt pg_hba_reject 'pg_hba.conf rejects connection' \
	readonly test "$TCP" psql
attempt role_connection_limit 'too many connections for role "readonly"' \
	readonly production "$TCP" "my app"
attempt database_connection_limit 'too many connections for database "analytics"' \
	app_user analytics "$T" rails

open_session a10 psql app_user test "$T" myapp

check_state "A: sessions, closes and refusals"

# A backend dies of SIGKILL: the postmaster ends every other backend (no
# disconnection lines) and reinitializes.  Only later sessions are open.
crash_backend a1
open_session c1 psql app_user production "$TCP" rails
open_session c2 psql readonly analytics "$T" "my app"
open_session c3 raw postgres production "$T"
short app_user production "$TCP" sidekiq "select 1"

check_state "A: after a backend crash"

# Fast restart: every session is terminated (with its disconnection line);
# the new server writes a new log file.
if cluster_restart_fast; then
	pass "A: fast restart"
else
	bail "A: fast restart" "$(cat "$T/pg_ctl.out"; tail -20 "$T/pg_ctl.log")"
fi
sessions_ended_by_shutdown
open_session r1 psql app_user production "$T" sidekiq
open_session r2 psql reporting production "$TCP" "my app" "$SECRET"
open_session r3 psql readonly analytics "$TCP" "my app"
open_session r4 raw app_user analytics "$TCP"

check_state "A: after a fast restart"

# --- Scenario B: other prefixes and destinations --------------------------------

# b_scenario NAME PREFIX DESTINATION EXT [BEST_EFFORT_KEYS]: a fresh log
# directory, a server start, a smaller workload and a comparison, then a
# backend crash and a second comparison.  EXT names the files pgtail reads
# (csv, json); without it pgtail reads the directory.
b_scenario() {
	local name=$1 prefix=$2 dest=$3 ext=$4 best=${5:-}
	LABEL="B/$name"
	cluster_stop fast || bail "$LABEL: server stops" "$(cat "$T/pg_ctl.out")"
	sessions_ended_by_shutdown
	reset_counters
	cluster_configure "$T/log-$name" "$prefix" "$dest"
	LOGEXT=$ext
	cluster_start || bail "$LABEL: server starts" "$(tail -20 "$T/pg_ctl.log" "$T/pg_ctl.out")"

	abandon reporting analytics
	open_session b1 psql app_user production "$TCP" rails
	open_session b2 psql app_user production "$TCP" rails
	open_session b3 psql readonly analytics "$T" "my app"
	open_session b4 psql reporting analytics "$TCP" myapp "$SECRET"
	open_session b5 raw app_user test "$TCP"
	short app_user production "$TCP" psql "select 1"
	close_session b2
	burst 4 app_user test rails sidekiq
	attempt database_does_not_exist 'database "nosuchdb" does not exist' \
		app_user nosuchdb "$TCP" psql
	attempt password_authentication_failed 'password authentication failed for user "reporting"' \
		reporting production "$TCP" myapp wrong-password
	attempt pg_hba_reject 'pg_hba.conf rejects connection' \
		readonly test "$TCP" psql
	open_session b6 psql postgres test "$T" sidekiq

	check_state "$LABEL" ${best:+--best-effort "$best"}

	# The crash lines must be recognised in this format too.
	crash_backend b1
	open_session b7 psql reporting production "$TCP" "my app" "$SECRET"
	open_session b8 raw app_user analytics "$T"
	check_state "$LABEL after a backend crash" ${best:+--best-effort "$best"}
}

b_scenario debian '%m [%p] %q%u@%d ' stderr ""
b_scenario pgbadger '%t [%p]: user=%u,db=%d,app=%a,client=%h ' stderr ""
# Without PIDs a tool can only pair lines by their content: the open count,
# databases and users must hold; the rest is reported, not judged.
b_scenario empty-prefix '' stderr "" \
	by_application,by_host,connects,disconnects,failed,failed_by_reason,ended_by_reset,unmatched_disconnects,abandoned
b_scenario csvlog '%m [%p] ' csvlog csv
b_scenario jsonlog '%m [%p] ' jsonlog json

cluster_stop fast || fail "server stops at the end" "$(cat "$T/pg_ctl.out")"
sessions_ended_by_shutdown

test_summary
