#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Hostile input: pgtail keeps going where it can, names file:line of what
# it skipped on stderr, counts it in "skipped" of --json, and exits 1 only
# when nothing usable was read (2 for usage errors).
#   PGTAIL=/abs/path/to/pgtail tests/robust/run.sh

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/test-lib.sh"

PGTAIL=${PGTAIL:-$PWD/build/pgtail}
FIX=$HERE/../fixtures/default-prefix/postgresql-2026-11-29_004152
T=$(mktemp -d)
chmod 755 "$T"
BG_PIDS=
cleanup() {
	for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 1

# run OUT ERR ARGS...: run pgtail, stdout to OUT, stderr to ERR; sets RC.
# A run that has not finished in 60 s is killed (RC 124): a hang is a bug.
run() {
	_o=$1 _e=$2
	shift 2
	timeout "${RUN_TIMEOUT:-60}" "$PGTAIL" "$@" >"$_o" 2>"$_e"
	RC=$?
	if grep -qE "runtime error:|AddressSanitizer|LeakSanitizer" "$_e"; then
		fail "sanitizer report on: pgtail $*" "$(grep -A8 -E "runtime error:|Sanitizer" "$_e" | head -20)"
	fi
}

# jget FILE EXPR: evaluate EXPR on the JSON object d read from FILE.
jget() {
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null || echo "(invalid JSON)"
}

# expect NAME COND DETAIL: pass if the shell condition COND holds.
expect() {
	if eval "$2"; then pass "$1"; else fail "$1" "$3"; fi
}

show() { printf 'exit %s\nstderr: %s\njson: %s' "$RC" "$(head -c 600 "$2")" \
	"$(jget "$1" '(d["connects"], d["skipped"], d["lines"], d["active"])')"; }

has_esc() { grep -q "$(printf '\033')" "$1"; }

head -20 "$FIX.log" >good.log # 5 startup lines, 5 sessions of psql

# --- a log_destination change: files of two destinations overlap ---------
# The stderr file gets lines after the switch to csvlog (an idle backend
# that has not reloaded yet writes its disconnection there at 10:07); the
# csv file starts at 10:05 and both destinations hold 10:05:00-10:05:10.
# Read merged in time order, every session and every twin is right; read
# one file after the other, the csv file's 10:06 session was lost.
DC=$HERE/../fixtures/dest-change
run o e connections --json "$DC"
expect "destination change: 5 connects, 2 disconnects, 3 open, peak 4 (files read merged by time)" \
	'[ "$(jget o "(d[\"connects\"], d[\"disconnects\"], d[\"active\"], d[\"peak\"][\"active\"])")" = "(5, 2, 3, 4)" ]' "$(show o e)"
expect "destination change: the records both destinations hold are counted once, and the note says so" \
	'grep -q "4 records were written twice, in two log destinations. formats" e' "$(show o e)"
# The shell that starts following that directory reads it the same way,
# and its replayed views (a filter) agree with the one-shot command.
printf 'tail %s\nconnections --json\nconnections --json --app=b*\nstop\nconnections --json\nquit\n' "$DC" >dc.in
RC=0
timeout 20 "$PGTAIL" <dc.in >dc.out 2>dc.err || RC=$?
awk '/^\{/{n++; on=1} on{print > ("dc." n ".json")} /^\}/{on=0}' dc.out
expect "destination change: the shell's 'tail DIR' follows 3 open sessions, as the one-shot replay" \
	'[ "$(jget dc.1.json "(d[\"connects\"], d[\"active\"])")" = "(5, 3)" ]' "$(cat dc.out dc.err | head -40)"
run o2 e2 connections --json --app='b*' "$DC"
expect "destination change: the shell's filtered view (replayed) equals the one-shot one" \
	'[ "$(jget dc.2.json "(d[\"connects\"], d[\"disconnects\"], d[\"active\"])")" = "$(jget o2 "(d[\"connects\"], d[\"disconnects\"], d[\"active\"])")" ]' \
	"shell: $(head -c 300 dc.2.json) one-shot: $(head -c 300 o2)"
# 'stderr,csvlog' then 'stderr': the csv file covers the stderr file's
# time but lacks its last line, a psql session's disconnection written after
# the backend reloaded.  Leaving the stderr file out as the csv file's twin
# kept that session open (the everyday suite's one-shot showed 11 for 10).
run o e connections --json "$HERE/../fixtures/dest-twin"
expect "two destinations at once, then one: the line only the stderr file holds is read (1 open, 2 connects, 1 disconnect)" \
	'[ "$(jget o "(d[\"active\"], d[\"connects\"], d[\"disconnects\"])")" = "(1, 2, 1)" ]' "$(show o e)"
# Following a log directory whose current file is jsonlog: a csvlog record
# the collector writes into the stderr file (a backend that had not reloaded
# yet, its csv file closed) is read there too, live and in the replayed
# views; the stderr file's own lines are not counted twice.
mkdir -p side/log
cat >side/current_logfiles <<'EOF2'
jsonlog log/postgresql-2026-12-03_080000.json
EOF2
cat >side/log/postgresql-2026-12-03_080000.log <<'EOF2'
2026-12-03 08:00:00.000 UTC [100] LOG:  database system is ready to accept connections
2026-12-03 08:00:01.000 UTC [201] LOG:  connection received: host=[local]
2026-12-03 08:00:01.005 UTC [201] LOG:  connection authorized: user=postgres database=postgres application_name=psql
2026-12-03 08:00:02.000 UTC [100] LOG:  parameter "log_destination" changed to "jsonlog"
EOF2
cat >side/log/postgresql-2026-12-03_080000.json <<'EOF2'
{"timestamp":"2026-12-03 08:00:02.000 UTC","pid":100,"session_id":"6b6d7a00.64","line_num":3,"session_start":"2026-12-03 08:00:00 UTC","txid":0,"error_severity":"LOG","message":"parameter \"log_destination\" changed to \"jsonlog\"","backend_type":"postmaster","query_id":0}
{"timestamp":"2026-12-03 08:00:03.000 UTC","pid":202,"remote_host":"10.0.0.2","remote_port":5002,"session_id":"6b6d7a03.ca","line_num":1,"ps":"","session_start":"2026-12-03 08:00:03 UTC","txid":0,"error_severity":"LOG","message":"connection received: host=10.0.0.2 port=5002","backend_type":"not initialized","query_id":0}
{"timestamp":"2026-12-03 08:00:03.005 UTC","user":"app","dbname":"prod","pid":202,"remote_host":"10.0.0.2","remote_port":5002,"session_id":"6b6d7a03.ca","line_num":2,"ps":"authentication","session_start":"2026-12-03 08:00:03 UTC","vxid":"3/2","txid":0,"error_severity":"LOG","message":"connection authorized: user=app database=prod application_name=web","backend_type":"client backend","query_id":0}
EOF2
RC=0
{
	echo "tail side/log"
	sleep 1
	echo '2026-12-03 08:00:04.000 UTC,"postgres","postgres",201,"[local]",6b6d7a01.c9,3,"idle",2026-12-03 08:00:01 UTC,,0,LOG,00000,"disconnection: session time: 0:00:03.000 user=postgres database=postgres host=[local]",,,,,,,,,"psql","client backend",,0' \
		>>side/log/postgresql-2026-12-03_080000.log
	echo '2026-12-03 08:00:04.500 UTC [100] LOG:  a line of the stderr file itself' >>side/log/postgresql-2026-12-03_080000.log
	sleep 1.5
	echo "connections --json"
	echo "connections --json --app=*"
	echo quit
} | timeout 30 "$PGTAIL" >side.out 2>side.err || RC=$?
awk '/^\{/{n++; on=1} on{print > ("side." n ".json")} /^\}/{on=0}' side.out
expect "following jsonlog: a csvlog record in the stderr file is read (1 open, 2 connects, 1 disconnect)" \
	'[ "$(jget side.1.json "(d[\"active\"], d[\"connects\"], d[\"disconnects\"])")" = "(1, 2, 1)" ]' "$(cat side.out side.err | head -40)"
expect "following jsonlog: the replayed view (a filter) reads that record too" \
	'[ "$(jget side.2.json "(d[\"active\"], d[\"connects\"], d[\"disconnects\"])")" = "(1, 2, 1)" ]' "$(cat side.2.json side.err | head -40)"
# 'stop' keeps the model: the views answer from what was read.
expect "stop: 'connections' after 'stop' still answers from what was read (3 open, 5 connects)" \
	'[ "$(jget dc.3.json "(d[\"connects\"], d[\"active\"], d[\"following\"])")" = "(5, 3, False)" ]' \
	"$(cat dc.out dc.err | tail -30)"
expect "stop: the shell says the numbers are as of the last line read" \
	'grep -q "not following .*(.stop.): as of the last line read" dc.err' "$(cat dc.err)"

# --- random binary --------------------------------------------------------
randbytes 1 100000 >rand.log
run o e connections --json rand.log
expect "random binary alone: exit 1, file:line and the summary on stderr" \
	'[ $RC = 1 ] && grep -q "^pgtail: rand.log:1: not a PostgreSQL log record, skipped" e &&
	 grep -q "no PostgreSQL log records could be read (1 files, [0-9]* lines skipped)" e &&
	 ! grep -q "\"active\"" o' "$(show o e)"
{ head -10 "$FIX.log"; cat rand.log; echo; sed -n 11,20p "$FIX.log"; } >randmid.log
run o e connections --json randmid.log
expect "random binary between good lines: good lines count, skipped counted" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && [ "$(jget o "d[\"skipped\"]>0")" = True ] &&
	 grep -q "^pgtail: randmid.log:11: " e' "$(show o e)"

# A file that starts with tab-led lines (continuations of a record that is
# not in it): each is reported; after a record they belong to it.
{ printf '\tcut off from its record\n\tand more\n'; cat good.log; } >tabs.log
run o e connections --json tabs.log
expect "continuation lines before the first record: reported and skipped" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && [ "$(jget o d[\"skipped\"])" = 2 ] &&
	 grep -q "^pgtail: tabs.log:1: continuation line with no record before it, skipped" e &&
	 grep -q "^pgtail: tabs.log:2: " e' "$(show o e)"

# --- NUL bytes inside lines -----------------------------------------------
{ head -8 "$FIX.log"
  printf '2026-11-29 00:41:52.470 UTC [11999] LOG:  connection authorized: user=postgres database=postgres application_name=ps\0ql\n'
  sed -n 9,20p "$FIX.log"; } >nul.log
run o e connections --json nul.log
# The record is usable; the name must not be silently cut at the NUL:
# either kept (escaped, as invalid UTF-8 is: "ps\\x00ql") or reported.
expect "NUL inside a line: record counted, name not silently cut at the NUL" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 6 ] &&
	 { [ "$(jget o "\"ps\\\\x00ql\" in d[\"by_application\"]")" = True ] || grep -q "nul.log:9:" e; }' \
	"expected: connects 6 and application \"ps\\\\x00ql\" (or a nul.log:9: report)
actual: $(show o e)
by_application: $(jget o 'd["by_application"]')"
{ printf '\0\0\0\0\n'; cat good.log; } >nul2.log
run o e connections --json nul2.log
expect "line of NUL bytes: skipped with file:line, rest counted" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && [ "$(jget o d[\"skipped\"])" = 1 ] &&
	 grep -q "^pgtail: nul2.log:1: " e' "$(show o e)"

# --- a 64 MB line -----------------------------------------------------------
{ head -10 "$FIX.log"; head -c 67108864 /dev/zero | tr '\0' x; echo; sed -n 11,20p "$FIX.log"; } >big.log
run o e connections --json big.log
expect "64 MB line: skipped with file:line, the good lines after it count" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && [ "$(jget o d[\"skipped\"])" = 1 ] &&
	 [ "$(jget o d[\"lines\"])" = 21 ] && [ "$(jget o d[\"active\"])" = 0 ] &&
	 grep -q "^pgtail: big.log:11: .*skipped" e' "$(show o e)"

# The same line at the end of the file, without its newline.
{ head -10 "$FIX.log"; head -c 68157440 /dev/zero | tr '\0' x; } >bigeof.log
run o e connections --json bigeof.log
expect "65 MB last line without newline: skipped with file:line, counted as a line" \
	'[ $RC = 0 ] && [ "$(jget o d[\"skipped\"])" = 1 ] && [ "$(jget o d[\"lines\"])" = 11 ] &&
	 grep -q "^pgtail: bigeof.log:11: record longer than 64 MB, skipped" e' "$(show o e)"
head -c -1 good.log >nonl.log
run o e connections --json nonl.log
expect "last line without newline: read and counted" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && [ "$(jget o d[\"lines\"])" = 20 ] &&
	 [ "$(jget o d[\"skipped\"])" = 0 ]' "$(show o e)"

# --- invalid UTF-8 in names -------------------------------------------------
{ head -5 "$FIX.log"
  printf '2026-11-29 00:41:52.444 UTC [12764] LOG:  connection received: host=[local]\n'
  printf '2026-11-29 00:41:52.445 UTC [12764] LOG:  connection authorized: user=u\xff\xfe database=d\xc3 application_name=a\xe2\x82bad\xed\xa0\x80\n'
} >utf.log
run o e connections --json utf.log
expect "invalid UTF-8 in names: --json output is valid JSON with the session" \
	'[ $RC = 0 ] && python3 -c "import json,sys; json.load(open(\"o\", encoding=\"utf-8\"))" &&
	 [ "$(jget o d[\"active\"])" = 1 ] && [ "$(jget o "len(d[\"by_user\"])")" = 1 ]' "$(show o e)"
run o e connections --sessions --json utf.log
expect "invalid UTF-8 in names: --sessions --json is valid JSON" \
	'[ $RC = 0 ] && python3 -c "import json; json.load(open(\"o\", encoding=\"utf-8\"))"' "$(show o e)"
run o e connections --history --json utf.log
expect "invalid UTF-8 in names: --history --json is valid JSON" \
	'[ $RC = 0 ] && python3 -c "import json; json.load(open(\"o\", encoding=\"utf-8\"))"' "$(show o e)"

# --- CSV record with an unterminated quote at end of file ------------------
head -20 "$FIX.csv" >cut.csv
printf '2026-11-29 00:41:52.700 UTC,"postgres","postgres",11790,"[local]",6b0b74d0.2e0e,2,"authentication",2026-11-29 00:41:52 UTC,3/0,0,LOG,00000,"connection authorized: user=postgres database=postgres application_name=psql' >>cut.csv
run o e connections --json cut.csv
expect "csv with unterminated quote at EOF: earlier records count, cut.csv:21 reported" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && [ "$(jget o d[\"skipped\"])" = 1 ] &&
	 grep -q "^pgtail: cut.csv:21: unterminated quoted field at end of file" e' "$(show o e)"

# A stray quote in the middle of a csvlog, early (parser) and late (past the
# fast path's start): one record is skipped, the records after it all count.
midq() { # N: N copies of the fixture, then the broken record, then one more
	for i in $(seq "$1"); do cat "$FIX.csv"; done
	head -20 "$FIX.csv"
	printf '2026-11-29 00:41:52.700 UTC,"postgres","postgres",11790,"[local]",6b0b74d0.2e0e,2,"idle",2026-11-29 00:41:52 UTC,3/0,0,LOG,00000,"statement: select 1\n'
	tail -n +21 "$FIX.csv"
}
nrec=$(wc -l <"$FIX.csv")
for n in 0 3; do
	midq $n >midq$n.csv
	run o e connections --json midq$n.csv
	expect "csv with an unbalanced quote mid-file ($n copies before): one record skipped, every connect counted" \
		'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = $((1353 * (n + 1))) ] && [ "$(jget o d[\"skipped\"])" = 1 ] &&
		 grep -q "^pgtail: midq$n.csv:$((nrec * n + 21)): unbalanced quotes in csvlog record" e' "$(show o e)"
done

# --- a JSON line cut in half ------------------------------------------------
{ head -20 "$FIX.json"; sed -n 21p "$FIX.json" | head -c 100; echo; sed -n 22,40p "$FIX.json"; } >cut.json
run o e connections --json cut.json
expect "jsonlog line cut in half: cut.json:21 reported, lines before and after count" \
	'[ $RC = 0 ] && [ "$(jget o d[\"skipped\"])" = 1 ] && [ "$(jget o "d[\"connects\"]>=10")" = True ] &&
	 grep -q "^pgtail: cut.json:21: invalid JSON in jsonlog line" e' "$(show o e)"
{ head -20 "$FIX.json"; sed -n 21p "$FIX.json" | head -c 100; } >end.json
run o e connections --json end.json
expect "jsonlog line cut at end of file: end.json:21 reported" \
	'[ $RC = 0 ] && [ "$(jget o d[\"skipped\"])" = 1 ] && grep -q "^pgtail: end.json:21: " e' "$(show o e)"

# --- lines of a different format mixed in -----------------------------------
# (Of a backend of their own: the same records of pid 11764 beside its
# stderr lines would be its twins, written in two formats, counted once.)
{ head -10 "$FIX.log"; sed -n 6,7p "$FIX.csv" | sed 's/11764/11990/'
  sed -n 6p "$FIX.json" | sed 's/11764/11990/'; sed -n 11,20p "$FIX.log"; } >mixed.log
run o e connections --json mixed.log
# The logging collector writes csvlog and jsonlog records into the stderr
# file when log_destination changes: they are read as records of their own
# format, not skipped (the csv authorization here adds a sixth connect).
expect "csv and json records in a stderr log are read as such, nothing skipped" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 6 ] && [ "$(jget o d[\"skipped\"])" = 0 ] &&
	 ! grep -q "^pgtail: mixed.log:1[123]: " e' "$(show o e)"
# With log_destination = 'stderr,csvlog' and the csv file not open yet, a
# record goes to the stderr file twice, as csv and then plain (the server
# writes its csvlog form first): counted once, in either order.
for order in csv-first plain-first; do
	if [ $order = csv-first ]; then
		{ head -5 "$FIX.log"; sed -n 6,7p "$FIX.csv"; sed -n 6,20p "$FIX.log"; } >twins.log
	else
		{ head -10 "$FIX.log"; sed -n 6,7p "$FIX.csv"; sed -n 11,20p "$FIX.log"; } >twins.log
	fi
	run o e connections --json twins.log
	expect "a record in the stderr file both plain and as csv (stderr,csvlog, $order): counted once, and said" \
		'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && [ "$(jget o d[\"skipped\"])" = 0 ] &&
		 grep -q "^pgtail: note: 2 records were written twice" e' "$(show o e)"
done

# --- timestamps going backwards ---------------------------------------------
{ head -20 "$FIX.log"
  printf '2026-11-29 00:30:00.000 UTC [13001] LOG:  connection received: host=[local]\n'
  printf '2026-11-29 00:30:00.001 UTC [13001] LOG:  connection authorized: user=back database=postgres application_name=past\n'
  sed -n 21,30p "$FIX.log"; } >back.log
run o e connections --json back.log
# The session opened at 00:30 (after the 00:41 start in file order) has no
# disconnection: it is open at the end, or pgtail says why it is not.
expect "timestamps going backwards: the later-in-file session stays open or is reported" \
	'[ $RC = 0 ] && [ "$(jget o "d[\"connects\"]>=6")" = True ] &&
	 { [ "$(jget o "\"past\" in d[\"by_application\"]")" = True ] || grep -q "back.log:2[12]:" e; }' \
	"expected: application \"past\" (pid 13001, never disconnected) open at the end, or a back.log:21/22 report
actual: $(show o e)
by_application: $(jget o 'd["by_application"]'), ended_by_reset: $(jget o 'd["ended_by_reset"]')"

# --- a log without disconnection lines (log_disconnections off) ----------------
grep -v "disconnection:" "$FIX.log" >nodisc.log
run o e connections nodisc.log
expect "log_disconnections off: the summary says the open count cannot be trusted" \
	'[ $RC = 0 ] && tr "\n" " " <o | grep -q "1353 connects and not one disconnection line: log_disconnections looks off"' \
	"$(tail -8 o)"
run o e connections "$FIX.log"
expect "log_disconnections on: no such note" '[ $RC = 0 ] && ! tr "\n" " " <o | grep -q "log_disconnections looks off"' \
	"$(tail -8 o)"

grep -v "connection authorized\|connection received" "$FIX.log" >noconn.log
run o e connections noconn.log
expect "log_connections off: the summary says sessions are not seen opening" \
	'[ $RC = 0 ] && tr "\n" " " <o | grep -q "1314 disconnection lines and not one connection authorized: log_connections looks off"' \
	"$(tail -8 o)"

# --- a time zone abbreviation with several meanings ---------------------------
sed 's/ UTC / IST /' "$FIX.log" >ist.log
run o e connections --json ist.log
expect "ambiguous zone (IST): one note naming it and the offset taken, counts unchanged" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 1353 ] &&
	 [ "$(grep -c "time zone .IST. has more than one meaning" e)" = 1 ] &&
	 grep -q "^pgtail: note: ist.log:1: .*read as UTC+05:30" e' "$(show o e)"
run o e connections --json "$FIX.log"
expect "known zone (UTC): no zone note" '[ $RC = 0 ] && ! grep -q "time zone" e' "$(show o e)"

# --- a directory with no logs ------------------------------------------------
mkdir empty-dir nolog-dir
echo hello >nolog-dir/readme.txt
run o e connections --json empty-dir
expect "empty directory: exit 1, message names it" \
	'[ $RC = 1 ] && grep -q "empty-dir" e' "$(show o e)"
run o e connections --json nolog-dir good.log
expect "directory with no logs beside a good file: good file counted, exit 0, dir named" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && grep -q "nolog-dir" e' "$(show o e)"

# A file in a directory that is not a log is named, not silently left out.
mkdir junk-dir
cp good.log junk-dir/postgresql-1.log
randbytes 2 3000 >junk-dir/postgresql-2.log
run o e connections --json junk-dir
expect "directory with a log and a non-log file: the log counted, the other named" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] &&
	 grep -q "note: .junk-dir/postgresql-2.log. is not a PostgreSQL log: not read" e' "$(show o e)"

# --- a FIFO -------------------------------------------------------------------
mkfifo fifo.log
{ cat good.log >fifo.log; } &
W=$!
BG_PIDS="$BG_PIDS $W"
RUN_TIMEOUT=15 run o e connections --json fifo.log
kill $W 2>/dev/null
expect "FIFO written by a background writer: read once, exit 0" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ]' \
	"expected: exit 0 and 5 connects
actual: $([ $RC = 124 ] && echo "pgtail hung (killed after 15 s); ")$(show o e)"

# --- --watch on standard input ------------------------------------------------
run o e connections --watch --json - <good.log
expect "watch on a piped file: every connect and disconnect, exit 0 at its end" \
	'[ $RC = 0 ] && [ "$(grep -c "\"event\":\"connect\"" o)" = 5 ] &&
	 [ "$(grep -c "\"event\":\"disconnect\"" o)" = 5 ]' "$(show o e; head -3 o)"
# A pipe that stays open: events are shown as they arrive, not at its end.
mkfifo wpipe
timeout 30 "$PGTAIL" connections --watch - <wpipe >wpo 2>wpe &
WPP=$!
BG_PIDS="$BG_PIDS $WPP"
exec 7>wpipe
head -10 good.log >&7
first_seen() { [ "$(grep -cs "^\[+\]" wpo)" -ge 2 ]; }
if retry_until 20 first_seen; then
	pass "watch on an open pipe: events shown while the pipe is still open"
else
	fail "watch on an open pipe: events shown while the pipe is still open" "$(cat wpo wpe)"
fi
sed -n 11,20p good.log >&7
exec 7>&-
wait $WPP
WRC=$?
expect "watch on an open pipe: exit 0 when the writer closes it, all 5 connects shown" \
	'[ $WRC = 0 ] && [ "$(grep -c "^\[+\]" wpo)" = 5 ]' "exit $WRC; $(cat wpo wpe)"

# --- an unreadable file ---------------------------------------------------
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	cp good.log secret.log
	chmod 600 secret.log
	chmod 644 good.log
	# The build may sit in a directory only its owner can enter (a clone
	# in mktemp -d): nobody runs a copy from the test's own directory.
	cp "$PGTAIL" "$T/pgtail-as-nobody"
	chmod 755 "$T/pgtail-as-nobody"
	runuser -u nobody -- timeout 60 "$T/pgtail-as-nobody" connections --json "$T/secret.log" >o 2>e
	RC=$?
	expect "unreadable file alone: exit 1, message names it" \
		'[ $RC = 1 ] && grep -q "cannot open .*secret.log.*Permission denied" e' "$(show o e)"
	runuser -u nobody -- timeout 60 "$T/pgtail-as-nobody" connections --json "$T/secret.log" "$T/good.log" >o 2>e
	RC=$?
	expect "unreadable file beside a good one: good counted, exit 0, unreadable named" \
		'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && grep -q "secret.log" e' "$(show o e)"
elif [ "$(id -u)" != 0 ]; then
	# Not root: a file of mode 000 is unreadable to us.
	cp good.log secret.log
	chmod 000 secret.log
	run o e connections --json secret.log
	expect "unreadable file alone: exit 1, message names it" \
		'[ $RC = 1 ] && grep -q "cannot open .*secret.log.*Permission denied" e' "$(show o e)"
	run o e connections --json secret.log good.log
	expect "unreadable file beside a good one: good counted, exit 0, unreadable named" \
		'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && grep -q "secret.log" e' "$(show o e)"
else
	fail "unreadable file: a user to run as" "running as root and there is no user 'nobody'"
fi

# --- a missing file ---------------------------------------------------------
run o e connections --json good.log missing.log
expect "missing file beside a good one: good counted, exit 0, missing named" \
	'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] &&
	 grep -q "cannot open '"'"'missing.log'"'"': No such file or directory" e' "$(show o e)"
run o e connections --json missing.log
expect "missing file alone: exit 1, named" \
	'[ $RC = 1 ] && grep -q "missing.log" e' "$(show o e)"

# --- a read error (EIO) ----------------------------------------------------------
# /proc/self/mem opens as a regular file and fails to read at offset 0.
if [ -r /proc/self/mem ]; then
	run o e connections --json /proc/self/mem
	expect "read error alone: exit 1, the error names the file, not called empty" \
		'[ $RC = 1 ] && grep -q "read error in ./proc/self/mem.: Input/output error" e &&
		 grep -q "1 not read to the end" e && ! grep -q "empty" e' "$(show o e)"
	run o e connections --json /proc/self/mem good.log
	expect "read error beside a good file: good counted, exit 0, error named" \
		'[ $RC = 0 ] && [ "$(jget o d[\"connects\"])" = 5 ] && grep -q "/proc/self/mem" e' "$(show o e)"
else
	fail "read error: /proc/self/mem is readable" "no /proc on this system"
fi

# --- standard output that cannot be written (a full disk) ----------------------
if [ -w /dev/full ]; then
	timeout 60 "$PGTAIL" connections --json good.log >/dev/full 2>e
	RC=$?
	expect "output to a full disk: exit 1 and a message" \
		'[ $RC = 1 ] && grep -q "error writing to standard output" e' "exit $RC; $(cat e)"
else
	fail "output to a full disk: /dev/full is writable" "no /dev/full on this system"
fi

# --- usage errors -----------------------------------------------------------
run o e connections --no-such-option good.log
expect "unknown option: exit 2" '[ $RC = 2 ] && [ -s e ]' "$(show o e)"
run o e connections --since=yesterday-ish good.log
expect "bad --since value: exit 2" '[ $RC = 2 ] && [ -s e ]' "$(show o e)"

# --- truncated and deleted while being read (--watch) ------------------------
# line N of the fixture, with a new pid and application name.
conn_lines() { # PID APP
	printf '2026-11-29 00:50:00.000 UTC [%s] LOG:  connection received: host=[local]\n' "$1"
	printf '2026-11-29 00:50:00.001 UTC [%s] LOG:  connection authorized: user=postgres database=postgres application_name=%s\n' "$1" "$2"
}
cp good.log w.log
"$PGTAIL" connections --watch w.log >wo 2>we &
WP=$!
BG_PIDS="$BG_PIDS $WP"
# Until pgtail is following, appended lines might be taken for the past:
# keep appending a probe until it is shown.
probe_seen() { conn_lines $((20000 + RANDOM % 1000)) probe >>w.log; grep -qs probe wo; }
if retry_until 20 probe_seen; then pass "watch: follows appended lines"; else
	fail "watch: follows appended lines" "$(cat wo we | head -20)"; fi
: >w.log
conn_lines 21001 aftertrunc >>w.log
got_after() { grep -q "$1" wo; }
retry_until 20 got_after aftertrunc
expect "watch: file truncated while read: new lines after truncation are shown" \
	'grep -q aftertrunc wo' "stdout: $(tail -5 wo)
stderr: $(cat we)"
expect "watch: truncation reported on stderr naming the file" \
	'grep -q "w.log" we' "stderr: $(cat we)"
rm -f w.log
gone_reported() { [ "$(grep -c w.log we)" -ge 2 ] || ! kill -0 $WP 2>/dev/null; }
retry_until 20 gone_reported
expect "watch: file deleted while read: pgtail still running or reported it" \
	'kill -0 $WP 2>/dev/null || grep -q "w.log" we' "stderr: $(cat we)"
kill -TERM $WP 2>/dev/null
wait $WP
WRC=$?
expect "watch: SIGTERM after delete ends it cleanly (exit 0 or 143)" \
	'[ $WRC = 0 ] || [ $WRC = 143 ]' "exit $WRC; stderr: $(cat we)"

# --- a .gz corrupt half-way --------------------------------------------------
gzip -c "$FIX.log" >corrupt.log.gz
size=$(stat -c %s corrupt.log.gz)
head -c 4096 /dev/zero | tr '\0' '\377' | dd of=corrupt.log.gz bs=1 seek=$((size / 2)) conv=notrunc status=none
run o e connections --json corrupt.log.gz
expect ".gz corrupt half-way: records before the damage count, error names the file" \
	'[ $RC = 0 ] && [ "$(jget o "0<d[\"connects\"]<1353")" = True ] &&
	 grep -q "corrupt.log.gz.*corrupt gzip data" e' "expected: exit 0, 0 < connects < 1353 (the records before the damage), error naming corrupt.log.gz
actual: $(show o e)"
# Bigger than one 1 MB read: everything up to the damage must count.
for i in 1 2 3 4 5 6; do cat "$FIX.log"; done | gzip -c >big6.log.gz
size=$(stat -c %s big6.log.gz)
head -c 4096 /dev/zero | tr '\0' '\377' | dd of=big6.log.gz bs=1 seek=$((size / 2)) conv=notrunc status=none
good6=$(zcat big6.log.gz 2>/dev/null | head -c $(( $(zcat big6.log.gz 2>/dev/null | wc -c) - 65536 )) | grep -c "connection authorized")
good6=$((good6 * 95 / 100)) # some authorized connections are then refused
run o e connections --json big6.log.gz
expect ".gz (6 MB) corrupt half-way: the connects zcat decodes before the damage count" \
	'[ $RC = 0 ] && [ "$(jget o "d[\"connects\"]>=$good6")" = True ] &&
	 grep -q "big6.log.gz.*corrupt gzip data" e' "expected: exit 0, connects >= $good6 (zcat, 95 % of the authorized lines before the last 64 kB before the damage)
actual: $(show o e)"

# A .gz cut short (a copy interrupted): it says so, the rest counts.
gzip -c "$FIX.log" | head -c 20000 >short.log.gz
run o e connections --json short.log.gz
expect ".gz cut short: 'truncated gzip data' names the file, records before the cut count" \
	'[ $RC = 0 ] && [ "$(jget o "0<d[\"connects\"]<1353")" = True ] &&
	 grep -q "short.log.gz.: truncated gzip data: unexpected end of file" e' "$(show o e)"

# --- names are data, never markup --------------------------------------------
EVIL=$(printf 'x\033[2Jy\033]0;pwned\007z')
{ head -5 "$FIX.log"
  printf '2026-11-29 00:41:52.444 UTC [14001] LOG:  connection received: host=[local]\n'
  printf '2026-11-29 00:41:52.445 UTC [14001] LOG:  connection authorized: user=u%s database=d%s application_name=%s\n' "$EVIL" "$EVIL" "$EVIL"
} >evil.log
run o e connections evil.log
expect "control characters in names: connections text escapes them (\\x1b)" \
	'[ $RC = 0 ] && ! has_esc o && ! grep -q "$(printf "\007")" o && grep -qF "\\x1b[2J" o' \
	"$(cat -v o | head -30)"
run o e connections --sessions evil.log
expect "control characters in names: --sessions text escapes them (\\x1b)" \
	'[ $RC = 0 ] && ! has_esc o && ! grep -q "$(printf "\007")" o && grep -qF "\\x1b[2J" o' \
	"$(cat -v o | head -30)"
run o e connections evil.log --history
expect "control characters in names: --history text has no raw ESC" \
	'[ $RC = 0 ] && ! has_esc o' "$(cat -v o | head -30)"
head -5 "$FIX.log" >ew.log
"$PGTAIL" connections --watch ew.log >ewo 2>ewe &
EP=$!
BG_PIDS="$BG_PIDS $EP"
evil_seen() { sed -n 6,7p evil.log >>ew.log; grep -qs 'y' ewo; }
retry_until 20 evil_seen
kill -TERM $EP 2>/dev/null
wait $EP
expect "control characters in names: --watch text escapes them (\\x1b)" \
	'grep -qF "\\x1b[2J" ewo && ! has_esc ewo && ! grep -q "$(printf "\007")" ewo' \
	"$(cat -v ewo | head -10)"

# File names are shown escaped in messages too.
run o e connections --json "$(printf 'no\033]0;pwned\007such.log')" good.log
expect "control characters in a file name: escaped in the message" \
	'[ $RC = 0 ] && ! has_esc e && grep -qF "no\\x1b]0;pwned\\x07such.log" e' "$(cat -v e)"

# --- memory bound -------------------------------------------------------------
# Peak RSS on every bad input above stays under 100 MB (the longest record
# kept is 64 MB).  A sanitizer build's RSS (shadow memory, quarantine) says
# nothing of pgtail's own use: the bound is checked on the optimised build,
# and the sanitizer run says so on its output rather than passing blindly.
peak_kb() { # FILE: run pgtail under time -v, print peak RSS in kB
	/usr/bin/time -v "$PGTAIL" connections --json "$1" >/dev/null 2>tv
	sed -n 's/.*Maximum resident set size (kbytes): //p' tv
}
if grep -q __asan_init "$PGTAIL" 2>/dev/null; then
	echo "note: memory bound checked on the optimised build only (this is a sanitizer build)"
elif [ ! -x /usr/bin/time ]; then
	fail "memory: /usr/bin/time is installed" "scripts/install-deps.sh test installs it"
else
	for f in big.log bigeof.log rand.log randmid.log nul.log utf.log cut.csv midq3.csv cut.json \
		mixed.log back.log corrupt.log.gz big6.log.gz evil.log; do
		kb=$(peak_kb $f)
		expect "memory: peak RSS under 100 MB on $f" '[ -n "$kb" ] && [ "$kb" -lt 102400 ]' \
			"peak RSS ${kb:-unknown} kB"
	done
fi

test_summary
