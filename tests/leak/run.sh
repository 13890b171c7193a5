#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Leak check of the one-shot commands: every view of 'connections' on every
# log format, the other commands, and the error paths.  On a sanitizer build
# LeakSanitizer watches each run; on the optimised build valgrind does (and
# reports invalid reads and uses of uninitialised memory too).  A run that
# leaks, or that valgrind flags, fails.
#   PGTAIL=/abs/path/to/pgtail tests/leak/run.sh
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/test-lib.sh"
PGTAIL=${PGTAIL:-$PWD/build/pgtail}
FX=$HERE/../fixtures
DP=$FX/default-prefix/postgresql-2026-11-29_004152
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if grep -q __asan_init "$PGTAIL" 2>/dev/null; then
	mode=lsan
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
elif command -v valgrind >/dev/null; then
	mode=valgrind
else
	fail "leak: valgrind is installed" "scripts/install-deps.sh test installs it"
	test_summary
	exit 1
fi

# __complete reads the log for names for 300 ms and ends itself 2 s past
# that: under valgrind on a loaded machine, give it the time it needs.
export PGTAIL_COMPLETE_MS=60000

# Inputs beyond the fixtures: gzip, stdin, garbage, a cut csv record.
gzip -c "$DP.log" >"$T/default.log.gz"
randbytes 1 20000 >"$T/rand.log"
{ head -20 "$DP.csv"; printf '2026-11-29 00:41:52.700 UTC,"p","p",11790,"[local]",x,2,"idle",,3/0,0,LOG,00000,"cut'; } >"$T/cut.csv"

# leak NAME EXPECTED_EXIT ARGS...: run pgtail once; stdin is the default log.
leak() {
	name=$1 want=$2
	shift 2
	if [ $mode = valgrind ]; then
		valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
			--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
			--log-file="$T/vg" "$PGTAIL" "$@" <"$DP.log" >"$T/out" 2>"$T/err"
		rc=$?
		report=$(cat "$T/vg")
	else
		"$PGTAIL" "$@" <"$DP.log" >"$T/out" 2>"$T/err"
		rc=$?
		report=$(grep -A12 -E "LeakSanitizer|AddressSanitizer|runtime error" "$T/err")
	fi
	if [ $rc = 99 ] || [ -n "$report" ]; then
		fail "$mode: $name" "$(printf '%s\n' "$report" | head -30)"
	elif [ "$rc" != "$want" ]; then
		fail "$mode: $name (exit $want)" "exit $rc: $(head -5 "$T/err")"
	else
		pass "$mode: $name"
	fi
}

