#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# The transports against the plain log they wrap: a real PostgreSQL 15 log
# of the corpus (tests/fixtures/default-prefix, whose truth is known) is
# wrapped into each syslog and journal shape by tests/fixtures/wrap/make.sh;
# 'connections --json' on each, detected without --format, must give the
# plain log's answer (open total, the four breakdowns, connects,
# disconnects, failures by reason, peak) and the corpus truth, with nothing
# skipped.  Also: two hosts in one file (--server reads one), a custom
# syslog_ident among another program's lines, and the journal's records
# read once when both transports hold them.  The container and cloud shapes
# (tests/fixtures/wrap/containers.sh, cloud.sh) come after, each checked
# the same way against the plain log it was built from.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test-lib.sh
PGTAIL=${PGTAIL:-build/pgtail}
d=tests/fixtures/default-prefix
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tests/fixtures/wrap/make.sh $d/postgresql-2026-11-29_004152.log "$tmp" ||
	{ fail "make.sh wraps the corpus log"; test_summary; exit 1; }

# The figures compared, from a connections --json.
# With coarse=1 (a source whose times have whole seconds only), the
# peak's instant is left out: its count is still compared.
coarse=0
figures() {
	jq -S --argjson coarse $coarse '{active, by_database, by_user, by_application, by_host,
		connects, disconnects, failed, failed_by_reason, peak, complete}
		| if $coarse == 1 then del(.peak.at) else . end' "$1"
}

# run NAME ARGS...: connections --json into $tmp/NAME.json; false (reported)
# when pgtail fails.
run() {
	name=$1
	shift
	if ! "$PGTAIL" connections --json "$@" >"$tmp/out-$name.json" 2>"$tmp/out-$name.err"; then
		fail "$name: pgtail exits 0" "$(cat "$tmp/out-$name.err")"
		return 1
	fi
}

# same NAME ARGS...: the figures equal the plain log's ($ref's: plain
# unless set), nothing skipped, and the corpus truth ($truth) holds.
ref=plain
truth=$d/truth.json
same() {
	name=$1
	shift
	run "$name" "$@" || return
	figures "$tmp/out-$name.json" >"$tmp/out-$name.fig"
	figures "$tmp/out-$ref.json" >"$tmp/out-$ref.fig"
	check_cmp "$name: same figures as the $ref log" "$tmp/out-$ref.fig" "$tmp/out-$name.fig"
	check_eq "$name: nothing skipped" 0 "$(jq .skipped "$tmp/out-$name.json")"
	python3 tests/corpus/check.py "$name" "$truth" "$tmp/out-$name.json" >"$tmp/res"
	if grep -q '^FAIL' "$tmp/res"; then
		fail "$name: the corpus truth" "$(grep '^FAIL' "$tmp/res")"
	else
		pass "$name: the corpus truth"
	fi
}

run plain "$tmp/plain.log" && figures "$tmp/out-plain.json" >"$tmp/out-plain.fig"
check_eq "plain: connects" true "$(jq '.connects > 100' "$tmp/out-plain.json")"

for shape in rfc3339 traditional rfc5424 seqoff splitoff short-iso; do
	same "$shape" "$tmp/$shape.log"
done
same journal "$tmp/journal.json"
same "journal on stdin" - <"$tmp/journal.json"
same "rfc3339 on stdin" - <"$tmp/rfc3339.log"
same "--format=syslog" --format=syslog "$tmp/rfc3339.log"
same "gzip" "$(gzip -c "$tmp/rfc5424.log" >"$tmp/r.log.gz" && echo "$tmp/r.log.gz")"

# A custom ident among cron's lines: found by its [N-k] marks, or named.
same "ident found" "$tmp/ident.log"
same "--ident" --ident=pg-main "$tmp/ident.log"
"$PGTAIL" connections --ident=postgres "$tmp/ident.log" >/dev/null 2>"$tmp/wrong.err"
check_eq "--ident=postgres: none of pg-main's records" \
	"no PostgreSQL log records could be read" \
	"$(grep -o 'no PostgreSQL log records could be read' "$tmp/wrong.err")"

