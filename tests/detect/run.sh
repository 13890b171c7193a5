#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Detection tests: "pgtail list" on fake file-system layouts (the hidden
# --root option), then against a private PostgreSQL server this suite starts
# (logging collector on, a rotation, a stop, then collector off with
# pg_ctl -l), which list must show with its data directory, port, status
# and current log file.
#
#   PGTAIL=build/pgtail tests/detect/run.sh
#
# Runs as a normal user or as root (the server then runs as the postgres OS
# user).  LIVE_KEEP=1 keeps the server's temporary directory.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh
. tests/live/lib-live.sh
. tests/detect/fake-layout.sh

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
LABEL=detect
F=

cleanup() {
	live_cleanup
	[ -n "$F" ] && rm -rf "$F"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$PGTAIL" ] || bail "pgtail binary at $PGTAIL" "set PGTAIL or build it first"
"$PGTAIL" list --root=/nonexistent >/dev/null 2>&1 || bail "pgtail has the list command"
F=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-detect.XXXXXX") || bail "temporary directory"

# jget FILE PYTHON-EXPRESSION: a value from a JSON file (d is the document).
jget() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# block DATADIR FILE: the lines of list's output about the instance in DATADIR.
block() {
	awk -v d="  $1" '
		length($0) >= length(d) && substr($0, length($0) - length(d) + 1) == d { on = 1; print; next }
		on && /^ / { print; next }
		{ on = 0 }' "$2"
}

# --- fake layouts ----------------------------------------------------------------

mkdir "$F/empty"
env -u PGDATA HOME=/nonexistent "$PGTAIL" list --root="$F/empty" >"$F/empty.out" 2>&1
check_eq "fake: list with nothing to find exits 0" 0 $?
if grep -q '^No PostgreSQL instances found\.$' "$F/empty.out" && grep -q 'PGDATA' "$F/empty.out"; then
	pass "fake: list with nothing to find says so, with hints"
else
	fail "fake: list with nothing to find says so, with hints" "$(cat "$F/empty.out")"
fi

# A data directory whose settings cannot be read (here: none at all): the
# port and the log location are unknown, and list says so instead of
# guessing 5432 and "logging_collector is off".
mkdir -p "$F/blind/srv/blind"
echo 15 >"$F/blind/srv/blind/PG_VERSION"
env -u HOME PGDATA=/srv/blind "$PGTAIL" list --root="$F/blind" >"$F/blind.out" 2>&1
if grep -q '^1  PostgreSQL 15  port ?  stopped  /srv/blind$' "$F/blind.out" &&
	grep -q "where it logs is unknown" "$F/blind.out" &&
	! grep -q "logging_collector is off" "$F/blind.out"; then
	pass "fake: unreadable settings show the port and log location as unknown"
else
	fail "fake: unreadable settings show the port and log location as unknown" "$(cat "$F/blind.out")"
fi

"$PGTAIL" list --frobnicate >/dev/null 2>"$F/usage.err"
check_eq "fake: list with an unknown option exits 2" 2 $?

mkdir "$F/root"
fake_debian "$F/root"
fake_collector "$F/root"
env HOME=/home/dev PGDATA=/srv/pgdata "$PGTAIL" list --root="$F/root" >"$F/actual" 2>"$F/err"
check_eq "fake: list exits 0" 0 $?
check_eq "fake: list writes nothing to stderr" "" "$(cat "$F/err")"
cat >"$F/expect" <<'EOF'
1  PostgreSQL 16  port 5440  running (pid 4242)  /srv/pg/data
   log: /srv/pg/data/log/postgresql-2026-01-02_000000.log (stderr, prefix '%m [%p] ')
   log: /srv/pg/data/log/postgresql-2026-01-02_000000.csv (csvlog)
   older: 1 file (postgresql-2026-01-01_000000.log)
   warning: log_connections and log_disconnections are off: pgtail cannot see every connect and disconnect; as a superuser, run:
        ALTER SYSTEM SET log_connections = on;
        ALTER SYSTEM SET log_disconnections = on;
        SELECT pg_reload_conf();
2  PostgreSQL 15  port 5433  stopped  /var/lib/postgresql/15/main
   config: /etc/postgresql/15/main/postgresql.conf (cluster 15/main)
   log: /var/log/postgresql/postgresql-15-main.log (stderr, prefix '%m [%p] %q%u@%d ')
   older: 2 files (postgresql-15-main.log.1, postgresql-15-main.log.2.gz)
EOF
check_cmp "fake: Debian cluster and collector instance, text" "$F/expect" "$F/actual"

env HOME=/home/dev PGDATA=/srv/pgdata "$PGTAIL" list --json --root="$F/root" >"$F/json" 2>"$F/err"
check_eq "fake: list --json exits 0" 0 $?
check_eq "fake: --json has two instances" 2 "$(jget "$F/json" 'len(d["instances"])')"
check_eq "fake: --json running instance" "running 4242 5440 ['process', 'PGDATA']" \
	"$(jget "$F/json" '" ".join(str(x) for x in [d["instances"][0][k] for k in ("status", "pid", "port", "found_by")])')"
check_eq "fake: --json log destinations" "stderr csvlog" \
	"$(jget "$F/json" '" ".join(l["destination"] for l in d["instances"][0]["logs"])')"
check_eq "fake: --json fix lines" "ALTER SYSTEM SET log_connections = on;" \
	"$(jget "$F/json" 'd["instances"][0]["warnings"][0]["fix"][0]')"
check_eq "fake: --json Debian older files" \
	"/var/log/postgresql/postgresql-15-main.log.1 /var/log/postgresql/postgresql-15-main.log.2.gz" \
	"$(jget "$F/json" '" ".join(d["instances"][1]["older_logs"])')"
check_eq "fake: --json Debian settings" "False 15/main %m [%p] %q%u@%d " \
	"$(jget "$F/json" '"%s %s %s" % (d["instances"][1]["settings"]["logging_collector"], d["instances"][1]["cluster"], d["instances"][1]["settings"]["log_line_prefix"])')"

# log_destination 'syslog': list says where the records go and how to read them.
mkdir "$F/sroot"
fake_put "$F/sroot" /srv/sl/PG_VERSION "15\n"
fake_put "$F/sroot" /srv/sl/postgresql.conf \
	"log_destination = 'syslog'\nsyslog_ident = 'pg-main'\nlog_connections = on\nlog_disconnections = on\n"
fake_put "$F/sroot" /var/log/syslog "\n"
env HOME=/home/dev PGDATA=/srv/sl "$PGTAIL" list --root="$F/sroot" >"$F/actual" 2>"$F/err"
check_eq "fake: syslog destination, its facility and ident" 1 \
	"$(grep -c "syslog (facility local0, ident 'pg-main')" "$F/actual")"
check_eq "fake: syslog destination, how to read it" 1 \
	"$(grep -c "pgtail connections --ident=pg-main /var/log/syslog" "$F/actual")"
check_eq "fake: syslog destination, the journal with --journal --ident" 1 \
	"$(tr '\n' ' ' <"$F/actual" | sed 's/  */ /g' | grep -c "pgtail connections --journal --ident=pg-main")"

# A systemd service without the collector: its standard error (fd 2, a
# socket) is the journal's stream; list names the unit and how to read it.
mkdir "$F/jroot"
fake_put "$F/jroot" /srv/jd/PG_VERSION "16\n"
fake_put "$F/jroot" /srv/jd/postgresql.conf "log_connections = on\nlog_disconnections = on\n"
fake_put "$F/jroot" /srv/jd/postmaster.pid "4300\n/srv/jd\n1767312000\n5432\n/tmp\n*\n"
fake_put "$F/jroot" /proc/4300/stat "4300 (postgres) S 1 4300 4300 0 -1\n"
fake_put "$F/jroot" /proc/4300/cmdline "/usr/lib/postgresql/16/bin/postgres\0-D\0/srv/jd\0"
fake_put "$F/jroot" /proc/4300/cgroup "0::/system.slice/postgresql@16-main.service\n"
mkdir -p "$F/jroot/proc/4300/fd"
ln -s 'socket:[48213]' "$F/jroot/proc/4300/fd/2"
fake_put "$F/jroot" /proc/1/stat "1 (init) S 0 1 1 0 -1\n"
env HOME=/home/dev "$PGTAIL" list --root="$F/jroot" >"$F/actual" 2>"$F/err"
check_eq "fake: journal service, how to read it" 1 \
	"$(tr '\n' ' ' <"$F/actual" | sed 's/  */ /g' |
		grep -c "systemd journal (postgresql@16-main.service): read it with 'pgtail connections --journal --unit=postgresql@16-main.service'")"
