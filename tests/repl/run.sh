#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# The interactive shell and --watch, driven as a person would: pgtail runs in
# a tmux pane, keys are sent with send-keys, the screen is read with
# capture-pane.  Log lines are appended to a file it follows.  Every wait is
# a bounded retry on what the screen shows, never a fixed sleep.
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
. tests/lib/test-lib.sh
PGTAIL=${PGTAIL:-$top/build/pgtail}
fx=$top/tests/fixtures/default-prefix/postgresql-2026-11-29_004152.log

if ! command -v tmux >/dev/null; then
	fail "tmux is installed" "apt-get install tmux"
	test_summary
	exit 1
fi
tmp=$(mktemp -d)
sock=$tmp/tmux.sock
T="tmux -S $sock"
cleanup() {
	$T kill-server 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

screen() { $T capture-pane -t t -p -S -200 2>/dev/null; }
shows() { screen | grep -F -q -- "$1"; }
count_of() { screen | grep -c -F -- "$1"; }
# wait_for NAME TEXT: pass when TEXT appears on screen within 10 s.
wait_for() {
	if retry_until 10 shows "$2"; then pass "$1"; else fail "$1" "screen:
$(screen | grep -v '^$' | tail -15)"; fi
}
keys() { $T send-keys -t t "$@"; }

head -2000 "$fx" >"$tmp/pg.log"
cd "$tmp" || exit 1
$T new-session -d -s t -x 140 -y 50 \
	"env HOME=$tmp XDG_STATE_HOME=$tmp/state TERM=xterm NO_COLOR= $PGTAIL; echo PGTAIL-EXITED \$?; sleep 30"
wait_for "the shell starts with its prompt" "pgtail>"

keys "frobnicate" Enter
wait_for "an unknown command gets a one-line error" "unknown command 'frobnicate'"
keys "connections --bogus" Enter
wait_for "a bad option gets an error, not an exit" "unknown option '--bogus'"

# help lists every command of the shell, from the one table.
keys "help" Enter
for c in connections list tail stop clear help quit; do
	wait_for "help lists '$c'" "  $c "
done
keys "clear" Enter
keys "help tail" Enter
wait_for "help tail shows the shell-only command's usage" "Usage: tail [OPTIONS] [N|PORT|CLUSTER|DATADIR|PATH]"
keys "clear" Enter
keys "stop --help" Enter
wait_for "every command takes --help" "Usage: stop"
keys "clear" Enter
keys "connections --format=" Tab Tab
wait_for "completion offers an option's choices" "--format=csvlog"
keys C-u
keys "clear" Enter

keys "tail pg.log" Enter
wait_for "tail replays the file and reports the open count" "Following pg.log: 13 open sessions"
keys C-c
wait_for "Ctrl+C returns to the prompt" "pgtail>"
keys "clear" Enter
keys "connections" Enter
wait_for "connections shows the followed log" "Active connections: 13"
# The fixture's lines are days old: live, now is the clock and it says so.
wait_for "following a quiet log, the summary says how long it has been quiet" "(no new lines for "

# Append the rest of the first phase: the open count moves.
sed -n 2001,3000p "$fx" >>pg.log
keys "clear" Enter
retry_until 10 sh -c "true" >/dev/null
keys "connections --json" Enter
wait_for "connections sees appended lines" '"connects": 9'
# The read counts are current while following, not only once a file ends.
wait_for "connections --json counts the followed file's lines as read" \
	"\"lines\": $(wc -l <pg.log),"
# --metrics in the shell: the followed model's figures, the same as --json.
n=$(screen | sed -n 's/^  "connects": \([0-9]*\),$/\1/p' | tail -1)
keys "clear" Enter
keys "connections --metrics --output=live.prom" Enter
if retry_until 10 grep -q "^pgtail_connections_total ${n:-none}\$" live.prom; then
	pass "connections --metrics --output in the shell: the followed log's $n connects"
else
	fail "connections --metrics --output in the shell: the followed log's connects" \
		"json: ${n:-none}; metrics: $(grep '^pgtail_connections_total' live.prom 2>&1)"
fi
keys "connections --metrics" Enter
wait_for "connections --metrics in the shell prints them" "pgtail_connections_total $n"

keys "clear" Enter
keys "connections --watch app=myapp" Enter
wait_for "watch prints its header" "Watching connections for application: myapp"
sed -n 3001,3400p "$fx" >>pg.log
wait_for "watch prints [+] for myapp's appended connects, with the pid" "[+] 00:43:53 myapp connected from 127.0.0.5 (user: app_user, db: production, pid 15688)"
if screen | grep -F "[+]" | grep -v -q "myapp"; then
	fail "watch shows only myapp" "$(screen | grep -F '[+]' | grep -v myapp | head -3)"
else
	pass "watch shows only myapp"
fi
wait_for "watch keeps a status line" "events shown; Ctrl+C to stop"
keys C-c
wait_for "Ctrl+C leaves watch for the prompt" "pgtail>"

# --since shows the past events first, also in the shell.
keys "clear" Enter
retry_until 10 sh -c "! $T capture-pane -t t -p | grep -q 'Ctrl+C to stop'"
$T clear-history -t t
keys "connections --watch --since=00:43:53 app=myapp" Enter
wait_for "watch --since in the shell shows past events" "[+] 00:43:53 myapp connected from 127.0.0.5 (user: app_user, db: production, pid 15688)"
keys C-c
wait_for "Ctrl+C leaves watch --since for the prompt" "pgtail>"

# --watch of files named in the shell follows them, until Ctrl+C.
keys "clear" Enter
keys "connections --watch app=sidekiq pg.log" Enter
wait_for "watch PATH in the shell follows the file named" "Watching connections for application: sidekiq"
keys C-c
wait_for "Ctrl+C leaves watch PATH for the prompt" "pgtail>"
keys "connections" Enter
wait_for "the shell still answers after a watch of its own" "Active connections: "

keys "clear" Enter
keys "connections --app=my" Tab Tab
wait_for "completion offers application names seen in the log" "--app=myapp"
keys C-u
keys "clear" Enter
keys "conn" Tab
wait_for "completion of a command" "pgtail> connections"
keys C-u

keys "clear" Enter
keys "help con" Tab
wait_for "completion of help topics" "pgtail> help connections"
keys C-u

# A message from the follower while a command is half typed goes above the
# prompt, and the prompt comes back with what was typed.
keys "clear" Enter
keys "stop" Enter
cp pg.log trunc.log
keys "tail trunc.log" Enter
wait_for "tail follows a second file" "Following trunc.log"
keys C-c
wait_for "back at the prompt" "pgtail>"
keys "connec"
: >trunc.log
wait_for "the follower's note is shown" "'trunc.log' was truncated"
last=$(screen | grep -v '^$' | tail -1)
check_eq "the prompt is drawn again below it, with the typed text" "pgtail> connec" "$last"
keys C-u

keys "quit" Enter
wait_for "quit leaves the shell with status 0" "PGTAIL-EXITED 0"
# libedit writes spaces in its history file as \040.
if [ -s "$tmp/state/pgtail/history" ] && grep -q 'connections.*--watch.*app=myapp' "$tmp/state/pgtail/history"; then
	pass "history is kept in the XDG state directory"
else
	fail "history is kept in the XDG state directory" "$(ls -la "$tmp/state/pgtail" 2>&1)"
fi

# A fresh account has no ~/.local: the history's directories are made.
$T kill-session -t t 2>/dev/null
mkdir -p "$tmp/fresh"
$T new-session -d -s t -x 140 -y 50 \
	"env -u XDG_STATE_HOME HOME=$tmp/fresh TERM=xterm $PGTAIL; echo PGTAIL-EXITED \$?; sleep 30"
wait_for "the shell starts on a fresh account" "pgtail>"
keys "help" Enter
keys "quit" Enter
wait_for "quit on a fresh account" "PGTAIL-EXITED 0"
if [ -s "$tmp/fresh/.local/state/pgtail/history" ]; then
	pass "history is kept on an account without ~/.local"
else
	fail "history is kept on an account without ~/.local" "$(find "$tmp/fresh" 2>&1 | head)"
fi

# One-shot --watch: follows, prints lines, exits 0 on SIGTERM.
# waiting PID: the watch has replayed the file and waits in poll(2) for
# more.  Lines appended before then are part of the replay, which --watch
# does not show (the header comes first, so it cannot tell readiness):
# appending after only the header made the test fail now and then under
# the sanitizers.
waiting() { grep -q poll "/proc/$1/wchan" 2>/dev/null; }
cd "$tmp" && head -3000 "$fx" >w.log
"$PGTAIL" connections --watch app=myapp w.log >watch.out 2>watch.err &
pid=$!
retry_until 10 grep -q "Watching connections" watch.out
retry_until 10 waiting $pid
sed -n 3001,3300p "$fx" >>w.log
if retry_until 10 grep -q "\[+\] 00:43:53 myapp connected from 127.0.0.5" watch.out; then
	pass "one-shot --watch prints appended events"
else
	fail "one-shot --watch prints appended events" "$(cat watch.out watch.err | tail -5)"
fi
kill -TERM $pid
wait $pid
check_eq "one-shot --watch exits 0 on SIGTERM" 0 $?
if grep -q $'\033' watch.out; then fail "no colour when piped"; else pass "no colour when piped"; fi

"$PGTAIL" connections --watch --json w.log >watch.json 2>&1 &
pid=$!
retry_until 10 waiting $pid
sed -n 3301,3400p "$fx" >>w.log
retry_until 10 grep -q '"event":"connect"' watch.json
kill -INT $pid
wait $pid
rc=$?
if python3 -c "import json,sys; [json.loads(l) for l in open('watch.json') if l.strip()]" 2>/dev/null &&
	grep -q '"event":"connect"' watch.json; then
	pass "--watch --json prints one JSON object per line"
else
	fail "--watch --json prints one JSON object per line" "$(head -3 watch.json)"
fi
check_eq "one-shot --watch exits 0 on SIGINT" 0 $rc

# 'tail --lang=L' reads the followed log as connections --lang=L does, in
# the live model and in the views replayed from it (a filter, --sessions).
# The log mixes English, German and Japanese: forced to German, the
# Japanese lines are not read, so the figures differ from the detected ones.
lx=$top/tests/fixtures/lang/mixed.json
figures() { python3 -c '
import json, sys
for blob in sys.stdin.read().split("\n{")[1:]:
    d = json.loads("{" + blob.split("\n}")[0] + "\n}")
    print(d.get("connects"), d.get("failed"), d.get("active"), d.get("language_forced"))'; }
printf 'tail --lang=de %s\nconnections --json\nconnections --app=psql --json\nquit\n' "$lx" |
	"$PGTAIL" 2>lang.err | figures >lang.shell
{ "$PGTAIL" connections --json --lang=de "$lx"; "$PGTAIL" connections --app=psql --json --lang=de "$lx"; } 2>/dev/null |
	sed 's/^{/\n{/' | figures >lang.cli
{ "$PGTAIL" connections --json "$lx"; "$PGTAIL" connections --app=psql --json "$lx"; } 2>/dev/null |
	sed 's/^{/\n{/' | figures >lang.auto
if [ -s lang.shell ] && cmp -s lang.shell lang.cli && ! cmp -s lang.shell lang.auto; then
	pass "tail --lang=de: the shell's views equal connections --lang=de ($(tr '\n' ';' <lang.shell))"
else
	fail "tail --lang=de: the shell's views equal connections --lang=de" \
		"shell: $(tr '\n' ';' <lang.shell) cli: $(tr '\n' ';' <lang.cli) detected: $(tr '\n' ';' <lang.auto) $(head -3 lang.err)"
fi
printf 'tail --lang=xx %s\nquit\n' "$lx" | "$PGTAIL" >lang.out 2>&1
if grep -q "unknown --lang 'xx'" lang.out; then pass "tail --lang=xx: an unknown language is named"; else
	fail "tail --lang=xx: an unknown language is named" "$(head -3 lang.out)"; fi

test_summary
