#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Live translations: one PostgreSQL server writing stderr, csvlog and jsonlog
# at once, its lc_messages switched (ALTER SYSTEM, reload) through every
# language its catalogs ship, the log rotated at each switch.  In each
# language: sessions held open with application names, one-shot sessions,
# refusals (wrong password, no such database, no such role, role and
# database connection limits, a pg_hba reject) and, in one language, a
# backend killed with SIGKILL (crash and restart).  Then "pgtail connections
# --json" on that language's stderr, csvlog and jsonlog file must agree
# with pg_stat_activity and with the attempts made, and name the language;
# at the end the whole directory, every language mixed in each
# destination's files, must too.
#
#   PGTAIL=build/pgtail tests/live/lang.sh [LANG...]
#
# The server needs an OS locale of each language's name for lc_messages
# (see "locales" below: one of our own, without locale-gen).  Not tested here: the
# max_connections and reserved-slot refusals (they need a server full of
# sessions; the unit tests read their translated texts).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh
. tests/live/lib-live.sh

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
LABEL=lang
LANGS=("$@")
[ ${#LANGS[@]} -eq 0 ] && LANGS=(de es fr it ja ka ko ru sv uk zh_CN)
CRASH_LANG=ru
TSV=$PWD/data/translations/pg15.tsv
PY=${LIVE_PYTHON:-python3}

trap live_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$PGTAIL" ] || bail "pgtail binary at $PGTAIL" "set PGTAIL or build it first"
live_find_pgbin || bail "PostgreSQL server binaries are installed"
[ "$("$PGBIN/postgres" -V | sed 's/[^0-9]*\([0-9]*\).*/\1/')" = 15 ] ||
	bail "the server is PostgreSQL 15" "the suite knows 15's catalogs: $("$PGBIN/postgres" -V)"
live_make_tmp || bail "temporary directory for the cluster" "the postgres OS user must exist"
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE \
	PGOPTIONS PGAPPNAME PGSSLMODE PGREQUIRESSL PGTARGETSESSIONATTRS
export PGSSLMODE=disable PGGSSENCMODE=disable PGCONNECT_TIMEOUT=10 LC_ALL=C

# The OS locale of a catalog's language.
os_locale() {
	case $1 in
	ka) echo ka_GE.UTF-8 ;;
	ko) echo ko_KR.UTF-8 ;;
	ja) echo ja_JP.UTF-8 ;;
	sv) echo sv_SE.UTF-8 ;;
	uk) echo uk_UA.UTF-8 ;;
	zh_CN) echo zh_CN.UTF-8 ;;
	*) echo "$1_$(echo "$1" | tr a-z A-Z).UTF-8" ;;
	esac
}

# --- locales ----------------------------------------------------------------------
# lc_messages must name a locale setlocale(LC_MESSAGES, ...) accepts, and
# gettext takes the language from that name.  The category needs nothing of
# the language itself: a locale holding only C.UTF-8's LC_MESSAGES, under
# the language's name, in a directory of our own (LOCPATH), does -- no
# locale-gen, no localedef, nothing system-wide.  Locales the system has are
# used as they are.

SYS_MSGS=
for d in /usr/lib/locale/C.utf8 /usr/lib/locale/C.UTF-8; do
	[ -f "$d/LC_MESSAGES/SYS_LC_MESSAGES" ] && SYS_MSGS=$d/LC_MESSAGES/SYS_LC_MESSAGES && break
done
[ -n "$SYS_MSGS" ] || bail "the C.UTF-8 locale is installed" "libc-bin ships it"
mkdir -p "$T/locale"
have=$(locale -a 2>/dev/null | tr 'A-Z' 'a-z' | sed 's/utf8/utf-8/')
made=0
for l in "${LANGS[@]}"; do
	loc=$(os_locale "$l")
	printf '%s\n' "$have" | grep -qx "$(printf '%s' "$loc" | tr 'A-Z' 'a-z')" && continue
	mkdir -p "$T/locale/$loc/LC_MESSAGES" &&
		cp "$SYS_MSGS" "$T/locale/$loc/LC_MESSAGES/" || bail "locale $loc made"
	made=$((made + 1))
done
chmod -R a+rX "$T/locale"
pass "a locale for each of ${#LANGS[@]} languages ($made made for LC_MESSAGES alone)"
cluster_initdb || bail "initdb" "$(tail -20 "$T/initdb.log")"

