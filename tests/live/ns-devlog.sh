#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Inside a private mount namespace (run as 'unshare -m sh ns-devlog.sh ...'):
# make /dev/log the socket SOCKET, then run COMMAND (WORK is the test's
# temporary directory, where the real /dev is bound while /dev is rebuilt), for a server whose
# syslog(3) must reach a test's own logger.  /dev is rebuilt on a tmpfs from
# binds of the real entries, plus "log"; nothing outside the namespace sees
# it.  With --journald DIR first, a private systemd-journald is started in
# the namespace before (its /run a tmpfs, its config DIR/journald.conf, its
# pid in DIR/journald.pid) and SOCKET is its dev-log socket.
#   ns-devlog.sh [--journald DIR] WORK SOCKET COMMAND...
set -e
mount --make-rprivate /
if [ "$1" = --journald ]; then
	dir=$2
	shift 2
	mount -t tmpfs -o mode=755 pgtail-run /run
	mkdir -p /run/systemd/journal /run/log/journal
	mount --bind "$dir/journald.conf" /etc/systemd/journald.conf
	/lib/systemd/systemd-journald >"$dir/journald.out" 2>&1 &
	echo $! >"$dir/journald.pid"
	i=0
	while [ ! -S /run/systemd/journal/stdout ] || [ ! -S /run/systemd/journal/dev-log ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "systemd-journald did not start" >&2; exit 1; }
		sleep 0.1
	done
fi
real=$1/realdev
sock=$2
shift 2
mkdir -p "$real"
mount --rbind /dev "$real"
mount -t tmpfs -o mode=755 pgtail-dev /dev
for e in "$real"/* "$real"/.[!.]*; do
	[ -e "$e" ] || [ -L "$e" ] || continue
	n=${e##*/}
	if [ -L "$e" ]; then
		cp -P "$e" "/dev/$n"
	elif [ -d "$e" ]; then
		mkdir "/dev/$n" && mount --rbind "$e" "/dev/$n"
	else
		: >"/dev/$n" && mount --bind "$e" "/dev/$n"
	fi
done
: >/dev/log
mount --bind "$sock" /dev/log
exec "$@"
