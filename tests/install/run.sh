#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# make install into a temporary DESTDIR, as a user or a packager runs it:
# the files it puts in place, the installed program run from there, the
# man page rendered by man(1) without a warning and naming every option of
# every command, and make uninstall taking every file away again.
#
#   BUILD=build PGTAIL=build/pgtail tests/install/run.sh
#
# The build directory is the one given, already built and configured for
# the default PREFIX (/usr/local), so make install neither reconfigures nor
# rebuilds it while other suites use it.
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
. tests/lib/test-lib.sh
BUILD=${BUILD:-build}
PGTAIL=${PGTAIL:-$top/$BUILD/pgtail}
fx=$top/tests/fixtures/default-prefix/postgresql-2026-11-29_004152.log

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
root=$tmp/root
prefix=/usr/local

# --- make install -------------------------------------------------------------------

if make -s install BUILD="$BUILD" DESTDIR="$root" >"$tmp/install.out" 2>&1; then
	pass "make install DESTDIR=... exits 0"
else
	fail "make install DESTDIR=... exits 0" "$(tail -15 "$tmp/install.out")"
fi
(cd "$root" && find . ! -type d | sed 's|^\.||' | sort) >"$tmp/files"
cat >"$tmp/expected" <<EOF
$prefix/bin/pgtail
$prefix/lib/systemd/system/pgtail.service
$prefix/share/bash-completion/completions/pgtail
$prefix/share/fish/vendor_completions.d/pgtail.fish
$prefix/share/man/man1/pgtail.1
$prefix/share/zsh/site-functions/_pgtail
EOF
check_cmp "make install puts exactly the program, its man page, three completion scripts and the serve unit in place" \
	"$tmp/expected" "$tmp/files"
if grep -q "^ExecStart=$prefix/bin/pgtail serve " "$root$prefix/lib/systemd/system/pgtail.service"; then
	pass "the unit runs the installed pgtail"
else
	fail "the unit runs the installed pgtail" "$(grep ExecStart "$root$prefix/lib/systemd/system/pgtail.service")"
fi
if [ -x "$root$prefix/bin/pgtail" ]; then
	pass "the installed pgtail is executable"
else
	fail "the installed pgtail is executable" "$(ls -l "$root$prefix/bin" 2>&1)"
fi
if grep -q "^_pgtail()" "$root$prefix/share/bash-completion/completions/pgtail" &&
	head -1 "$root$prefix/share/zsh/site-functions/_pgtail" | grep -q '^#compdef pgtail' &&
	grep -q '^complete -c pgtail' "$root$prefix/share/fish/vendor_completions.d/pgtail.fish"; then
	pass "each completion script is the one for its shell"
else
	fail "each completion script is the one for its shell"
fi

# --- the installed program ----------------------------------------------------------

bin=$root$prefix/bin/pgtail
want=$(sed -n "s/^ *version : '\(.*\)',$/\1/p" meson.build)
check_eq "the installed pgtail --version says the project's version" "pgtail $want" \
	"$("$bin" --version 2>&1)"
out=$(NO_COLOR=1 "$bin" connections "$fx" 2>&1)
case $out in
"Active connections: 39 "*) pass "the installed pgtail reads the corpus log" ;;
*) fail "the installed pgtail reads the corpus log" "$(printf '%s\n' "$out" | head -5)" ;;
esac
out=$(PGTAIL_COMPLETE_MS=60000 "$bin" __complete connections "$fx" --app=my 2>&1)
check_eq "the installed pgtail completes the log's application names" "--app=my app
--app=myapp" "$out"

# --- the man page -------------------------------------------------------------------

page=$root$prefix/share/man/man1/pgtail.1
if ! command -v man >/dev/null; then
	fail "man is installed" "scripts/install-deps.sh test installs man-db"
else
	MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" >"$tmp/man.txt" 2>"$tmp/man.err"
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$tmp/man.err" ]; then
		pass "MANWIDTH=80 man --warnings -l renders the page without a warning"
	else
		fail "MANWIDTH=80 man --warnings -l renders the page without a warning" "exit $rc
