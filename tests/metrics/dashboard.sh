# SPDX-License-Identifier: PostgreSQL
# Sourced by tests/metrics/run.sh (PGTAIL, tmp, fx, dash and the tally are
# its): the Grafana dashboard's queries run in a real Prometheus.
#
# The corpus log is replayed up to every 10 s of its time (--until), each
# exposition stamped 100 s apart (the log's 4 minutes spread over 40, so
# rates and 30-minute windows have points), and backfilled into a TSDB of
# our own with promtool; a synthetic series of three applications -- one
# that only grows, a steady pool, one that grows and falls -- is added for
# the leak query.  Then Prometheus serves that TSDB on 127.0.0.1 and every
# query of the dashboard must evaluate; the ones that show the replay must
# return data, and what they return must equal the --json summary.

pq=$tmp/promql
mkdir -p "$pq/snap"
t0=$(date -u -d '2026-11-29 00:42:00' +%s)
base=$(($(date +%s) - 3000))
for i in $(seq 0 22); do
	until=$(date -u -d "@$((t0 + i * 10))" +%Y-%m-%dT%H:%M:%SZ)
	"$PGTAIL" connections --openmetrics --server=db1 --until="$until" $d.log \
		>"$pq/snap/$(printf '%02d' "$i").om" &
done
wait
check_eq "23 replays up to every 10 s of the log" 23 "$(grep -l -x '# EOF' "$pq"/snap/*.om | wc -l)"
last_until=$until
at=$((base + 22 * 100))
# One OpenMetrics file: each family once, its samples from every
# snapshot, each stamped with its snapshot's time.
awk -v base=$base '
FILENAME != last { snap++; last = FILENAME; k = 0 }
/^# HELP/ { k++; if (snap == 1) nf = k }
/^# (HELP|TYPE|UNIT)/ { if (snap == 1) head[k] = head[k] $0 "\n"; next }
/^# EOF/ { next }
{ body[k] = body[k] $0 " " (base + (snap - 1) * 100) "\n" }
END { for (i = 1; i <= nf; i++) printf "%s%s", head[i], body[i]; print "# EOF" }' \
	"$pq"/snap/*.om >"$pq/replay.om"
# 30 minutes, a sample a minute: leaky 1, 2, ... 31; pool 10; bursty up and down.
{
	echo '# TYPE pgtail_sessions_open gauge'
	for app in leaky pool bursty; do
		for i in $(seq 0 30); do
			case $app in
			leaky) v=$((i + 1)) ;;
			pool) v=10 ;;
			bursty) v=$((5 + i % 4 + i / 3)) ;;
			esac
			printf 'pgtail_sessions_open{server="synthetic",datname="db",usename="u",application_name="%s",client_addr="10.0.0.1"} %s %s\n' \
				$app $v $((at - (30 - i) * 60))
		done
	done
	echo '# EOF'
} >"$pq/synthetic.om"
for f in replay synthetic; do
	if out=$(promtool tsdb create-blocks-from openmetrics "$pq/$f.om" "$pq/data" 2>&1); then
		pass "promtool backfills the $f series"
	else
		fail "promtool backfills the $f series" "$out"
	fi
done

# Prometheus on a free port of 127.0.0.1, its configuration and data here.
printf 'global:\n  scrape_interval: 1m\n' >"$pq/prometheus.yml"
prom_pid=
for try in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 30000))
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
	prometheus --config.file="$pq/prometheus.yml" --storage.tsdb.path="$pq/data" \
		--storage.tsdb.retention.time=100y --web.listen-address=127.0.0.1:$port \
		>"$pq/prometheus.log" 2>&1 &
	prom_pid=$!
	url=http://127.0.0.1:$port
	query() { promtool query instant -o json "$url" "$1" --time="$at" 2>&1; }
	if retry_until 30 sh -c "promtool query instant '$url' 'vector(1)' >/dev/null 2>&1"; then
		break
	fi
	kill $prom_pid 2>/dev/null
	wait $prom_pid 2>/dev/null
	prom_pid=
done
if [ -z "$prom_pid" ]; then
	fail "Prometheus starts on 127.0.0.1" "$(tail -5 "$pq/prometheus.log")"
else
	pass "Prometheus starts on 127.0.0.1 with the backfilled series"
	# Every query, Grafana's variables filled in as Grafana would.
	jq -r '.panels[] | select(.type != "row") | .title as $t | .targets[]
		| [$t, .refId, (.expr | gsub("\\$__rate_interval"; "5m") | gsub("\\$server"; ".*"))]
		| @tsv' "$dash" >"$pq/queries"
	while IFS=$'\t' read -r title ref expr; do
		out=$(query "$expr")
		if [ $? -ne 0 ] || ! printf '%s' "$out" | jq -e 'type == "array"' >/dev/null 2>&1; then
			fail "Prometheus evaluates '$title' ($ref)" "$expr: $out"
			continue
		fi
		n=$(printf '%s' "$out" | jq 'map(select(.metric.server != "synthetic")) | length')
		case $title in
		*"by reason"* | *"ended by the server"* | *"only grew"* | *"Leak candidates"* | *"may be open"*)
			# May well be empty for the replay (no failure in the last
			# interval, no leak): evaluated is enough.
			pass "Prometheus evaluates '$title' ($ref)" ;;
		*)
			[ "$n" -gt 0 ] && pass "Prometheus evaluates '$title' ($ref): $n series" ||
				fail "Prometheus evaluates '$title' ($ref): data for the replay" "$expr: $out" ;;
		esac
	done <"$pq/queries"

	# What Prometheus says equals the summary at the last snapshot.
	"$PGTAIL" connections --json --until="$last_until" $d.log >"$pq/summary.json"
	for pair in application_name:by_application usename:by_user datname:by_database \
		client_addr:by_host; do
		label=${pair%%:*} key=${pair#*:}
		got=$(query "sum by ($label) (pgtail_sessions_open{server=\"db1\"})" |
			jq -S --arg l "$label" 'map({(.metric[$l]): (.value[1] | tonumber)}) | add')
		want=$(jq -S ".$key" "$pq/summary.json")
		check_eq "PromQL sum by ($label) equals the summary's $key" "$want" "$got"
	done
	check_eq "PromQL connects equal the summary's" "$(jq .connects "$pq/summary.json")" \
		"$(query 'pgtail_connections_total{server="db1"}' | jq -r '.[0].value[1]')"
	check_eq "PromQL failures equal the summary's" "$(jq .failed "$pq/summary.json")" \
		"$(query 'sum(pgtail_connection_failures_total{server="db1"})' | jq -r '.[0].value[1]')"
	# The leak panel names the application that only grew, and only it.
	leak=$(jq -r '.panels[] | select(.type == "table") | .targets[0].expr
		| gsub("\\$server"; ".*")' "$dash")
	check_eq "the leak panel flags the application that only grew, not the pool or the bursty one" \
		"synthetic leaky" \
		"$(query "$leak" | jq -r '.[] | "\(.metric.server) \(.metric.application_name)"' | sort | tr '\n' ' ' | sed 's/ $//')"
	kill $prom_pid
	wait $prom_pid 2>/dev/null
fi