# Two hosts: each read alone is the plain log; together, twice its figures.
same "--server=db1" --server=db1 "$tmp/twohosts.log"
same "--server=db2" --server=db2 "$tmp/twohosts.log"
if run twohosts "$tmp/twohosts.log"; then
	check_eq "two hosts: twice the connects" "$(($(jq .connects "$tmp/out-plain.json") * 2))" \
		"$(jq .connects "$tmp/out-twohosts.json")"
	check_eq "two hosts: twice the failures" "$(($(jq .failed "$tmp/out-plain.json") * 2))" \
		"$(jq .failed "$tmp/out-twohosts.json")"
	check_eq "two hosts: named" '["db1","db2"]' "$(jq -c .servers "$tmp/out-twohosts.json")"
	check_eq "two hosts: a caveat" several_servers \
		"$(jq -r '.caveats[].kind' "$tmp/out-twohosts.json" | grep several_servers)"
fi
if run "no such server" --server=db9 "$tmp/twohosts.log"; then
	check_eq "--server=db9: nothing counted" 0 "$(jq .connects "$tmp/out-no such server.json")"
	check_eq "--server=db9: said" no_such_server \
		"$(jq -r '.caveats[].kind' "$tmp/out-no such server.json" | grep no_such_server)"
fi
# db2's copy two minutes later: its start comes while db1's sessions are
# open, and ends only db2's.  Each host's figures are the plain log's.
same "shifted, --server=db1" --server=db1 "$tmp/twohosts-shifted.log"
same "shifted, --server=db2" --server=db2 "$tmp/twohosts-shifted.log"
# each_server NAME PLAIN OUT SERVER...: OUT's by_server gives each SERVER
# PLAIN's open, connects and failed.
each_server() {
	local name=$1 plain=$2 out=$3 want
	shift 3
	want=$(for sv in "$@"; do jq -c --arg s "$sv" '{active, connects, failed, server: $s}' "$plain"; done |
		jq -cS -s .)
	check_eq "$name" "$want" "$(jq -cS .by_server "$out")"
}
if run shifted "$tmp/twohosts-shifted.log"; then
	pa=$(jq .active "$tmp/out-plain.json")
	pc=$(jq .connects "$tmp/out-plain.json")
	pf=$(jq .failed "$tmp/out-plain.json")
	each_server "shifted hosts: each host's open, connects, failed are the plain log's" \
		"$tmp/out-plain.json" "$tmp/out-shifted.json" db1 db2
	check_eq "shifted hosts: open is the sum" "$((pa * 2))" "$(jq .active "$tmp/out-shifted.json")"
	check_eq "shifted hosts: exact (both seen starting)" true \
		"$(jq .complete "$tmp/out-shifted.json")"
	check_eq "shifted hosts: nothing ended by the other's start" \
		"$(jq .ended_by_reset "$tmp/out-plain.json")" "$(jq .ended_by_reset "$tmp/out-shifted.json")"
	"$PGTAIL" connections "$tmp/twohosts-shifted.log" >"$tmp/shifted.txt" 2>&1
	check_eq "shifted hosts: the text names each host's figures" 2 \
		"$(sed -n '/^By server:/,/^$/p' "$tmp/shifted.txt" | grep -cE "^  db[12] +$pa +$pc +$pf\$")"
fi

