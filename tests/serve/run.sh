#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# pgtail serve over HTTP, on a copy of a fixture log, at a free port: both
# exposition formats by Accept (promtool check metrics on the text format,
# a strict OpenMetrics parser on the other), gzip, the
# index page, 404 and 405, the open sessions equal to 'connections --json',
# lines appended while it runs, SIGHUP, SIGTERM and SIGINT ending with
# status 0, a port in use, web config errors naming the file and line,
# basic auth (401 with WWW-Authenticate, then 200) and TLS with a
# self-signed certificate made here, and IPv6 on [::1] when there is IPv6.
#
#   PGTAIL=build/pgtail BUILD=build tests/serve/run.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
. tests/lib/test-lib.sh
. tests/live/lib-live.sh

PGTAIL=${PGTAIL:-$top/build/pgtail}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
HELPER=$BUILD/tests/pgtail-test
FIXTURE=$top/tests/fixtures/default-prefix/postgresql-2026-11-29_004152.log
SERVE_PID=

T=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-serve.XXXXXX") || exit 1
cleanup() {
	[ -n "$SERVE_PID" ] && kill -KILL "$SERVE_PID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in curl openssl promtool python3 /usr/bin/python3; do
	command -v "$tool" >/dev/null || bail "$tool is installed" "scripts/install-deps.sh test"
done
[ -x "$PGTAIL" ] || bail "pgtail binary at $PGTAIL"
[ -x "$HELPER" ] || bail "test helper at $HELPER" "configure with -Dtests=enabled"

# --- running pgtail serve -------------------------------------------------------------

# start_serve ARGS...: pgtail serve in the background on a free port ($PORT,
# and $URL for plain HTTP); waits until it says where it serves.  A port found free can be taken
# before serve binds it (a client's port, another suite's server): then
# another one is tried.
serving() { grep -q '^Serving the metrics' "$T/serve.out" 2>/dev/null; }
serving_or_gone() { serving || ! kill -0 "$SERVE_PID" 2>/dev/null; }
start_serve() {
	local try
	for try in 1 2 3 4 5; do
		pick_port || bail "a free port"
		: >"$T/serve.out"
		"$PGTAIL" serve --listen="${LISTEN_HOST:-127.0.0.1}:$PORT" "$@" \
			>"$T/serve.out" 2>"$T/serve.err" &
		SERVE_PID=$!
		retry_until 30 serving_or_gone
		URL=http://${LISTEN_HOST:-127.0.0.1}:$PORT
		serving && return 0
		wait "$SERVE_PID" 2>/dev/null
		SERVE_PID=
		grep -q 'port is in use' "$T/serve.err" || return 1
	done
	return 1
}

# stop_serve SIGNAL: the exit status pgtail serve ends with.
stop_serve() {
	kill -"$1" "$SERVE_PID"
	wait "$SERVE_PID"
	local rc=$?
	SERVE_PID=
	return $rc
}

URL=
# get PATH [curl args...]: headers in $T/h, body in $T/b, status printed.
get() {
	local path=$1
	shift
	curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' --max-time 20 "$@" "$URL$path"
}
header() { tr -d '\r' <"$T/h" | sed -n "s/^$1: //Ip" | tail -1; }

# metric NAME: the sum of a family's samples in $T/b.
metric_sum() {
	awk -v n="$1" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%d\n", s }' "$T/b"
}

# --- the formats ----------------------------------------------------------------------

cp "$FIXTURE" "$T/pg.log"
if start_serve "$T/pg.log"; then pass "serve starts on a fixture log"; else
	bail "serve starts on a fixture log" "$(cat "$T/serve.out" "$T/serve.err")"; fi
URL=http://127.0.0.1:$PORT

check_eq "GET /metrics is 200" 200 "$(get /metrics)"
check_eq "without Accept: the text format" "text/plain; version=0.0.4; charset=utf-8" \
	"$(header Content-Type)"
cp "$T/b" "$T/text.prom"
if promtool check metrics <"$T/text.prom" >"$T/promtool.out" 2>&1; then
	pass "promtool check metrics: the text format"
else
	fail "promtool check metrics: the text format" "$(head -20 "$T/promtool.out")"
fi

"$PGTAIL" connections --json "$T/pg.log" >"$T/json" 2>/dev/null
active=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["active"])' "$T/json")
check_eq "the open sessions equal 'connections --json'" "$active" \
	"$(metric_sum pgtail_sessions_open)"

