#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# Run the test suites against each build, and print one closing line
# "N passed, N failed" (exit status 1 on any failure).
#
#   [BUILDS="build build-asan"] [JOBS=4] tests/run.sh [SUITE...]
#
# Suites run against every build in BUILDS: unit golden corpus jobs wrap metrics
# repl detect follow robust leak live livesyslog livejournald livefollow
# livegap livelang install complete serve liveserve everyday top.  Suites run once: fuzz
# (the libFuzzer smoke run,
# FUZZ_SECONDS each, default 5; it configures and builds build-fuzz
# itself), demo (make demo with the test-only packages hidden), package
# (the Debian package, built and checked) and style (every C file as
# .clang-format writes it).  Default: all of them.
#
# Up to JOBS suites run at the same time, longest first (on 2 cores, 4 at
# once gave the shortest run: most suites spend much of their time waiting
# on a server, a follower or a terminal).  Each one's output is held back
# and printed whole when it ends, with its wall time; a table of the times
# comes before the closing line.  The suites that start a
# PostgreSQL server each use their own temporary directory and a free port,
# so they can run side by side.
#   BUILDS=build tests/run.sh unit golden      (what make test runs)
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
. tests/lib/test-lib.sh

build_suites="unit golden corpus jobs wrap metrics repl detect follow robust leak live livesyslog livejournald livefollow livegap livelang install complete serve liveserve everyday top"
default_suites=$build_suites
once_suites="fuzz demo package style"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# --- one job ------------------------------------------------------------------------
# A job is BUILD/SUITE, fuzz or demo.  It prints ok/FAIL lines and ends
# with its own "N passed, N failed".

# run_unit BUILD: every cmocka program of BUILD, side by side (test_follow
# spends most of its time waiting).
run_unit() {
	local b=$1 t name n out found=0
	local -A pid=()
	utmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-unit.XXXXXX") || return 1
	trap 'rm -rf "$utmp"' EXIT
	for t in "$b"/tests/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		found=1
		"$t" >"$utmp/$(basename "$t")" 2>&1 &
		pid[$t]=$!
	done
	for t in "$b"/tests/test_*; do
		[ -n "${pid[$t]:-}" ] || continue
		name=$(basename "$t")
		out=$utmp/$name
		if wait "${pid[$t]}"; then
			n=$(sed -n 's/.*PASSED.* \([0-9][0-9]*\) test.*/\1/p' "$out" | tail -1)
			pass "$name (${n:-?} cases)"
		else
			fail "$name" "$(grep -E 'FAIL|ERROR|error|Assert|runtime' "$out" | head -20)"
		fi
	done
	[ $found = 1 ] || fail "unit tests are built" "configure with -Dtests=enabled (make check)"
	test_summary
}

run_job() {
	local b s pgtail
	case $1 in
	fuzz) exec tests/fuzz/run.sh "${FUZZ_SECONDS:-5}" ;;
	demo) exec tests/demo/run.sh ;;
	style) exec tests/style/run.sh ;;
	package) exec tests/package/run.sh ;;
	esac
	b=${1%/*} s=${1##*/}
	case $b in /*) pgtail=$b/pgtail ;; *) pgtail=$top/$b/pgtail ;; esac
	case $s in
	unit) run_unit "$b" ;;
	livefollow) PGTAIL=$pgtail BUILD=$b exec tests/live/follow.sh ;;
	livegap) PGTAIL=$pgtail BUILD=$b exec tests/live/gap.sh ;;
	livelang) PGTAIL=$pgtail BUILD=$b exec tests/live/lang.sh ;;
	livesyslog) PGTAIL=$pgtail BUILD=$b exec tests/live/syslog.sh ;;
	livejournald) PGTAIL=$pgtail BUILD=$b exec tests/live/journald.sh ;;
	liveserve) PGTAIL=$pgtail BUILD=$b exec tests/live/serve.sh ;;
	everyday) PGTAIL=$pgtail BUILD=$b exec tests/live/everyday.sh ;;
	*) PGTAIL=$pgtail BUILD=$b exec "tests/$s/run.sh" ;;
	esac
}

# tests/run.sh --job ID: what start_job runs, in a session of its own.
if [ "${1:-}" = --job ]; then
	run_job "$2"
	exit
fi

# --- the job list ---------------------------------------------------------------------

suites=${*:-"$default_suites $once_suites"}
builds=${BUILDS:-build build-asan}
jobs=${JOBS:-4}

# Rough wall time of each suite with others beside it on 2 cores, in
# seconds: the longest start first, so that the short ones fill in around
# them.  (The leak check runs under valgrind, except in a sanitizer build.)
estimate() {
	case $1 in
	fuzz) echo 100 ;;
	package) echo 130 ;;
	*asan*/leak) echo 15 ;;
	*/leak) echo 120 ;;
	*/everyday) echo 95 ;;
	*/live) echo 85 ;;
	*/livelang) echo 90 ;;
	*/livesyslog | */livejournald | */liveserve) echo 60 ;;
	*/robust) echo 55 ;;
	demo) echo 45 ;;
	style) echo 10 ;;
	*asan*/metrics) echo 85 ;;
	*/metrics) echo 45 ;;
	*/follow | */unit) echo 25 ;;
	*asan*/jobs) echo 100 ;;
	*/jobs) echo 38 ;;
	*asan*/wrap) echo 48 ;;
	*/wrap) echo 29 ;;
	*/corpus | */livefollow | */livegap | */repl | */detect | */complete | */install) echo 12 ;;
	*/serve) echo 20 ;;
	*/top) echo 22 ;;
	*) echo 5 ;;
	esac
}