# The traditional timestamp alone (a prefix without %m): its year is the
# file's modification time's, and a note says so.
sed 's/: \(\[[0-9-]*\]\) 2026-[0-9-]* [0-9:.]* UTC /: \1 /' "$tmp/traditional.log" >"$tmp/notime.log"
touch -d 2026-12-31T12:00:00Z "$tmp/notime.log"
if run notime --prefix='[%p] ' "$tmp/notime.log"; then
	check_eq "no %m: the header's time, in the file's year" '"2026-11-29"' \
		"$(jq '.window_start[0:10]' "$tmp/out-notime.json")"
	check_eq "no %m: a note says so" 1 "$(grep -c 'no year and no zone' "$tmp/out-notime.err")"
	check_eq "no %m: same connects" "$(jq .connects "$tmp/out-plain.json")" \
		"$(jq .connects "$tmp/out-notime.json")"
fi
# Containers (the research notes' 1.4 and 1.5), by
# tests/fixtures/wrap/containers.sh: no Docker, Kubernetes or CloudNativePG
# runs here, so each documented wrapper is applied to the same corpus log
# (the stderr file; for CloudNativePG, the csvlog of the same run).  Its
# plain.log has a 40 KB statement line, which Docker and CRI cut into 16 KB
# pieces.
c=$tmp/containers
tests/fixtures/wrap/containers.sh $d/postgresql-2026-11-29_004152.log \
	$d/postgresql-2026-11-29_004152.csv "$c" || fail "containers.sh wraps the corpus log"