env HOME=/home/dev "$PGTAIL" list --json --root="$F/jroot" >"$F/json" 2>"$F/err"
check_eq "fake: journal service, --json" "postgresql@16-main.service journal" \
	"$(jget "$F/json" 'd["instances"][0]["journal_unit"] + " " + d["instances"][0]["warnings"][0]["kind"]')"

# Who may read an unreadable log: run as another user (as root: nobody).
# nobody runs a copy of pgtail in a directory it may enter: the build
# directory may be inside a checkout only root can enter.
reader=
chmod 755 "$F"
mkdir -p "$F/bin"
cp "$PGTAIL" "$F/bin/pgtail"
chmod 755 "$F/bin" "$F/bin/pgtail"
if [ "$(id -u)" -ne 0 ]; then
	reader=self
elif getent passwd nobody >/dev/null && getent passwd postgres >/dev/null &&
	getent group adm >/dev/null && runuser -u nobody -- "$F/bin/pgtail" --version >/dev/null 2>&1; then
	reader=nobody
else
	fail "fake: an unreadable log names who can read it" \
		"cannot run pgtail as nobody with a log owned by postgres:adm (users nobody and postgres, group adm, runuser): $(runuser -u nobody -- "$F/bin/pgtail" --version 2>&1 | head -3)"