leak "connections, stderr log" 0 connections "$DP.log"
leak "connections --json, csvlog" 0 connections --json "$DP.csv"
leak "connections --json, jsonlog" 0 connections --json "$DP.json"
leak "connections, gzip" 0 connections "$T/default.log.gz"
leak "connections, standard input" 0 connections -
leak "connections, rotated directory" 0 connections "$FX/rotation"
leak "connections, glob" 0 connections "$FX/rotation/*.log"
leak "connections, debian prefix with filters" 0 connections --app='p*' --user=postgres --db=postgres --host='[local]' "$FX/debian-prefix"
leak "connections, explicit --prefix" 0 connections --prefix='%m [%p] ' "$DP.log"
leak "connections, no-pid prefix" 0 connections "$FX/synthetic/empty-prefix.log"
leak "connections --until --since" 0 connections --since=2026-11-29T00:42:00Z --until=2026-11-29T00:43:00Z "$DP.log"
leak "connections --sessions" 0 connections --sessions "$DP.log"
leak "connections --sessions --json" 0 connections --sessions --json "$DP.csv"
leak "connections --history" 0 connections --history "$DP.log"
leak "connections --history --json --window --bucket" 0 connections --history --json --window=10m --bucket=1m "$DP.json"
leak "connections --watch on standard input" 0 connections --watch -
leak "connections --watch --json --since on standard input" 0 connections --watch --json --since=2026-11-29T00:00:00Z -
leak "connections --metrics" 0 connections --metrics "$DP.log"
leak "connections --openmetrics --server, capped" 0 connections --openmetrics --server=db1 --max-apps=1 --max-hosts=0 "$DP.csv"
leak "connections --metrics --output" 0 connections --metrics --output="$T/pg.prom" "$DP.json"
leak "connections --metrics --output, missing directory" 1 connections --metrics --output="$T/no/such/pg.prom" "$DP.log"
leak "connections, garbage beside a good log" 0 connections --json "$T/rand.log" "$DP.log"
leak "connections, csv cut at end of file" 0 connections --json "$T/cut.csv"
leak "connections, garbage alone" 1 connections "$T/rand.log"
leak "connections, missing file" 1 connections "$T/missing.log"
leak "connections, bad option" 2 connections --no-such-option "$DP.log"
leak "connections, bad --since" 2 connections --since=tomorrowish "$DP.log"
leak "connections, bad --prefix" 1 connections --prefix='%' "$DP.log"
leak "help" 0 help
leak "help connections" 0 help connections
leak "--help" 0 --help
leak "unknown command" 2 no-such-command
leak "list --json" 0 list --json
leak "__complete, the log's names with descriptions" 0 __complete --describe connections "$DP.log" --app=
leak "__complete, options" 0 __complete connections --
leak "__complete, instances" 0 __complete connections --instance=
leak "__complete, a rotated directory's names" 0 __complete connections "$FX/rotation" user=
leak "__man" 0 __man --date=2026-01-02

# serve: its error paths, then a whole run -- replay, two scrapes, SIGHUP,
# SIGTERM -- with its HTTP threads.  Port 0: the system picks a free one and
# serve says which.
printf 'basic_auth_users:\n  alice: x\nlisten: yes\n' >"$T/web.yml"
leak "serve, bad --listen" 2 serve --listen=::1:80 "$DP.log"
leak "serve, a web config that cannot be read" 1 serve --web-config="$T/none.yml" "$DP.log"
leak "serve, a web config with errors" 1 serve --web-config="$T/web.yml" "$DP.log"
leak "serve, no log to follow" 1 serve --listen=127.0.0.1:0 "$T/none.log"
if [ $mode = valgrind ]; then
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		--log-file="$T/vg" "$PGTAIL" serve --listen=127.0.0.1:0 "$DP.log" \
		>"$T/serve.out" 2>"$T/serve.err" &
else
	"$PGTAIL" serve --listen=127.0.0.1:0 "$DP.log" >"$T/serve.out" 2>"$T/serve.err" &
fi
pid=$!
serving() { grep -q '^Serving' "$T/serve.out"; }
if retry_until 120 serving; then
	url=$(sed -n 's|^Serving .* on \(http://[^ ]*\)$|\1|p' "$T/serve.out")
	port=${url##*:}
	port=${port%%/*}
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$url")
	code=$code,$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 -H 'Accept-Encoding: gzip' \
		-H 'Accept: application/openmetrics-text' "$url")
	check_eq "$mode: serve answers two scrapes" "200,200" "$code"
	leak "serve, the port in use" 1 serve --listen="127.0.0.1:$port" "$DP.log"
	kill -HUP $pid
	reopened() { grep -q 'reopened' "$T/serve.err"; }
	retry_until 120 reopened
fi
kill -TERM $pid
wait $pid
rc=$?
if [ $mode = valgrind ]; then
	report=$(cat "$T/vg")
else
	report=$(grep -A12 -E "LeakSanitizer|AddressSanitizer|runtime error" "$T/serve.err")
fi
if [ $rc = 0 ] && [ -z "$report" ]; then
	pass "$mode: serve, followed, scraped, reopened and stopped by SIGTERM"
else
	fail "$mode: serve, followed, scraped, reopened and stopped by SIGTERM" \
		"exit $rc: $(printf '%s\n' "$report" | head -30; head -5 "$T/serve.err")"
fi

test_summary
