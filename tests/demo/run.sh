#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# 'make demo' on a machine that has the build packages and nothing else.
# Nothing is uninstalled: in a private mount namespace (unshare -m) the
# headers, pkg-config files, CMake package files and programs of every
# test-only package (scripts/install-deps.sh list-test-only: cmocka, clang,
# valgrind, ...) are hidden, /dev/null bound over each file and an empty
# tmpfs over each CMake package directory.  There, a fresh copy of the tree
# must configure, build and print the demo's summary.  The hiding ends with
# the namespace and is seen by nothing else.
#
#   tests/demo/run.sh
#
# Needs unshare and mount (util-linux), and the right to create a mount
# namespace: root, or unprivileged user namespaces.  Without them the suite
# fails; it does not skip.
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
. tests/lib/test-lib.sh

# --- inside the namespace ----------------------------------------------------------
# tests/demo/run.sh --inside TMP: TMP holds tree/ (the copy) and hide (one
# "bind PATH" or "tmpfs PATH" per line).

if [ "${1:-}" = --inside ]; then
	tmp=$2
	# Our mounts must not reach the rest of the machine.
	mount --make-rprivate / || { fail "demo: the namespace's mounts are private"; test_summary; exit 1; }
	nhid=0
	while read -r how path; do
		case $how in
		bind) mount --bind /dev/null "$path" ;;
		tmpfs) mount -t tmpfs -o size=64k,mode=755 pgtail-demo-hidden "$path" ;;
		esac || { fail "demo: hide $path"; continue; }
		nhid=$((nhid + 1))
	done <"$tmp/hide"
	pass "demo: $nhid files and directories of test-only packages hidden"

	# The hiding must really hide.
	if pkg-config --exists cmocka 2>/dev/null; then
		fail "demo: pkg-config no longer finds cmocka" \
			"pkg-config --exists cmocka succeeds: $(pkg-config --path cmocka 2>&1)"
	else
		pass "demo: pkg-config no longer finds cmocka"
	fi
	for f in /usr/include/cmocka.h /usr/local/include/cmocka.h; do
		if [ -s "$f" ]; then
			fail "demo: cmocka.h is hidden" "$f is still there"
		fi
	done

	# The demo, as a newcomer runs it, with no compiler chosen for it.
	cd "$tmp/tree" || exit 1
	env -u CC -u CFLAGS -u LDFLAGS -u PKG_CONFIG_PATH -u CMAKE_PREFIX_PATH \
		make demo >"$tmp/demo.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "demo: make demo exits 0"
	else
		fail "demo: make demo exits 0" "exit $rc
$(tail -25 "$tmp/demo.out")"
	fi
	if grep -q '^Active connections: [0-9]' "$tmp/demo.out"; then
		pass "demo: make demo prints the summary"
	else
		fail "demo: make demo prints the summary" "$(tail -10 "$tmp/demo.out")"
	fi
	# The build ran without cmocka, rather than finding it elsewhere.
	log=build/meson-logs/meson-log.txt
	if grep -q 'Run-time dependency cmocka found: NO' "$log" 2>/dev/null; then
		pass "demo: meson did not find cmocka"
	else
		fail "demo: meson did not find cmocka" "$(grep -i cmocka "$log" 2>/dev/null | head -5)"
	fi
	# The man page is made by pgtail itself: no documentation tool needed.
	if grep -q '^\.TH PGTAIL 1' build/pgtail.1 2>/dev/null; then
		pass "demo: the man page is built with the build packages only"
	else
		fail "demo: the man page is built with the build packages only" \
			"$(ls -l build/pgtail.1 2>&1)"
	fi
	if [ -e build/tests/test_sbuf ]; then
		fail "demo: no unit test was built"
	else
		pass "demo: no unit test was built"
	fi
	test_summary
	exit
fi

# --- outside: prepare, then enter the namespace ------------------------------------

command -v unshare >/dev/null && command -v mount >/dev/null ||
	bail "demo: unshare and mount are installed" "scripts/install-deps.sh test installs util-linux"
# As root a mount namespace is enough; otherwise map ourselves to root in a
# user namespace first.
if [ "$(id -u)" -eq 0 ]; then ns="unshare -m"; else ns="unshare -r -m"; fi
if ! err=$($ns true 2>&1); then
	bail "demo: '$ns' is permitted (it hides the test-only packages)" \
		"${err:-unshare failed}
this suite needs root, or unprivileged user namespaces, to run"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-demo.XXXXXX") || bail "demo: temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A fresh copy of the tree: the files git knows, as they are in the work
# tree (changes not yet committed included), without any build directory.
mkdir "$tmp/tree"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$tmp/tree"
else
	tar --exclude='./build*' -cf - . | tar -xf - -C "$tmp/tree"
fi
if [ -f "$tmp/tree/Makefile" ] && [ -f "$tmp/tree/meson.build" ] && [ ! -e "$tmp/tree/build" ]; then
	pass "demo: a fresh copy of the tree, without build directories"
else
	bail "demo: a fresh copy of the tree, without build directories" "$(ls -A "$tmp/tree")"
fi

# What to hide: of each test-only package that is installed, every header,
# pkg-config file and program (bind /dev/null over it), and every CMake
# package directory (an empty tmpfs over it).
: >"$tmp/hide"
for p in $(scripts/install-deps.sh list-test-only); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || continue
	dpkg -L "$p" | while IFS= read -r f; do
		case $f in
		*/cmake/*/*) ;;
		*/cmake/*) [ -d "$f" ] && printf 'tmpfs %s\n' "$f" ;;
		*/include/* | */pkgconfig/* | */bin/*)
			[ -d "$f" ] || { [ -e "$f" ] && printf 'bind %s\n' "$f"; } ;;
		esac
	done
done >>"$tmp/hide"
if grep -q 'cmocka' "$tmp/hide"; then
	pass "demo: cmocka's files are among those to hide"
elif pkg-config --exists cmocka 2>/dev/null; then
	fail "demo: cmocka's files are among those to hide" \
		"pkg-config finds cmocka, but not through the package libcmocka-dev"
else
	pass "demo: cmocka is not installed (nothing of it to hide)"
fi

TESTS_PASSED=$TESTS_PASSED TESTS_FAILED=$TESTS_FAILED \
	$ns sh "$top/tests/demo/run.sh" --inside "$tmp"
