#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# connections --metrics: every exposition made here, in both formats, with a
# server label, with caps and with names that need escaping, and the golden
# ones, passes Prometheus's own checks (promtool check metrics for the text
# format; promtool's OpenMetrics backfill parser and python3-prometheus-
# client's strict parser for OpenMetrics); the metrics of the corpus logs
# equal their connections --json summaries number for number; --output
# replaces its file whole; and every metric the Grafana dashboard queries
# exists, in PromQL that promtool parses and a real Prometheus, fed the
# corpus log's metrics, evaluates to what the summary says.
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
. tests/lib/test-lib.sh
PGTAIL=${PGTAIL:-build/pgtail}
# python3-prometheus-client is a Debian package: Debian's interpreter.
PY=/usr/bin/python3
fx=tests/fixtures
dash=contrib/grafana/pgtail-connections.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in promtool jq; do
	command -v $tool >/dev/null || fail "$tool is installed" "scripts/install-deps.sh test"
done
$PY -c 'import prometheus_client' 2>/dev/null ||
	fail "python3-prometheus-client is installed" "scripts/install-deps.sh test"

# fold FILE: count check.py's lines into this suite's tally.
fold() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok   "*) pass "${line#ok   }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$1"
}

# --- the expositions ------------------------------------------------------------------
# Each job below prints ok/FAIL lines into a file of its own; the jobs run
# side by side (most of their time is promtool starting) and their files
# are folded in, in order, when all are done.
# say OK NAME [DETAIL]: a result line, as pass and fail print them.
say() {
	if [ "$1" = 0 ]; then printf 'ok   %s\n' "$2"; else
		printf 'FAIL %s\n' "$2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/     /'
	fi
	return 0
}
# fold_jobs DIR: wait for the jobs, then fold DIR/*.res into the tally.
fold_jobs() {
	wait
	for r in "$1"/*.res; do fold "$r"; done
}

# expo NAME PGTAIL-ARGS...: NAME.prom (text format) and NAME.om (OpenMetrics).
mkdir "$tmp/expo" "$tmp/res.expo" "$tmp/res.check"
expo() {
	local name=$1
	shift
	{
		"$PGTAIL" connections --metrics "$@" >"$tmp/expo/$name.prom" 2>"$tmp/expo/$name.err" &&
			"$PGTAIL" connections --openmetrics "$@" >"$tmp/expo/$name.om" 2>>"$tmp/expo/$name.err"
		say $? "$name: pgtail writes both formats" "$(cat "$tmp/expo/$name.err")"
		rm -f "$tmp/expo/$name.err"
	} >"$tmp/res.expo/$name.res" &
}
d=$fx/default-prefix/postgresql-2026-11-29_004152
expo default-stderr $d.log
expo default-csvlog-server --server=db1.example:5432 $d.csv
expo default-jsonlog-capped --server=db1 --max-apps=1 --max-hosts=1 $d.json
expo default-no-labels --max-apps=0 --max-hosts=0 $d.log
expo default-filter-since --app='my*' --since=00:42:00 $d.log
expo debian $fx/debian-prefix/postgresql-2026-11-29_003703.log
expo rotation $fx/rotation
expo lower-bound $fx/synthetic/mid-stream.log
expo no-timestamps $fx/synthetic/empty-prefix.log
expo disconnections-gap $fx/synthetic/log-disconnections-gap.log
expo connections-gap $fx/synthetic/log-connections-gap.log
expo escaping --server='a "quoted" \server' $fx/synthetic/quoted-names.json
expo hostile-names --server="$(printf 'two\nlines')" $fx/synthetic/hostile-names.log
expo empty $fx/synthetic/empty.log
# A central syslog host's file: the corpus log from two hosts, db2's copy
# two minutes later (tests/fixtures/wrap/make.sh): each host's own series.
mkdir "$tmp/wrap"
tests/fixtures/wrap/make.sh $d.log "$tmp/wrap" >/dev/null 2>&1 ||
	fail "make.sh wraps the corpus log (two hosts)"
expo two-hosts "$tmp/wrap/twohosts-shifted.log"
fold_jobs "$tmp/res.expo"
# The golden tests' expositions (their stdout, when they exit 0).
for c in tests/golden/cases/*metrics*.expected; do
	grep -q '^--- exit 0$' "$c" || continue
	n=$(basename "$c" .expected)
	sed -n '/^--- stdout$/,/^--- stderr$/{/^--- /d;p}' "$c" >"$tmp/expo/golden-$n.txt"
	if grep -q '^# EOF$' "$tmp/expo/golden-$n.txt"; then
		mv "$tmp/expo/golden-$n.txt" "$tmp/expo/golden-$n.om"
	else
		mv "$tmp/expo/golden-$n.txt" "$tmp/expo/golden-$n.prom"
	fi
done

# --- Prometheus's checks --------------------------------------------------------------
# check_text FILE: the text format, linted by promtool (names, units, help):
# any word from it is a failure.
check_text() {
	local out
	out=$(promtool check metrics <"$1" 2>&1) && [ -z "$out" ]
	say $? "promtool check metrics: $1" "$out"
	! grep -q '^# EOF' "$1"
	say $? "$1: no # EOF in the text format"
}
# check_om FILE: OpenMetrics, through Prometheus's parser in the backfill
# (which wants a timestamp on every sample): every sample read, none
# refused; the same samples as the text format.
check_om() {
	local f=$1 b=${1%.om} n out
	[ "$(tail -1 "$f")" = "# EOF" ]
	say $? "$f ends with # EOF"
	n=$(grep -c -v '^#' "$f")
	sed '/^#/!s/$/ 1795913142.255/' "$f" >"$f.stamped"
	out=$(promtool tsdb create-blocks-from openmetrics "$f.stamped" "$tmp/tsdb-$f" 2>&1) &&
		printf '%s\n' "$out" | awk -v n="$n" 'NR == 2 && $5 == n { ok = 1 } END { exit !ok }'
	say $? "promtool reads the $n samples of $f as OpenMetrics" "$out"
	rm -rf "$f.stamped" "$tmp/tsdb-$f"
	if [ -f "$b.prom" ]; then
		out=$(diff <(grep -v '^#' "$b.prom") <(grep -v '^#' "$f"))
		say $? "$b: OpenMetrics has the text format's samples" "$out"
	fi
}
cd "$tmp/expo" || exit 1
for f in *.prom; do check_text "$f" >"$tmp/res.check/$f.res" & done
for f in *.om; do check_om "$f" >"$tmp/res.check/$f.res" & done
$PY "$top/tests/metrics/check.py" openmetrics *.om >"$tmp/res.check/python.res" 2>&1 &
fold_jobs "$tmp/res.check"
cd "$top" || exit 1

# --- the metrics equal the summary ----------------------------------------------------
# Caps high enough that no name is folded: every breakdown must match.
args=()
# equal NAME PGTAIL-ARGS...
equal() {
	local name=$1 n=${#args[@]}
	shift
	if "$PGTAIL" connections --json "$@" >"$tmp/eq$n.json" 2>"$tmp/err" &&
		"$PGTAIL" connections --metrics --max-hosts=999999 --max-apps=999999 "$@" \
			>"$tmp/eq$n.prom" 2>>"$tmp/err"; then
		args+=("$name" "$tmp/eq$n.json" "$tmp/eq$n.prom")
	else
		fail "$name: pgtail writes the summary and the metrics" "$(cat "$tmp/err")"
	fi
}
equal "default-prefix stderr" $d.log
equal "default-prefix csvlog" $d.csv
equal "default-prefix jsonlog" $d.json
for ext in log csv json; do
	cat $d.$ext $fx/default-prefix/after-cut/postgresql-2026-11-29_004152.$ext >"$tmp/full.$ext"
	equal "default-prefix $ext to shutdown" "$tmp/full.$ext"
done
equal "default-prefix filtered, since" --app='my*' --since=00:42:00 $d.log
equal "default-prefix until" --until=00:42:30 $d.log
equal "debian-prefix" $fx/debian-prefix/postgresql-2026-11-29_003703.log
equal "rotation directory" $fx/rotation
equal "empty prefix (no timestamps, no PIDs)" $fx/synthetic/empty-prefix.log
equal "lower bound" $fx/synthetic/mid-stream.log
equal "log_disconnections gap" $fx/synthetic/log-disconnections-gap.log
equal "log_connections gap" $fx/synthetic/log-connections-gap.log
equal "two hosts in one syslog file" "$tmp/wrap/twohosts-shifted.log"
$PY tests/metrics/check.py equal "${args[@]}" >"$tmp/res" 2>&1
fold "$tmp/res"
# With the default caps the corpus has too few names to fold: the same.
"$PGTAIL" connections --metrics $d.log >"$tmp/default-caps.prom"
check_cmp "default caps fold nothing in the corpus" "$tmp/eq0.prom" "$tmp/default-caps.prom"
# Capped, the labels change but the open sessions add up to the same.
sum_open() { awk '/^pgtail_sessions_open\{/ { n += $NF } END { print n + 0 }' "$1"; }
check_eq "capped to one application and one host, the open sessions add up" \
	"$(sum_open "$tmp/eq0.prom")" "$(sum_open "$tmp/expo/default-jsonlog-capped.prom")"
check_eq "capped to one application: it and \"other\"" 'myapp other' \
	"$(grep -o 'application_name="[^"]*"' "$tmp/expo/default-jsonlog-capped.prom" |
		sort -u | sed 's/application_name="\(.*\)"/\1/' | tr '\n' ' ' | sed 's/ $//')"

# --- --output ---------------------------------------------------------------------------
out=$tmp/out
mkdir "$out"
"$PGTAIL" connections --openmetrics --output="$out/pg.prom" $d.log >"$tmp/stdout" 2>"$tmp/err"
rc=$?
check_eq "--output: exit 0, nothing on stdout or stderr" "0" "$rc$(cat "$tmp/stdout" "$tmp/err")"
check_cmp "--output writes what stdout would" "$tmp/expo/default-stderr.om" "$out/pg.prom"
check_eq "--output: readable by a collector running as another user (umask 022)" 644 \
	"$(stat -c %a "$out/pg.prom")"
check_eq "--output leaves no temporary file" "pg.prom" "$(ls -A "$out")"
# A reader never sees a part: each read is the whole exposition, the old
# or the new one, while the file is replaced over and over.
ino=$(stat -c %i "$out/pg.prom")
# Held open, the first file keeps its inode: no later file can be given
# the same number, which would make the rename check below pass or fail
# by chance.
exec 8<"$out/pg.prom"
(
	for i in $(seq 20); do
		"$PGTAIL" connections --openmetrics --output="$out/pg.prom" $d.log || exit 1
	done
) &
writer=$!
reads=0 torn=0
while kill -0 $writer 2>/dev/null; do
	content=$(cat "$out/pg.prom")
	reads=$((reads + 1))
	case $content in
	"# HELP pgtail_sessions_open "*"# EOF") ;;
	*) torn=$((torn + 1)) ;;
	esac
done
wait $writer
check_eq "--output replaced 20 times: the writer succeeds" 0 $?
check_eq "--output: none of $reads reads saw a part of the file" 0 $torn
[ "$(stat -c %i "$out/pg.prom")" != "$ino" ] && pass "--output renames a new file over the old one" ||
	fail "--output renames a new file over the old one" "same inode $ino"
exec 8<&-
check_eq "--output leaves no temporary file after 20 writes" "pg.prom" "$(ls -A "$out")"
# Failures: exit 1, a message naming the file, the target as it was.
"$PGTAIL" connections --metrics --output="$tmp/no/such/dir/pg.prom" $d.log 2>"$tmp/err"
rc=$?
check_eq "--output into a missing directory: exit 1" 1 $rc
check_eq "--output into a missing directory: the error names the file" \
	"pgtail: cannot write '$tmp/no/such/dir/pg.prom': cannot create a file in '$tmp/no/such/dir/': No such file or directory" \
	"$(cat "$tmp/err")"
mkdir "$out/taken"
"$PGTAIL" connections --metrics --output="$out/taken" $d.log 2>"$tmp/err"
rc=$?
check_eq "--output over a directory: exit 1 and the error" \
	"1 pgtail: cannot write '$out/taken': Is a directory" "$rc $(cat "$tmp/err")"
check_eq "--output over a directory: the directory stays, no temporary file" "pg.prom taken" \
	"$(ls -A "$out" | tr '\n' ' ' | sed 's/ $//')"
cp "$out/pg.prom" "$tmp/before"
"$PGTAIL" connections --metrics --output="$out/pg.prom" "$tmp/no-such.log" 2>/dev/null
check_eq "a replay that fails leaves --output's file alone" 1 $?
check_cmp "a replay that fails leaves --output's file as it was" "$tmp/before" "$out/pg.prom"

# --- the Grafana dashboard --------------------------------------------------------------
if jq empty "$dash" 2>"$tmp/err"; then pass "$dash is well-formed JSON"; else
	fail "$dash is well-formed JSON" "$(cat "$tmp/err")"; fi
jq -r '.. | objects | select(has("expr")) | .expr' "$dash" >"$tmp/exprs"
jq -r '.templating.list[] | select(.type == "query") | .definition' "$dash" >>"$tmp/exprs"
check_eq "the dashboard has its queries" yes "$([ "$(wc -l <"$tmp/exprs")" -ge 20 ] && echo yes)"
# Every name a query uses is a sample name of the expositions above.
cat "$tmp"/expo/*.prom | grep -v '^#' | sed 's/[{ ].*//' | sort -u >"$tmp/names"
grep -o 'pgtail_[a-z_]*' "$tmp/exprs" | sort -u >"$tmp/used"
missing=$(comm -23 "$tmp/used" "$tmp/names" | tr '\n' ' ')
check_eq "every metric the dashboard queries is in the exposition ($(wc -l <"$tmp/used") names)" \
	"" "$missing"
# Every query parses as PromQL: promtool checks them as recording rules,
# with Grafana's variables as Grafana fills them in.
jq '{groups: [{name: "dashboard", rules: [.. | objects | select(has("expr")) | .expr
	| gsub("\\$__rate_interval"; "5m") | gsub("\\$server"; ".*")]
	| to_entries | map({record: "dashboard:expr\(.key)", expr: .value})}]}' "$dash" >"$tmp/rules.yml"
if out=$(promtool check rules "$tmp/rules.yml" 2>&1); then
	pass "promtool parses every query of the dashboard"
else
	fail "promtool parses every query of the dashboard" "$out"
fi
check_eq "the dashboard asks for a Prometheus data source" "datasource prometheus" \
	"$(jq -r '.templating.list[] | select(.name == "datasource") | "\(.type) \(.query)"' "$dash")"
check_eq "every panel queries \${datasource}" "" \
	"$(jq -r '.panels[] | select(.type != "row") | select(.datasource.uid != "${datasource}"
		or any(.targets[]; .datasource.uid != "${datasource}")) | .title' "$dash")"
check_eq "every query selects the \$server variable" "" \
	"$(jq -r '.. | objects | select(has("expr")) | .expr | select(test("\\$server") | not)' "$dash")"
for want in 'by (server, application_name)' 'by (server, usename)' 'by (server, datname)' \
	'by (server, client_addr)' 'histogram_quantile(0.95' 'pgtail_connection_failures_total' \
	'deriv('; do
	grep -q -F "$want" "$tmp/exprs" && pass "the dashboard has $want" ||
		fail "the dashboard has $want"
done
# Its queries in a real Prometheus.
. tests/metrics/dashboard.sh

test_summary