fi
if [ -n "$reader" ]; then
	log=$F/root/var/log/postgresql/postgresql-15-main.log
	chmod 755 "$F" "$F/root"
	if [ "$reader" = nobody ]; then
		chown postgres:adm "$log"
		chmod 640 "$log"
		expect="not readable: owned by postgres:adm, mode 0640 — run as postgres or add yourself to group adm"
		runuser -u nobody -- env HOME=/home/dev PGDATA=/srv/pgdata "$F/bin/pgtail" list --root="$F/root" \
			>"$F/perm.out" 2>&1
	else
		chmod 000 "$log"
		expect="not readable: owned by $(id -un):$(id -gn), mode 0000 — only root can read it"
		env HOME=/home/dev PGDATA=/srv/pgdata "$PGTAIL" list --root="$F/root" >"$F/perm.out" 2>&1
	fi
	got=$(grep -A1 '^   log: /var/log/postgresql/postgresql-15-main.log ' "$F/perm.out" | sed -n '2s/^ *//p')
	check_eq "fake: an unreadable log names who can read it" "$expect" "$got"
	chmod 644 "$log"
fi

# --- a real server ---------------------------------------------------------------

command -v python3 >/dev/null || bail "python3 is installed"
live_find_pgbin || bail "PostgreSQL server binaries are installed" \
	"no /usr/lib/postgresql/*/bin/initdb (Debian: apt-get install postgresql)"
live_make_tmp || bail "temporary directory for the cluster" \
	"as root, the postgres OS user must exist"
unset PGDATA PGHOST PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS
export PGSSLMODE=disable PGGSSENCMODE=disable PGCONNECT_TIMEOUT=10

cluster_initdb || bail "initdb" "$(tail -20 "$T/initdb.log")"
cluster_configure log '%m [%p] ' stderr
cluster_start || bail "the server starts" "$(cat "$T/pg_ctl.out" "$T/pg_ctl.log" 2>/dev/null | tail -20)"
D=$(realpath "$DATA")
TR=$(realpath "$T")
VER=$(cat "$DATA/PG_VERSION")

# current_stderr: the stderr file current_logfiles names, as a full path.
current_stderr() { printf '%s/%s' "$D" "$(sed -n 's/^stderr //p' "$DATA/current_logfiles")"; }

# list_check NAME EXPECTED-HEADER EXPECTED-LOG-LINE
list_check() {
	"$PGTAIL" list >"$T/out/list" 2>"$T/out/list.err"
	check_eq "$1: list exits 0" 0 $?
	# The number depends on the other instances of this machine.
	block "$D" "$T/out/list" | sed '1s/^[0-9]* */N  /' >"$T/out/block"
	check_eq "$1: list shows the server" "$2" "$(head -1 "$T/out/block")"
	check_eq "$1: list shows its log" "$3" "$(grep '^   log: ' "$T/out/block" | head -1)"
}

