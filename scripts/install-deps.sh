#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Install what pgtail needs to build and test, from Debian's packages.
# Installs only what is missing; does nothing when everything is there.
# Usage: scripts/install-deps.sh [build|test]
#        scripts/install-deps.sh list-test-only   print the test-only packages
set -eu

want="build"
[ $# -gt 0 ] && want="$1"

# What building pgtail needs (make demo, make all).
build_pkgs="gcc make meson ninja-build pkg-config libjansson-dev zlib1g-dev libedit-dev
	libmicrohttpd-dev libyaml-dev libcrypt-dev libsystemd-dev libncurses-dev"
# What only the tests need.  tests/demo/run.sh hides these packages' files
# to show that a plain build does without them, so nothing the build needs
# may be listed here.
# cmocka: unit tests; postgresql: live tests; clang + its runtime: fuzz
# targets; tmux: the shell's tests; time: peak memory of the robustness
# tests; valgrind: the leak check; clang-format: the layout check; man-db:
# the man page rendered; bash-completion, zsh, fish: the completion scripts
# in the real shells; debhelper, lintian: the Debian package built and
# checked; prometheus (promtool), python3-prometheus-client and jq: the
# metrics checked by Prometheus's own parsers, the dashboard's queries (jq
# also for the figures the wrap tests compare); curl and openssl: pgtail
# serve scraped and served over TLS with a certificate made by the test
# (prometheus also scrapes it for real); rsyslog: the live syslog tests (a
# private rsyslogd); systemd: the live journald tests (a private
# systemd-journald, journalctl, systemd-cat).
test_only_pkgs="libcmocka-dev postgresql clang libclang-rt-dev clang-format tmux time valgrind
	man-db bash-completion zsh fish debhelper lintian prometheus python3-prometheus-client jq
	curl openssl rsyslog systemd"
# The tests also use these, which a build machine has anyway (meson runs on
# python3; util-linux is essential; gcc brings binutils, and dpkg-dev comes
# with build-essential): python3 for the corpus checks, util-linux for
# unshare and mount in tests/demo, dpkg-dev for dpkg-buildpackage and
# binutils for objdump in tests/package.
test_also_pkgs="python3 util-linux dpkg-dev binutils"

case $want in
build) pkgs=$build_pkgs ;;
test) pkgs="$build_pkgs $test_only_pkgs $test_also_pkgs" ;;
list-test-only)
	# shellcheck disable=SC2086 # one line, the words as they are
	echo $test_only_pkgs
	exit 0
	;;
*)
	echo "usage: scripts/install-deps.sh [build|test|list-test-only]" >&2
	exit 2
	;;
esac

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "pgtail: missing Debian packages:$missing" >&2
	echo "pgtail: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# An install cut short earlier leaves dpkg's journal behind, and apt-get
# then refuses every install until dpkg finishes it.
if [ -n "$(ls -A /var/lib/dpkg/updates 2>/dev/null)" ]; then
	echo "pgtail: an earlier package install was interrupted: finishing it (dpkg --configure -a)"
	dpkg --configure -a
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