check_eq "Accept: application/openmetrics-text is 200" 200 \
	"$(get /metrics -H 'Accept: application/openmetrics-text; version=1.0.0')"
check_eq "... and OpenMetrics" \
	"application/openmetrics-text; version=1.0.0; charset=utf-8" "$(header Content-Type)"
check_eq "... ending with # EOF" "# EOF" "$(tail -1 "$T/b")"
# promtool check metrics reads the text format only; OpenMetrics goes
# through python3-prometheus-client's strict parser (tests/metrics/check.py),
# and the live test has Prometheus itself parse it.
cp "$T/b" "$T/served.om"
(cd "$T" && /usr/bin/python3 "$top/tests/metrics/check.py" openmetrics served.om) >"$T/om.res" 2>&1
while IFS= read -r line; do
	case $line in
	'ok   '*) pass "OpenMetrics parser: ${line#ok   }" ;;
	'FAIL '*) fail "OpenMetrics parser: ${line#FAIL }" "$(cat "$T/om.res")" ;;
	esac
done <"$T/om.res"
grep -q '^\(ok\|FAIL\) ' "$T/om.res" || fail "tests/metrics/check.py runs" "$(cat "$T/om.res")"

# What Prometheus 2 sends.
prom_accept='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
get /metrics -H "Accept: $prom_accept" >/dev/null
check_eq "Prometheus's Accept header gets OpenMetrics" \
	"application/openmetrics-text; version=1.0.0; charset=utf-8" "$(header Content-Type)"
get /metrics -H 'Accept: text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5' >/dev/null
check_eq "text/plain preferred by q gets the text format" \
	"text/plain; version=0.0.4; charset=utf-8" "$(header Content-Type)"
get /metrics -H 'Accept: application/openmetrics-text;q=0' >/dev/null
check_eq "OpenMetrics refused with q=0 gets the text format" \
	"text/plain; version=0.0.4; charset=utf-8" "$(header Content-Type)"

check_eq "Accept-Encoding: gzip is 200" 200 "$(get /metrics -H 'Accept-Encoding: gzip')"
check_eq "... compressed" gzip "$(header Content-Encoding)"
if gunzip -c <"$T/b" >"$T/gunzipped" 2>/dev/null && cmp -s "$T/gunzipped" "$T/text.prom"; then
	pass "... to the same text"
else
	fail "... to the same text" "$(head -c 300 "$T/gunzipped")"
fi

check_eq "GET / is 200" 200 "$(get /)"
if grep -q 'href="metrics"' "$T/b"; then pass "/ links /metrics"; else
	fail "/ links /metrics" "$(cat "$T/b")"; fi
check_eq "GET /nothing is 404" 404 "$(get /nothing)"
check_eq "HEAD /metrics is 200" 200 "$(get /metrics -I)"
check_eq "POST /metrics is 405" 405 "$(get /metrics -d x)"
check_eq "... with Allow" "GET, HEAD" "$(header Allow)"

# --- following --------------------------------------------------------------------------

open_before=$(get /metrics >/dev/null && metric_sum pgtail_sessions_open)
printf '%s\n' \
	"2026-11-29 00:45:43.001 UTC [99001] LOG:  connection received: host=127.0.0.9 port=50001" \
	"2026-11-29 00:45:43.002 UTC [99001] LOG:  connection authorized: user=app_user database=production application_name=appended" \
	"2026-11-29 00:45:43.003 UTC [99002] LOG:  connection received: host=127.0.0.9 port=50002" \
	"2026-11-29 00:45:43.004 UTC [99002] LOG:  connection authorized: user=app_user database=production application_name=appended" \
	>>"$T/pg.log"
shows_appended() {
	get /metrics >/dev/null &&
		grep -q 'pgtail_sessions_open{.*application_name="appended".*} 2$' "$T/b"
}
if retry_until 20 shows_appended; then
	pass "lines appended to the log show in the next scrapes"
else
	fail "lines appended to the log show in the next scrapes" "$(grep appended "$T/b")"
fi
check_eq "... two more open sessions" $((open_before + 2)) "$(metric_sum pgtail_sessions_open)"

# SIGHUP: the log is read again from its start; here it is replaced by
# the fixture alone (as if the appended lines had gone).
cp "$FIXTURE" "$T/pg.log.new" && mv "$T/pg.log.new" "$T/pg.log"
kill -HUP "$SERVE_PID"
reopened() { grep -q 'reopened' "$T/serve.err"; }
if retry_until 20 reopened; then pass "SIGHUP reopens the log"; else
	fail "SIGHUP reopens the log" "$(cat "$T/serve.err")"; fi