pid=$(head -1 "$DATA/postmaster.pid")
retry_until 10 test -s "$DATA/current_logfiles" || fail "live: the collector writes current_logfiles"
first=$(current_stderr)
list_check "live, collector" "N  PostgreSQL $VER  port $PORT  running (pid $pid)  $D" \
	"   log: $first (stderr, prefix '%m [%p] ')"
if grep -q 'log_connections' "$T/out/block"; then
	fail "live, collector: no warning with log_connections on" "$(cat "$T/out/block")"
else
	pass "live, collector: no warning with log_connections on"
fi

"$PGTAIL" list --json >"$T/out/list.json" 2>/dev/null
check_eq "live, collector: --json" "running $pid $PORT $first" \
	"$(jget "$T/out/list.json" '" ".join(str(x) for i in d["instances"] if i["data_directory"] == "'"$D"'" for x in (i["status"], i["pid"], i["port"], i["logs"][0]["path"]))')"

# An instance is named by its port or data directory too, not only by a
# number that changes when another instance starts or stops.
for by in "$PORT" "$D"; do
	"$PGTAIL" connections --json --instance="$by" >"$T/out/inst.json" 2>"$T/out/inst.err"
	rc=$?
	check_eq "live: connections --instance=${by##*/} reads that instance" "0 True" \
		"$rc $(jget "$T/out/inst.json" 'd["files"] >= 1')"
done
"$PGTAIL" connections --instance=1 "$first" >/dev/null 2>"$T/out/inst.err"
check_eq "live: --instance and a PATH together are refused" 2 $?
"$PGTAIL" connections --instance=64999 >/dev/null 2>"$T/out/inst.err"
rc=$?
if [ $rc = 2 ] && grep -q "no instance '64999'" "$T/out/inst.err"; then
	pass "live: an unknown port is refused with its name"
else
	fail "live: an unknown port is refused with its name" "exit $rc: $(cat "$T/out/inst.err")"
fi

# Rotation: file names have one-second resolution, so wait for the clock first.
stamp=$(basename "$first" .log)
stamp=${stamp#postgresql-}
retry_until 5 clock_past "$stamp"
q postgres postgres "$T" "" "select pg_rotate_logfile()" || fail "live: pg_rotate_logfile()" "$(cat "$T/q.err")"
rotated() { [ "$(current_stderr)" != "$first" ]; }
if retry_until 10 rotated; then
	pass "live, rotated: current_logfiles names a new file"
else
	fail "live, rotated: current_logfiles names a new file" "$(cat "$DATA/current_logfiles")"
fi
second=$(current_stderr)
list_check "live, rotated" "N  PostgreSQL $VER  port $PORT  running (pid $pid)  $D" \
	"   log: $second (stderr, prefix '%m [%p] ')"
grep -q "^   older: 1 file ($(basename "$first"))\$" "$T/out/block" &&
	pass "live, rotated: the previous file is an older file" ||
	fail "live, rotated: the previous file is an older file" "$(cat "$T/out/block")"

cluster_stop || fail "live: the server stops" "$(cat "$T/pg_ctl.out")"
# pg_ctl returns once postmaster.pid is gone; the postmaster itself may
# live a moment longer (long enough, on a loaded machine, for list to see
# it running).
gone() { ! kill -0 "$pid" 2>/dev/null; }
retry_until 10 gone || fail "live: the postmaster exits after pg_ctl stop" "pid $pid"
# Stopped, nothing but PGDATA leads to a data directory in a temporary place.
export PGDATA=$DATA
list_check "live, stopped" "N  PostgreSQL $VER  port $PORT  stopped  $D" \
	"   log: $second (stderr, prefix '%m [%p] ')"

unset PGDATA
# Without the collector the log is the postmaster's standard error (pg_ctl -l).
printf 'logging_collector = off\n' >>"$DATA/live.conf"
cluster_start || bail "the server starts without the collector" "$(tail -20 "$T/pg_ctl.log")"
pid=$(head -1 "$DATA/postmaster.pid")
if [ "$(id -u)" -eq 0 ] || [ -O "$DATA" ]; then
	list_check "live, no collector" "N  PostgreSQL $VER  port $PORT  running (pid $pid)  $D" \
		"   log: $TR/pg_ctl.log (stderr, prefix '%m [%p] ')"
fi

test_summary