run cplain "$c/plain.log"
ref=cplain
# 1.4 json-file: {"log":"LINE\n","stream":"stderr","time":...}, 16 KB pieces.
same "docker json-file" "$c/docker.json"
same "docker json-file on stdin" - <"$c/docker.json"
# 1.4 docker logs -t: RFC3339Nano, a space, the line.
same "docker logs -t" "$c/docker-t.log"
# 1.4 CRI: "TIME stderr F|P LINE"; the 40 KB line comes in P pieces.
same "cri" "$c/cri.log"
same "cri, --format=cri" --format=cri "$c/cri.log"
# 1.4 a pod's directory on a node: 0.log.STAMP.gz, 0.log.STAMP, 0.log, 1.log.
same "pod directory" "$c"/pods/*/postgres
# kubectl logs --prefix ("[pod/POD/CONTAINER] LINE"), also with
# --timestamps; several pods in one stream (kubectl logs -l ... --prefix):
# each pod a server.
sed 's|^|[pod/pg-0/postgres] |' "$c/plain.log" >"$c/kubectl.log"
same "kubectl logs --prefix" "$c/kubectl.log"
sed 's|^|[pod/pg-0/postgres] |' "$c/docker-t.log" >"$c/kubectl-t.log"
same "kubectl logs --prefix --timestamps" "$c/kubectl-t.log"
awk '{print "[pod/pg-0/postgres] " $0; print "[pod/pg-1/postgres] " $0}' "$c/plain.log" \
	>"$c/kubectl-2pods.log"
same "kubectl, two pods: --server=pg-1" --server=pg-1 "$c/kubectl-2pods.log"
run kubectl2 "$c/kubectl-2pods.log" &&
	each_server "kubectl, two pods: each pod's figures are the plain log's" \
		"$tmp/out-cplain.json" "$tmp/out-kubectl2.json" pg-0 pg-1
run cplaincsv "$c/plain.csv"
ref=cplaincsv
# 1.5 CloudNativePG: the csvlog rows as records, "ts" in both forms, other
# loggers' lines between them (left out: nothing skipped).
same "cnpg" "$c/cnpg.json"
check_eq "cnpg: the pod is the server" '["pg-cluster-1"]' "$(jq -c .servers "$tmp/out-cnpg.json")"
# 1.5 on the node: CloudNativePG's lines inside CRI records.
same "cnpg in cri" "$c/cri-cnpg.log"
check_eq "cnpg in cri: the pod is the server" '["pg-cluster-1"]' \
	"$(jq -c .servers "$tmp/out-cnpg in cri.json")"
# CloudNativePG's lines through kubectl logs --prefix.
sed 's|^|[pod/pg-cluster-1/postgres] |' "$c/cnpg.json" >"$c/kubectl-cnpg.log"
same "cnpg through kubectl logs --prefix" "$c/kubectl-cnpg.log"
check_eq "cnpg through kubectl: the pod is the server" '["pg-cluster-1"]' \
	"$(jq -c .servers "$tmp/out-cnpg through kubectl logs --prefix.json")"
# Without log_time, "ts" gives the time, in either form.
jq -c 'if .record then del(.record.log_time) else . end' "$c/cnpg.json" >"$tmp/cnpg-ts.json"
same "cnpg, times from ts" "$tmp/cnpg-ts.json"
check_eq "cnpg, times from ts: same window end" \
	"$(jq -r .window_end "$tmp/out-cnpg.json" | cut -c1-19)" \
	"$(jq -r .window_end "$tmp/out-cnpg, times from ts.json" | cut -c1-19)"
# Cloud services (the research notes' 1.7 to 1.10), by
# tests/fixtures/wrap/cloud.sh: no cloud service runs here, so each
# documented wrapper and prefix is rebuilt from a real corpus log written
# with the Debian prefix (its user and database on every session line).
deb=tests/fixtures/debian-prefix
w=$tmp/cloud
tests/fixtures/wrap/cloud.sh $deb/postgresql-2026-11-29_003703.log "$w" ||
	fail "cloud.sh wraps the corpus log"
run dplain "$w/plain.log"
ref=dplain
truth=$deb/truth.json
# 1.7 RDS/Aurora: '%t:%r:%u@%d:[%p]:' is a plain stderr log (%t: whole
# seconds).
coarse=1
same "rds" "$w/rds.log"
# 1.7 the same from CloudWatch: "TIME.mmmZ " before each line.
same "cloudwatch" "$w/cloudwatch.log"
coarse=0
# 1.8 Cloud SQL: Cloud Logging entries, the line in textPayload, its time
# in the entry only or in the line too.
same "cloudsql" "$w/cloudsql.json"
same "cloudsql, %m" "$w/cloudsql-m.json"
check_eq "cloudsql: database_id is the server" '["proj-1:pg-main"]' \
	"$(jq -c .servers "$tmp/out-cloudsql.json")"
# The same entries as 'gcloud logging read --format=json' writes them: one
# pretty-printed array (1.8); also with a record cut at the end.
jq -s . "$w/cloudsql.json" >"$w/gcloud-array.json"
same "cloudsql, gcloud's pretty-printed array" "$w/gcloud-array.json"
head -c -200 "$w/gcloud-array.json" >"$w/gcloud-cut.json"
"$PGTAIL" connections --json "$w/gcloud-cut.json" >"$tmp/cut.json" 2>"$tmp/cut.err"
check_eq "gcloud array cut inside a record: one record skipped, and said" \
	"1 1" "$(jq .skipped "$tmp/cut.json") $(grep -c 'the document ends inside a record' "$tmp/cut.err")"
# 1.9 Azure: a server-log file with '%t-%c-' (the pid from %c), and Azure
# Monitor's records among another category's (%t: whole seconds).
coarse=1
same "azure log file" "$w/azure.log"
same "azure monitor" "$w/azure.json"
check_eq "azure monitor: the server's name" '["PG-FLEX-1"]' \
	"$(jq -c .servers "$tmp/out-azure monitor.json")"
# The same records in a storage export's {"records": [...]} (1.9), one
# pretty-printed document.
jq -s '{records: .}' "$w/azure.json" >"$w/azure-records.json"
same "azure monitor, storage export {\"records\": [...]}" "$w/azure-records.json"
# 1.10 Heroku: heroku logs among the metrics lines, and a log drain (the
# time in whole seconds, the pid from the dyno's name).
same "heroku" "$w/heroku.log"
same "heroku drain" "$w/heroku-drain.log"
check_eq "heroku: the attachment is the server" '["GREEN"]' \
	"$(jq -c .servers "$tmp/out-heroku.json")"
coarse=0
test_summary