back_to_fixture() { get /metrics >/dev/null && [ "$(metric_sum pgtail_sessions_open)" = "$active" ]; }
if retry_until 20 back_to_fixture; then
	pass "... and serves what the log holds now"
else
	fail "... and serves what the log holds now" "$(grep appended "$T/b")"
fi

# --- port in use, stopping ----------------------------------------------------------------

"$PGTAIL" serve --listen="127.0.0.1:$PORT" "$T/pg.log" >"$T/second.out" 2>"$T/second.err"
rc=$?
check_eq "a second serve on the same port exits 1" 1 "$rc"
if grep -q "cannot listen on '127.0.0.1:$PORT'.*in use" "$T/second.err"; then
	pass "... saying the port is in use"
else
	fail "... saying the port is in use" "$(cat "$T/second.err")"
fi
check_eq "GET /metrics still answers" 200 "$(get /metrics)"

stop_serve TERM
check_eq "SIGTERM stops serve with status 0" 0 "$?"
if grep -v 'pgtail: note: ' "$T/serve.err" | grep -q .; then
	fail "nothing on standard error but notes" "$(cat "$T/serve.err")"
else
	pass "nothing on standard error but notes"
fi
start_serve --server=db1 "$T/pg.log" || bail "serve starts again" "$(cat "$T/serve.err")"
get /metrics >/dev/null
check_eq "--server labels a single log's metrics" "$active" \
	"$(grep '^pgtail_sessions_open{server="db1",' "$T/b" | awk '{ s += $NF } END { print s + 0 }')"
stop_serve INT
check_eq "SIGINT stops serve with status 0" 0 "$?"

# Two logs: two servers, each labelled by its PATH.
cp "$FIXTURE" "$T/pg2.log"
start_serve "$T/pg.log" "$T/pg2.log" || bail "serve starts on two logs" "$(cat "$T/serve.err")"
check_eq "two logs: it says so" "Serving the metrics of 2 logs on http://127.0.0.1:$PORT/metrics" \
	"$(head -1 "$T/serve.out")"
get /metrics >/dev/null
check_eq "two logs: the second one's sessions under its server label" "$active" \
	"$(grep "^pgtail_sessions_open{server=\"$T/pg2.log\"," "$T/b" | awk '{ s += $NF } END { print s + 0 }')"
check_eq "two logs: the open sessions of both" $((2 * active)) "$(metric_sum pgtail_sessions_open)"
if promtool check metrics <"$T/b" >"$T/promtool.out" 2>&1; then
	pass "two logs: promtool check metrics"
else
	fail "two logs: promtool check metrics" "$(head -20 "$T/promtool.out")"
fi
stop_serve TERM
check_eq "... stops with status 0" 0 "$?"

"$PGTAIL" serve --listen=127.0.0.1:notaport "$T/pg.log" >/dev/null 2>"$T/err"
check_eq "--listen with a bad port exits 2" 2 "$?"
"$PGTAIL" serve --listen=::1:80 "$T/pg.log" >/dev/null 2>"$T/err"
check_eq "--listen with IPv6 unbracketed exits 2" 2 "$?"

# --- web config errors ------------------------------------------------------------------

# webconfig_error NAME EXPECTED_MESSAGE: serve with $T/web.yml must exit 1
# with a message matching EXPECTED_MESSAGE.
webconfig_error() {
	pick_port || bail "a free port"
	timeout 20 "$PGTAIL" serve --listen="127.0.0.1:$PORT" --web-config="$T/web.yml" \
		"$T/pg.log" >/dev/null 2>"$T/err"
	local rc=$?
	if [ $rc -eq 1 ] && grep -q -- "$2" "$T/err"; then
		pass "web config: $1"
	else
		fail "web config: $1" "exit $rc, expected 1 and: $2
$(cat "$T/err")"
	fi
}
rm -f "$T/web.yml"
webconfig_error "a missing file is named" "cannot read web config '$T/web.yml'"
printf 'basic_auth_users:\n  alice: %s\nlisten: yes\n' "$("$HELPER" bcrypt x)" >"$T/web.yml"
webconfig_error "an unknown key is named with its line" "unknown key 'listen' in web config '$T/web.yml' line 3"
printf 'tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  client_ca_file: ca.crt\n' >"$T/web.yml"
webconfig_error "a key pgtail does not implement is refused" "does not implement client certificates: 'client_ca_file'.* line 4"
printf 'basic_auth_users:\n  alice: secret\n' >"$T/web.yml"
webconfig_error "a password that is no bcrypt hash is refused" "not a bcrypt hash.*'alice' in web config '$T/web.yml' line 2"
printf 'tls_server_config:\n  cert_file: a.crt\n' >"$T/web.yml"
webconfig_error "a certificate without a key is refused" "missing key_file"
printf 'tls_server_config: [\n' >"$T/web.yml"
webconfig_error "YAML that does not parse is refused with its line" "web config '$T/web.yml' line 2"
printf 'tls_server_config:\n  cert_file: none.crt\n  key_file: none.key\n' >"$T/web.yml"
webconfig_error "a certificate that cannot be read is named" "cannot read the certificate '$T/none.crt'"