$(head -20 "$tmp/man.err")"
	fi
	# In the C locale too (ASCII output: the page is ASCII all through).
	MANWIDTH=80 LC_ALL=C man --warnings -l "$page" >/dev/null 2>"$tmp/man-c.err"
	if [ ! -s "$tmp/man-c.err" ]; then
		pass "the page renders without a warning in the C locale"
	else
		fail "the page renders without a warning in the C locale" "$(head -10 "$tmp/man-c.err")"
	fi
	# Looked up by name, as 'man pgtail' does after an install.
	if MANWIDTH=80 man -M "$root$prefix/share/man" pgtail 2>/dev/null | grep -q '^NAME'; then
		pass "man -M PREFIX/share/man pgtail finds the page by name"
	else
		fail "man -M PREFIX/share/man pgtail finds the page by name"
	fi
	if command -v lexgrog >/dev/null; then
		check_eq "whatis reads the page's NAME line" \
			"$page: \"pgtail - who is connected to PostgreSQL, read from the server's own log\"" \
			"$(lexgrog "$page" 2>&1)"
	fi
	missing=""
	for sec in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "THE LEAK RULE" \
		"EXACT COUNTS AND LOWER BOUNDS" "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
		grep -q "^$sec\$" "$tmp/man.txt" || missing="$missing '$sec'"
	done
	check_eq "the page has every section" "" "$missing"
	sed -n '/^ENVIRONMENT$/,/^[A-Z]/p' "$tmp/man.txt" >"$tmp/env.txt"
	missing=""
	for v in NO_COLOR XDG_STATE_HOME HOME PGDATA PGTAIL_FOLLOW PGTAIL_COMPLETE_MS COLUMNS LC_ALL LANG; do
		grep -q -w "^       .*$v" "$tmp/env.txt" || missing="$missing $v"
	done
	check_eq "ENVIRONMENT names every variable pgtail reads" "" "$missing"

	# Every option of every command, as the help shows it ("--window=D",
	# "app=PATTERN", the shell's "clear"), is in the page: the commands
	# and their options from the help of both front ends ('pgtail help',
	# and 'help' at the prompt, scripted).
	MANWIDTH=200 LC_ALL=C man -l "$page" 2>/dev/null >"$tmp/man-wide.txt"
	help_both() {
		"$bin" help "$@" 2>&1
		printf 'help %s\n' "$*" | "$bin" 2>&1
	}
	cmds=$(help_both | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | sort -u)
	nopts=0
	missing=""
	for c in $cmds; do
		grep -q "^   $c\$" "$tmp/man-wide.txt" || missing="$missing command:$c"
		help_both "$c" >"$tmp/help"
		for o in $( (sed -n 's/^  \([-a-z][^ ]*\).*/\1/p' "$tmp/help"
			sed -n 's/.*(also \([a-z]*=[A-Z]*\))$/\1/p' "$tmp/help") | sort -u); do
			nopts=$((nopts + 1))
			grep -q -F -- "$o" "$tmp/man-wide.txt" || missing="$missing $c:$o"
		done
	done
	if [ -z "$missing" ] && [ $nopts -ge 20 ]; then
		pass "the page has every command and every option of each ($nopts options)"
	else
		fail "the page has every command and every option of each ($nopts options)" \
			"missing:$missing"
	fi
fi

# --- make uninstall -----------------------------------------------------------------

if make -s uninstall BUILD="$BUILD" DESTDIR="$root" >"$tmp/uninstall.out" 2>&1; then
	pass "make uninstall DESTDIR=... exits 0"
else
	fail "make uninstall DESTDIR=... exits 0" "$(tail -15 "$tmp/uninstall.out")"
fi
check_eq "make uninstall takes every installed file away" "" \
	"$(cd "$root" && find . ! -type d)"

test_summary
