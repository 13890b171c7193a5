#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# The dashboard (pgtail top), driven through tmux as a person would: keys
# with send-keys, the screen read with capture-pane, the pane's mode read
# with display -p.  Against the corpus log (moving back to a minute
# boundary shows that instant's truth), at two window sizes, on each way out
# (q, Ctrl+C, SIGTERM: the terminal is given back), inside the shell, and
# against a real server whose pg_stat_activity the screen must equal.
# Every wait is a bounded retry on what the screen shows.
#   TOP_CAPTURE=DIR keeps the 60x20 and 200x60 screens there.
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
. tests/lib/test-lib.sh
. tests/live/lib-live.sh
PGTAIL=${PGTAIL:-$top/build/pgtail}
case $PGTAIL in /*) ;; *) PGTAIL=$top/$PGTAIL ;; esac
fxdir=$top/tests/fixtures/default-prefix
fx=$fxdir/postgresql-2026-11-29_004152.log
LABEL=top

command -v tmux >/dev/null || bail "tmux is installed"
tmp=$(mktemp -d)
TM="tmux -S $tmp/tmux.sock"
cleanup() {
	$TM kill-server 2>/dev/null
	live_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

screen() { $TM capture-pane -t t -p 2>/dev/null; }
shows() { screen | grep -F -q -- "$1"; }
alt_off() { [ "$($TM display -p -t t '#{alternate_on}')" = 0 ]; }
alt_on() { [ "$($TM display -p -t t '#{alternate_on}')" = 1 ]; }
wait_for() {
	if retry_until 10 shows "$2"; then pass "$1"; else fail "$1" "screen:
$(screen | grep -v '^$' | tail -15)"; fi
}
keys() { $TM send-keys -t t "$@"; }
# Lines of screen.py: "ok WHAT" / "FAIL WHAT".
judge() {
	local verdict what
	while read -r verdict what; do
		if [ "$verdict" = ok ]; then pass "$what"; else fail "$what"; fi
	done
}
# restored HOW: the pane left the alternate screen, the tty modes are the
# ones before, and the shell takes a command again.
restored() {
	if retry_until 10 alt_off; then pass "$1: the pane leaves the alternate screen"; else fail "$1: the pane leaves the alternate screen"; fi
	keys "stty -g >stty.after; cmp -s stty.before stty.after && echo STTY-\$((20+1))" Enter
	wait_for "$1: the terminal's modes are as before and it echoes" "STTY-21"
	keys "clear" Enter
}

cd "$tmp" || exit 1
cp "$fx" pg.log
# ASCII first (C locale): columns are characters for the screen's reader.
$TM new-session -d -s t -x 200 -y 60 \
	"env -i PATH=$PATH HOME=$tmp TERM=xterm-256color LC_ALL=C bash --norc --noprofile"
keys "stty -g >stty.before; PS1='$ '" Enter

# --- a corpus log, moved back to a minute boundary -----------------------------
keys "$PGTAIL top pg.log; echo TOP-EXIT=\$?" Enter
wait_for "top draws its header" "pgtail top pg.log"
if retry_until 10 alt_on; then pass "top takes the alternate screen"; else fail "top takes the alternate screen"; fi
wait_for "the breakdowns are drawn" "Application (6)"
keys "["
wait_for "[ moves to the minute boundary before the newest event" "as of 2026-11-29 00:45:00"
screen >at45.txt
python3 "$top/tests/top/screen.py" truth at45.txt "$fxdir/truth.json" 2026-11-29T00:45:00.000Z | judge
if python3 "$top/tests/top/screen.py" rows at45.txt Application | grep -q -x "myapp 31 +24"; then
	pass "myapp's change over the minute to 00:45 is +24 (7 open at 00:44)"
else
	fail "myapp's change over the minute to 00:45 is +24" "$(python3 "$top/tests/top/screen.py" rows at45.txt Application)"
fi
keys "["
wait_for "[ again: a minute further back" "as of 2026-11-29 00:44:00"
screen >at44.txt
python3 "$top/tests/top/screen.py" truth at44.txt "$fxdir/truth.json" 2026-11-29T00:44:00.000Z | judge
keys Right
wait_for "Right moves forward by 10 s" "as of 2026-11-29 00:44:10"
keys Home
wait_for "Home goes to the log's first event (the server's start)" "as of 2026-11-29 00:41:52"
keys End
wait_for "End goes back to now" "LIVE "
keys "/" "app=my" Tab
wait_for "/ completes a name seen: candidates" "my app  myapp"
keys "app" Enter
wait_for "the filter applies" "[application: myapp]"
if screen | grep '^\[+\]' | grep -v -q ' myapp '; then fail "the stream shows only myapp" "$(screen | grep '^\[+\]' | grep -v myapp | head -3)"; else pass "the stream shows only myapp"; fi
keys c
retry_until 10 sh -c "! $TM capture-pane -t t -p | grep -q 'application: myapp'" && pass "c clears the filter" || fail "c clears the filter"
keys Down Enter
wait_for "Enter on the first application row filters by it" "[application: myapp]"
keys c
keys p
wait_for "p pauses" "PAUSED at "
keys p
wait_for "p again goes on" "LIVE "
keys +
wait_for "+ zooms the chart in" "Open sessions, last 1m"
keys - - -
wait_for "- zooms it out" "Open sessions, last 1h"
keys s
wait_for "s sorts by another key" "sorted by change over the last minute"
if $TM capture-pane -t t -p -e | grep -q $'\e\[[0-9;]*3[1-3]m'; then pass "colours on a terminal without NO_COLOR"; else fail "colours on a terminal without NO_COLOR"; fi
keys "?"
wait_for "? shows the keys" "move it back or forward by a minute"
keys x
keys q
wait_for "q quits with status 0" "TOP-EXIT=0"
restored "q"

# --- two sizes, UTF-8 ----------------------------------------------------------
keys "export LC_ALL=C.UTF-8 NO_COLOR=1; $PGTAIL top pg.log; echo TOP-EXIT=\$?" Enter
wait_for "top draws in UTF-8" "█"
if $TM capture-pane -t t -p -e | grep -q $'\e\[[0-9;]*3[1-7]m'; then fail "no colour with NO_COLOR set"; else pass "no colour with NO_COLOR set"; fi
for size in 60x20 200x60; do
	w=${size%x*} h=${size#*x}
	$TM resize-window -t t -x "$w" -y "$h"
	# Redrawn at the new size: the keys on its last line.
	retry_until 10 sh -c "[ \$($TM capture-pane -t t -p | head -1 | wc -L) -le $w ] && $TM capture-pane -t t -p | grep -q 'Host (' &&
		$TM capture-pane -t t -p | sed -n '${h}p' | grep -q '^? help'"
	screen >"screen-$size.txt"
	python3 "$top/tests/top/screen.py" layout "screen-$size.txt" "$w" "$h" | judge
	[ -n "${TOP_CAPTURE:-}" ] && cp "screen-$size.txt" "$TOP_CAPTURE/"
done
keys C-c
wait_for "Ctrl+C quits" "TOP-EXIT=0"
restored "Ctrl+C"

keys "$PGTAIL top pg.log; echo TOP-EXIT=\$?" Enter
wait_for "top again" "pgtail top pg.log"
if retry_until 10 alt_on; then pass "top again takes the alternate screen"; else fail "top again takes the alternate screen"; fi
pid=$(pgrep -n -f "$PGTAIL top pg.log")
[ -n "$pid" ] && kill -TERM "$pid"
wait_for "SIGTERM ends it as SIGTERM does (143)" "TOP-EXIT=143"
restored "SIGTERM"

# The terminal goes away (its window closed, the ssh session dropped):
# top ends instead of spinning on a terminal that is not there.
TM2="tmux -S $tmp/tmux2.sock"
$TM2 new-session -d -s gone -x 80 -y 24 "exec $PGTAIL top pg.log"
retry_until 10 pgrep -f "$PGTAIL top pg.log" >/dev/null
gone_pid=$(pgrep -n -f "$PGTAIL top pg.log")
$TM2 kill-server
gone() { ! kill -0 "$gone_pid" 2>/dev/null; }
if [ -n "$gone_pid" ] && retry_until 10 gone; then
	pass "its terminal closed, top ends"
else
	fail "its terminal closed, top ends" "pid ${gone_pid:-none} still running: $(ps -o pcpu=,stat= -p "${gone_pid:-1}")"
	[ -n "$gone_pid" ] && kill -9 "$gone_pid"
fi

# --- in the shell --------------------------------------------------------------
keys "$PGTAIL; echo SHELL-EXIT=\$?" Enter
wait_for "the shell starts" "pgtail>"
keys "tail pg.log" Enter
wait_for "tail follows the log" "Following pg.log"
keys C-c
keys "top" Enter
wait_for "top in the shell draws its header" "pgtail top pg.log"
keys q
wait_for "q returns to the prompt" "pgtail> "
if retry_until 10 alt_off; then pass "the shell's top leaves the alternate screen"; else fail "the shell's top leaves the alternate screen"; fi
keys "connections" Enter
wait_for "the shell takes commands after top" "Active connections: 39"
keys "top --once app=rails" Enter
wait_for "top --once in the shell prints a screen" "[application: rails]"
keys "quit" Enter
wait_for "the shell ends" "SHELL-EXIT=0"
keys "clear" Enter

# --- not a terminal ------------------------------------------------------------
if "$PGTAIL" top pg.log >/dev/null 2>err.txt </dev/null; then
	fail "top refuses when not on a terminal"
else
	grep -q "use --once" err.txt && pass "top refuses when not on a terminal, and says --once" ||
		fail "top says --once" "$(cat err.txt)"
fi
if "$PGTAIL" top --once - <pg.log >/dev/null 2>err.txt; then
	fail "top refuses standard input (it cannot replay a pipe)"
else
	grep -q "cannot read standard input" err.txt && pass "top refuses standard input, and says why" ||
		fail "top says why it refuses standard input" "$(cat err.txt)"
fi
COLUMNS=200 LINES=60 "$PGTAIL" top --once --at=00:45 pg.log >once.txt
python3 "$top/tests/top/screen.py" truth once.txt "$fxdir/truth.json" 2026-11-29T00:45:00.000Z | judge
check_eq "--once prints LINES lines" 60 "$(wc -l <once.txt)"

# --- a real server: the screen equals pg_stat_activity -------------------------
if ! live_find_pgbin || ! live_make_tmp; then
	fail "a PostgreSQL server can be started" "install postgresql"
	test_summary
	exit 1
fi
cluster_initdb && cluster_configure "$T/log" '%m [%p] ' stderr && cluster_start ||
	bail "the server starts" "$(cat "$T/pg_ctl.log" 2>/dev/null | tail -5)"
open_session a1 psql postgres postgres "$TCP" alpha
open_session a2 psql postgres postgres "$TCP" alpha
open_session a3 psql postgres postgres "$T" alpha
open_session b1 psql postgres postgres "$TCP" beta
open_session b2 psql postgres postgres "$T" beta
keys "$PGTAIL top $T/log; echo TOP-EXIT=\$?" Enter
wait_for "top follows the server's log" "LIVE "
# What pg_stat_activity says, then the same on the screen.
pgsa() {
	q postgres postgres "$T" "" "select a || ' ' || n from (select coalesce(nullif(application_name, ''), 'unknown') as a, count(*) as n from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid() group by 1) s order by 1"
	cat "$T/q.out" 2>/dev/null || cat "$T/q.err" >&2
}
expect=$(pgsa)
total=$(echo "$expect" | awk '{n += $NF} END {print n}')
screen_apps() {
	screen >live.txt
	python3 "$top/tests/top/screen.py" rows live.txt Application | awk '{print $1, $2}' | sort
}
open_is() { screen | grep -q "^Open $1 exact"; }
apps_are() { [ "$(screen_apps)" = "$(echo "$expect" | sort)" ]; }
if retry_until 10 open_is "$total"; then pass "the header's open count equals pg_stat_activity ($total)"; else fail "the header's open count equals pg_stat_activity ($total)" "$(screen | sed -n 2p)"; fi
if retry_until 10 apps_are; then pass "the application breakdown equals pg_stat_activity"; else fail "the application breakdown equals pg_stat_activity" "expected:
$expect
screen:
$(screen_apps)"; fi
# A session ends and another starts: the screen follows.
close_session a1
open_session g1 psql postgres postgres "$TCP" gamma
expect=$(pgsa)
if retry_until 10 apps_are; then pass "after a disconnect and a connect, the breakdown equals pg_stat_activity again"; else fail "after a disconnect and a connect, the breakdown equals pg_stat_activity again" "expected:
$expect
screen:
$(screen_apps)"; fi
wait_for "the stream shows the connect" "gamma connected from 127.0.0.1"
keys q
wait_for "q quits the live view" "TOP-EXIT=0"
restored "q (live)"

test_summary
