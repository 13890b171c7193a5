#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Install what pgtail needs to build and test, from Debian's packages.
# Installs only what is missing; does nothing when everything is there.
# Usage: scripts/install-deps.sh [build|test]
set -eu

want="build"
[ $# -gt 0 ] && want="$1"

pkgs="gcc make meson ninja-build pkg-config libjansson-dev zlib1g-dev libedit-dev"
if [ "$want" = "test" ]; then
	# cmocka: unit tests; postgresql: live tests; python3: corpus checks;
	# clang + its runtime: fuzz targets; tmux: the shell's tests;
	# time: peak memory of the robustness tests; valgrind: the leak check.
	pkgs="$pkgs libcmocka-dev postgresql python3 clang libclang-rt-dev tmux time valgrind"
fi

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
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