list=""
missing=""
for s in $suites; do
	if [[ " $build_suites " == *" $s "* ]]; then
		for b in $builds; do
			if [ -x "$b/pgtail" ]; then
				list+="$(estimate "$b/$s") $b/$s"$'\n'
			elif [[ " $missing " != *" $b "* ]]; then
				missing+=" $b"
			fi
		done
	elif [[ " $once_suites " == *" $s "* ]]; then
		list+="$(estimate "$s") $s"$'\n'
	else
		fail "unknown suite '$s'" "suites: $build_suites $once_suites"
	fi
done
for b in $missing; do fail "$b: pgtail is built" "run 'make check'"; done
queue=$(printf '%s' "$list" | sort -s -k1,1nr | cut -d' ' -f2)

# --- running them ---------------------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-run.XXXXXX") || exit 1
declare -A job_pid=() job_start=() job_time=()
# Stop what is still running (each job is a process group), then tidy up.
cleanup() {
	local p
	for p in "${job_pid[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The suites call python3 several hundred times.  When the python3 found in
# PATH is a wrapper script that picks an interpreter on every call (as
# version managers install), that costs most of a second each time; point
# python3 straight at the interpreter it picks, once.
if py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) && [ -x "$py" ]; then
	mkdir "$tmp/bin" && ln -s "$py" "$tmp/bin/python3" && export PATH="$tmp/bin:$PATH"
fi

now() { printf '%s' "${EPOCHREALTIME/[.,]/}"; } # microseconds
secs() { printf '%d.%d' $(($1 / 1000000)) $(($1 % 1000000 / 100000)); }
outfile() { printf '%s/%s.out' "$tmp" "${1//\//_}"; }

start_job() {
	# setsid: the job is a process group of its own, which cleanup can stop
	# whole.  (A background child of this shell leads no group, so setsid
	# runs in place and $! is the job.)
	setsid "$top/tests/run.sh" --job "$1" >"$(outfile "$1")" 2>&1 </dev/null &
	job_pid[$1]=$!
	job_start[$1]=$(now)
}

# report ID STATUS: print a finished job's lines and fold its tally into ours.
report() {
	local id=$1 rc=$2 f last p nf label=""
	f=$(outfile "$id")
	case $id in */*) label="$id: " ;; esac
	grep -E '^(ok|FAIL|     )' "$f" | sed "s|^ok   |ok   $label|; s|^FAIL |FAIL $label|"
	last=$(tail -1 "$f")
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		p=${BASH_REMATCH[1]} nf=${BASH_REMATCH[2]}
		TESTS_PASSED=$((TESTS_PASSED + p))
		TESTS_FAILED=$((TESTS_FAILED + nf))
		[ "$rc" -ne 0 ] && [ "$nf" -eq 0 ] && fail "$id: suite exit status" "exit $rc"
	else
		p=0 nf=1
		fail "$id: suite ran to its end" "exit $rc
$(tail -15 "$f")"
	fi
	printf -- '--- %s: %s s, %s ok, %s failed\n' "$id" "$(secs "${job_time[$id]}")" "$p" "$nf"
	grep -E '^FAIL ' "$f" | sed "s|^FAIL |FAIL $label|" >>"$tmp/failed"
}

t0=$(now)
running=0
set -- $queue
while [ $# -gt 0 ] || [ $running -gt 0 ]; do
	while [ $# -gt 0 ] && [ $running -lt "$jobs" ]; do
		start_job "$1"
		shift
		running=$((running + 1))
	done
	done_pid=
	wait -n -p done_pid
	rc=$?
	if [ -z "$done_pid" ] && [ "$rc" -eq 127 ]; then
		fail "tests/run.sh: lost track of its jobs" "${!job_pid[*]}"
		break
	fi
	for id in "${!job_pid[@]}"; do
		[ "${job_pid[$id]}" = "$done_pid" ] || continue
		job_time[$id]=$(($(now) - ${job_start[$id]}))
		unset "job_pid[$id]"
		running=$((running - 1))
		report "$id" "$rc"
	done
done

if [ ${#job_time[@]} -gt 0 ]; then
	printf '\nWall time per suite, up to %s at once (%s s in all):\n' "$jobs" "$(secs $(($(now) - t0)))"
	for id in "${!job_time[@]}"; do
		printf '%s %s\n' "${job_time[$id]}" "$id"
	done | sort -nr | while read -r us id; do
		printf '  %-22s %6s s\n' "$id" "$(secs "$us")"
	done
fi
# The failures once more, last: a log cut to its tail still names them.
if [ -s "$tmp/failed" ]; then
	printf '\nFailed (%s):\n' "$(wc -l <"$tmp/failed")"
	head -40 "$tmp/failed"
fi
test_summary