cat >>"$DATA/postgresql.conf" <<-EOF
log_filename = 'postgresql-%Y-%m-%d_%H%M%S.log'
log_rotation_age = 0
log_rotation_size = 0
EOF
cluster_configure "$T/log" '%m [%p] %q%u@%d ' 'stderr,csvlog,jsonlog'
# The postmaster takes LC_CTYPE from its environment, and gettext converts
# its messages to that character set: C would turn every non-ASCII letter
# into '?' (a real server runs in its system's UTF-8 locale).
# LOCPATH for the server only: glibc's setlocale() keeps what it read of it
# (LeakSanitizer would take that for pgtail's leak).
LC_ALL=C.UTF-8 LOCPATH=$T/locale cluster_start || bail "server starts" "$(cat "$T/pg_ctl.log" "$T/pg_ctl.out" 2>/dev/null | tail -20)"
pass "PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') writes stderr, csvlog and jsonlog"

q postgres postgres "$T" "" \
	"create role app_user login" \
	"create role reporting login password 'secret'" \
	"create role limited login connection limit 0" \
	"create role readonly login" \
	"create database production" \
	"create database test" \
	"create database limdb connection limit 0" ||
	bail "roles and databases created" "$(cat "$T/q.err")"

TOTAL_CONNECTS=0 TOTAL_DISCONNECTS=0 TOTAL_RESET=0
declare -A TOTAL_FAILED=()

# tr_text LANG MSGID: the start of MSGID's text in LANG, up to its first
# argument (English when the catalog has none), for waiting on the log.
tr_text() {
	awk -F '\t' -v l="$1" -v id="$2" 'BEGIN { t = id }
		$1 == l && $2 == id { t = $3 }
		END { sub(/%.*/, "", t); print t }' "$TSV"
}
DISC_ID="disconnection: session time: %d:%02d:%02d.%03d user=%s database=%s host=%s%s%s"
READY_ID="database system is ready to accept connections"