# --- basic auth and TLS -------------------------------------------------------------------

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj /CN=localhost -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
	-keyout "$T/server.key" -out "$T/server.crt" >"$T/openssl.out" 2>&1 ||
	bail "openssl makes a self-signed certificate" "$(cat "$T/openssl.out")"
hash=$("$HELPER" bcrypt 's3cret pass') || bail "pgtail-test bcrypt"
# Relative file names: taken from the web config's directory.
printf 'basic_auth_users:\n  alice: %s\n  bob: %s\n' "$hash" "$("$HELPER" bcrypt other)" >"$T/web.yml"
cd /
start_serve --web-config="$T/web.yml" "$T/pg.log" || bail "serve starts with basic auth" "$(cat "$T/serve.err")"
cd "$top" || exit 1
URL=http://127.0.0.1:$PORT
check_eq "basic auth: no credentials is 401" 401 "$(get /metrics)"
check_eq "... with WWW-Authenticate" 'Basic realm="pgtail"' "$(header WWW-Authenticate)"
check_eq "basic auth: a wrong password is 401" 401 "$(get /metrics -u 'alice:s3cret')"
check_eq "basic auth: an unknown user is 401" 401 "$(get /metrics -u 'carol:s3cret pass')"
check_eq "basic auth: another user's password is 401" 401 "$(get /metrics -u 'bob:s3cret pass')"
check_eq "basic auth: the right password is 200" 200 "$(get /metrics -u 'alice:s3cret pass')"
check_eq "basic auth: / needs it too" 401 "$(get /)"
stop_serve TERM
check_eq "... stops with status 0" 0 "$?"

printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  alice: %s\n' \
	"$hash" >"$T/web.yml"
if start_serve --web-config="$T/web.yml" "$T/pg.log"; then
	pass "serve starts with TLS and basic auth"
else
	bail "serve starts with TLS and basic auth" "$(cat "$T/serve.err")"
fi
if grep -q "https://127.0.0.1:$PORT/metrics" "$T/serve.out"; then pass "... and says https"; else
	fail "... and says https" "$(cat "$T/serve.out")"; fi
URL=https://127.0.0.1:$PORT
check_eq "TLS: the certificate verifies, 200" 200 \
	"$(get /metrics --cacert "$T/server.crt" -u 'alice:s3cret pass')"
if promtool check metrics <"$T/b" >"$T/promtool.out" 2>&1; then
	pass "TLS: promtool check metrics"
else
	fail "TLS: promtool check metrics" "$(head -20 "$T/promtool.out")"
fi
check_eq "TLS: without credentials 401" 401 "$(get /metrics --cacert "$T/server.crt")"
URL=http://127.0.0.1:$PORT
code=$(get /metrics -u 'alice:s3cret pass')
if [ "$code" != 200 ]; then pass "TLS: plain HTTP gets no metrics"; else
	fail "TLS: plain HTTP gets no metrics" "$code"; fi
stop_serve TERM
check_eq "... stops with status 0" 0 "$?"

# --- IPv6 ----------------------------------------------------------------------------------

if python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
	LISTEN_HOST='[::1]' start_serve "$T/pg.log" || bail "serve starts on [::1]" "$(cat "$T/serve.err")"
	URL="http://[::1]:$PORT"
	check_eq "IPv6: GET http://[::1]:PORT/metrics is 200" 200 "$(get /metrics -g)"
	stop_serve TERM
	check_eq "... stops with status 0" 0 "$?"
else
	pass "IPv6: no ::1 on this machine, skipped"
fi

test_summary
