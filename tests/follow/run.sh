#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# End-to-end follow tests: tests/helper/follow-cat follows a temporary log
# file or directory in the background while this script appends, rotates,
# renames, truncates and removes; what follow-cat printed must equal what
# was appended, byte for byte.  Every case runs on the inotify backend and
# on the poll backend (forced through PGTAIL_FOLLOW=poll, the hidden
# switch).  Waits are bounded retries, never fixed sleeps.  The
# write-to-delivery latency is measured and printed as a note.
#   BUILD=build tests/follow/run.sh
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test-lib.sh

BUILD=${BUILD:-build}
CAT=$BUILD/tests/follow-cat
WAIT=5       # seconds allowed for any expected output
LAT_WRITES=50

if [ ! -x "$CAT" ]; then
	fail "follow-cat is built" "run 'ninja -C $BUILD'"
	test_summary
	exit 1
fi

tmp=$(mktemp -d /tmp/pgtail-follow.XXXXXX)
cat_pid=
cleanup() {
	[ -n "$cat_pid" ] && kill "$cat_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# start_cat ARGS...: follow-cat in the background on $case; returns once it
# is set up.  Its stdout is $case/out, its stderr $case/err.
start_cat() {
	rm -f "$case/ready"
	"$CAT" --ready "$case/ready" "$@" >"$case/out" 2>"$case/err" &
	cat_pid=$!
	retry_until $WAIT test -e "$case/ready"
}

stop_cat() {
	[ -n "$cat_pid" ] || return 0
	kill "$cat_pid" 2>/dev/null
	wait "$cat_pid" 2>/dev/null
	cat_pid=
}

# put FILE TEXT: append TEXT to FILE (one write) and to what is expected.
put() {
	printf '%s' "$2" >>"$1"
	printf '%s' "$2" >>"$case/expect"
}

size_of() {
	wc -c <"$1" | tr -d ' '
}

out_reached() {
	[ "$(size_of "$case/out")" -ge "$(size_of "$case/expect")" ]
}

# check_out NAME: wait until follow-cat printed as much as was appended,
# then compare.
check_out() {
	retry_until $WAIT out_reached
	check_cmp "$1" "$case/expect" "$case/out"
}

# check_err NAME TEXT: follow-cat reported TEXT on stderr.
check_err() {
	if grep -q -- "$2" "$case/err"; then
		pass "$1"
	else
		fail "$1" "no '$2' in: $(cat "$case/err")"
	fi
}

new_case() {
	case=$tmp/$backend-$1
	mkdir -p "$case"
	: >"$case/expect"
}

run_cases() {
	# (1) and (5): rotation to a newer file in the log directory, then a
	# server restart opening another one.
	new_case dir
	mkdir "$case/log"
	printf 'before the follower\n' >"$case/log/postgresql-2026-01-01_000000.log"
	start_cat --dir "$case/log"
	put "$case/log/postgresql-2026-01-01_000000.log" "line 1
"
	put "$case/log/postgresql-2026-01-01_000000.log" "line 2, no newline yet"
	check_out "$backend: appended bytes, a partial line included"
	put "$case/log/postgresql-2026-01-01_000000.log" " ...now
"
	put "$case/log/postgresql-2026-01-01_010000.log" "rotated 1
"
	put "$case/log/postgresql-2026-01-01_010000.log" "rotated 2
"
	check_out "$backend: rotation to a new file in the directory"
	put "$case/log/postgresql-2026-01-01_020000.log" "after restart
"
	check_out "$backend: the collector restarting opens a new file"
	check_err "$backend: rotation is reported" "switching from"
	stop_cat

	# (2) current_logfiles, trusted over file times, through a restart
	# that removes it for a moment.
	new_case clf
	mkdir "$case/log"
	: >"$case/log/a.log"
	printf 'stderr log/a.log\ncsvlog log/a.csv\n' >"$case/current_logfiles"
	start_cat --data-dir "$case" --dir "$case/log"
	put "$case/log/a.log" "a1
"
	printf 'not followed\n' >>"$case/log/unrelated.log"
	check_out "$backend: current_logfiles names the file"
	put "$case/log/a.log" "a2
"
	put "$case/log/b.log" "b1
"
	printf 'stderr log/b.log\n' >"$case/current_logfiles.tmp"
	mv "$case/current_logfiles.tmp" "$case/current_logfiles"
	put "$case/log/b.log" "b2
"
	check_out "$backend: current_logfiles changes (pg_rotate_logfile)"
	rm "$case/current_logfiles"
	put "$case/log/c.log" "c1
"
	printf 'stderr log/c.log\n' >"$case/current_logfiles.tmp"
	mv "$case/current_logfiles.tmp" "$case/current_logfiles"
	check_out "$backend: server restart removes and rewrites current_logfiles"
	stop_cat

	# (3) copytruncate, as Debian's logrotate does it.
	new_case copytruncate
	log=$case/postgresql-15-main.log
	: >"$log"
	start_cat "$log"
	put "$log" "before rotation 1
"
	put "$log" "before rotation 2
"
	check_out "$backend: appended before copytruncate"
	cp "$log" "$log.1"
	: >"$log"
	put "$log" "after
"
	check_out "$backend: copytruncate: read again from the start"
	check_err "$backend: copytruncate is reported" "truncated"
	stop_cat

	# (4) rename and recreate.
	new_case rename
	log=$case/postgresql.log
	: >"$log"
	start_cat "$log"
	put "$log" "old file
"
	check_out "$backend: appended before the rename"
	mv "$log" "$log.1"
	put "$log.1" "old file, written after the rename
"
	put "$log" "new file
"
	check_out "$backend: rename and recreate"
	check_err "$backend: recreation is reported" "replaced by a new file"
	stop_cat

	# (6) removed, then created again later.
	new_case removed
	log=$case/postgresql.log
	: >"$log"
	start_cat "$log"
	put "$log" "first
"
	check_out "$backend: appended before removal"
	rm "$log"
	retry_until $WAIT grep -q "was removed" "$case/err"
	check_err "$backend: removal is reported" "was removed"
	put "$log" "second file
"
	check_out "$backend: a file created again is followed"
	stop_cat

	# The log directory removed: follow-cat stops with an error.
	new_case dirgone
	mkdir "$case/log"
	: >"$case/log/postgresql.log"
	start_cat --dir "$case/log"
	rm -rf "$case/log"
	if retry_until $WAIT grep -q "was removed" "$case/err"; then
		wait "$cat_pid"
		rc=$?
		cat_pid=
		check_eq "$backend: a removed log directory is fatal (exit 1)" 1 "$rc"
	else
		fail "$backend: a removed log directory is fatal" "$(cat "$case/err")"
		stop_cat
	fi

	# Latency: one stamped line at a time, the next once it arrived.
	new_case latency
	log=$case/postgresql.log
	: >"$log"
	start_cat --latency "$case/lat" "$log"
	i=0
	while [ $i -lt $LAT_WRITES ]; do
		"$CAT" --stamp "$log"
		i=$((i + 1))
		retry_until $WAIT lat_has $i || break
	done
	stop_cat
	n=$(wc -l <"$case/lat" | tr -d ' ')
	if [ "$n" -eq $LAT_WRITES ]; then
		pass "$backend: $LAT_WRITES stamped lines delivered"
		med=$(sort -n "$case/lat" | sed -n "$(((n + 1) / 2))p")
		max=$(sort -n "$case/lat" | tail -1)
		printf 'note %s: write-to-delivery latency median %s us, max %s us (%s writes)\n' \
			"$backend" "$med" "$max" "$n"
	else
		fail "$backend: $LAT_WRITES stamped lines delivered" "only $n"
	fi
}

lat_has() {
	[ -f "$case/lat" ] && [ "$(wc -l <"$case/lat" | tr -d ' ')" -ge "$1" ]
}

backend=inotify
unset PGTAIL_FOLLOW
run_cases

case=$tmp/inotify-dir
check_err "inotify: the inotify backend is chosen by default" "backend inotify"

backend=poll
PGTAIL_FOLLOW=poll
export PGTAIL_FOLLOW
run_cases
if grep -q "backend poll" "$tmp"/poll-dir/err; then
	pass "poll: PGTAIL_FOLLOW=poll forces the poll backend"
else
	fail "poll: PGTAIL_FOLLOW=poll forces the poll backend" "$(cat "$tmp"/poll-dir/err)"
fi

test_summary