# rotate: a new file for each destination, by pg_ctl logrotate (a session
# calling pg_rotate_logfile() would end in the new file).  File names have
# one-second resolution: first wait for the clock to pass the newest one's.
rotate() {
	local stamp before
	stamp=$(newest log)
	stamp=${stamp##*/postgresql-}
	stamp=${stamp%%.*}
	before=$(ls "$LOGDIR" | wc -l)
	retry_until 5 clock_past "$stamp"
	pg_as "$PGBIN/pg_ctl" -D "$DATA" logrotate >"$T/pg_ctl.out" 2>&1 ||
		fail "$LABEL: pg_ctl logrotate" "$(cat "$T/pg_ctl.out")"
	retry_until 10 log_files_more_than $((before + 2)) ||
		fail "$LABEL: the log rotates into new files" "$(ls -l "$LOGDIR")"
}

# The newest file of each destination.
newest() { ls -t "$LOGDIR"/*."$1" | head -1; }

# stderr_count TEXT: records of the current stderr file containing TEXT.
stderr_count_is() { [ "$(grep -c -F -- "$1" "$CUR_LOG")" -eq "$2" ]; }

fold_totals() {
	local k
	TOTAL_CONNECTS=$((TOTAL_CONNECTS + CONNECTS))
	TOTAL_DISCONNECTS=$((TOTAL_DISCONNECTS + DISCONNECTS))
	TOTAL_RESET=$((TOTAL_RESET + ENDED_BY_RESET))
	for k in "${!FAILED[@]}"; do
		TOTAL_FAILED[$k]=$((${TOTAL_FAILED[$k]:-0} + FAILED[$k]))
	done
}

# check_lang LABEL LANG FILE...: pgtail on each FILE against pg_stat_activity
# and this language's counters; the summary names LANG first.
check_lang() {
	local label=$1 lang=$2 f out
	shift 2
	if ! q postgres postgres "$T" pgtail-live-check "$STATE_SQL"; then
		fail "$label: pg_stat_activity query" "$(cat "$T/q.err")"
		return 1
	fi
	cp "$T/q.out" "$T/out/$label.state.json"
	retry_until 20 stderr_count_is "$DISC" "$DISCONNECTS" ||
		fail "$label: the log caught up" \
			"expected $DISCONNECTS '$DISC' lines, found $(grep -c -F -- "$DISC" "$CUR_LOG")"
	for f in "$@"; do
		out=$T/out/$label.${f##*.}
		timeout 60 "$PGTAIL" connections --json "$f" >"$out.json" 2>"$out.err" ||
			fail "$label ${f##*.}: pgtail connections --json exits 0" "$(head "$out.err")"
		"$PY" "$LIVE_DIR/compare.py" "$label ${f##*.}" "$T/out/$label.state.json" \
			"$out.json" --connects "$CONNECTS" --disconnects "$DISCONNECTS" \
			--failed "$(failed_list)" --ended-by-reset "$ENDED_BY_RESET" \
			--abandoned 0 --best-effort complete >"$out.records" 2>&1 ||
			fail "$label: compare.py runs" "$(tail "$out.records")"
		report_records "$out.records"
		check_eq "$label ${f##*.}: the summary names the language" "$lang" \
			"$(jq -r '.languages[0] // "none"' "$out.json" 2>&1)"
	done
}

# --- each language ------------------------------------------------------------------

for l in "${LANGS[@]}"; do
	LABEL=$l
	fold_totals # the last language's, or the set-up's
	reset_counters
	alter_system lc_messages "$(os_locale "$l")" || continue
	rotate
	fold_totals # the sessions alter_system made are in the old files
	reset_counters
	CUR_LOG=$(newest log)
	DISC=$(tr_text "$l" "$DISC_ID")

	open_session "web-$l" psql app_user production "$TCP" "web $l" || continue
	open_session "batch-$l" psql app_user postgres "$T" "batch-$l"
	open_session "report-$l" psql reporting production "$TCP" "report-$l" secret
	short postgres postgres "$TCP" "oneshot-$l" "select 1"
	attempt password_authentication_failed "" reporting production "$TCP" psql wrong
	attempt database_does_not_exist "" app_user nosuchdb "$T" psql
	attempt role_does_not_exist "" ghost postgres "$T" psql
	attempt role_connection_limit "" limited postgres "$T" psql
	attempt database_connection_limit "" app_user limdb "$T" psql
	attempt pg_hba_reject "" readonly test "$TCP" psql
	close_session "batch-$l"
	if [ "$l" = "$CRASH_LANG" ]; then
		# Wait on the log, not by connecting: an attempt during the
		# restart is refused, a failure the suite would have to count.
		ready=$(tr_text "$l" "$READY_ID")
		open_session "victim-$l" psql app_user production "$T" "victim-$l"
		kill -KILL "${SESS_BACKEND[victim-$l]}"
		back() { [ "$(grep -c -F -- "$ready" "$CUR_LOG")" -ge 1 ]; }
		if retry_until 60 back; then
			pass "$l: the server is back after a backend crash"
		else
			bail "$l: the server is back after a backend crash" "$(tail -20 "$CUR_LOG")"
		fi
		sessions_killed_by_crash
		open_session "web2-$l" psql app_user production "$TCP" "web $l"
	fi
	check_lang "$l" "$l" "$CUR_LOG" "$(newest csv)" "$(newest json)"
	for s in "${LIVE[@]}"; do close_session "$s"; done
done

# --- every language at once: the directory ------------------------------------------

LABEL=all
fold_totals
reset_counters
CONNECTS=$TOTAL_CONNECTS DISCONNECTS=$TOTAL_DISCONNECTS ENDED_BY_RESET=$TOTAL_RESET
for k in "${!TOTAL_FAILED[@]}"; do FAILED[$k]=${TOTAL_FAILED[$k]}; done
n0=$(grep -c -F -- "$DISC" "$CUR_LOG")
if ! q postgres postgres "$T" pgtail-live-check "$STATE_SQL"; then
	fail "all: pg_stat_activity query" "$(cat "$T/q.err")"
else
	cp "$T/q.out" "$T/out/all.state.json"
	retry_until 20 stderr_count_is "$DISC" $((n0 + 1)) || fail "all: the log caught up"
	for ext in log csv json; do
		timeout 120 "$PGTAIL" connections --json "$LOGDIR"/*."$ext" >"$T/out/all.$ext.json" \
			2>"$T/out/all.$ext.err" ||
			fail "all $ext: pgtail connections --json exits 0" "$(head "$T/out/all.$ext.err")"
		"$PY" "$LIVE_DIR/compare.py" "all languages $ext" "$T/out/all.state.json" \
			"$T/out/all.$ext.json" --connects "$CONNECTS" --disconnects "$DISCONNECTS" \
			--failed "$(failed_list)" --ended-by-reset "$ENDED_BY_RESET" \
			>"$T/out/all.$ext.records" 2>&1
		report_records "$T/out/all.$ext.records"
		n=$(jq '.languages | length' "$T/out/all.$ext.json" 2>&1)
		check_eq "all languages $ext: the summary names every language and English" \
			"$((${#LANGS[@]} + 1))" "$n"
	done
fi

cluster_stop
test_summary
