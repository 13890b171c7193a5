#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# The Debian package, built as a packager builds it: in a fresh copy of the
# tree (the files git knows, as they are in the work tree), the source
# package with dpkg-source -b, then 'dpkg-buildpackage -us -uc -b' with
# DEB_BUILD_OPTIONS=nocheck (make check runs the tests).  Both are checked
# with lintian, the .deb's file list and control fields with dpkg-deb, and
# the program, man page and completion it holds are used from an extracted
# copy.  Nothing is installed on this machine.
#
#   tests/package/run.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
. tests/lib/test-lib.sh
fx=$top/tests/fixtures/default-prefix/postgresql-2026-11-29_004152.log

for t in dpkg-buildpackage dpkg-source dpkg-deb dh lintian man; do
	command -v $t >/dev/null || bail "$t is installed" "scripts/install-deps.sh test installs it"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-package.XXXXXX") || bail "temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

src=$tmp/pgtail
mkdir "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$src"
else
	tar --exclude='./build*' --exclude='./debian/build' -cf - . | tar -xf - -C "$src"
fi
[ -x "$src/debian/rules" ] || bail "a fresh copy of the tree with debian/"

# One version, written in meson.build and in debian/changelog.
want=$(sed -n "s/^ *version : '\(.*\)',$/\1/p" meson.build)
have=$(cd "$src" && dpkg-parsechangelog -S Version)
check_eq "debian/changelog has meson.build's version" "$want" "$have"
arch=$(dpkg --print-architecture)
deb=$tmp/pgtail_${have}_$arch.deb

# lintian_clean NAME FILE: lintian reports no error and no warning.
lintian_clean() {
	lintian --fail-on error,warning "$2" >"$tmp/lintian.out" 2>&1
	rc=$?
	grep -v 'running with root privileges' "$tmp/lintian.out" >"$tmp/lintian.tags"
	if [ $rc -eq 0 ] && ! grep -q '^[EW]:' "$tmp/lintian.tags"; then
		pass "$1 ($(wc -l <"$tmp/lintian.tags") info tags)"
	else
		fail "$1" "exit $rc
$(head -20 "$tmp/lintian.tags")"
	fi
}

# --- the source package -------------------------------------------------------------

if (cd "$src" && dpkg-source -b .) >"$tmp/source.out" 2>&1; then
	pass "dpkg-source -b makes the source package"
	lintian_clean "lintian: the source package has no error or warning" "$tmp/pgtail_$have.dsc"
	if tar -tf "$tmp/pgtail_$have.tar.xz" | grep -q -E '/(build|build-asan|\.git)/'; then
		fail "the source package holds no build directory" \
			"$(tar -tf "$tmp/pgtail_$have.tar.xz" | grep -E '/(build|\.git)' | head -5)"
	else
		pass "the source package holds no build directory"
	fi
else
	fail "dpkg-source -b makes the source package" "$(tail -15 "$tmp/source.out")"
fi

# --- the binary package -------------------------------------------------------------

if (cd "$src" && env DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
	dpkg-buildpackage -us -uc -b) >"$tmp/build.out" 2>&1; then
	pass "DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b builds the package"
else
	bail "DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b builds the package" \
		"$(tail -25 "$tmp/build.out")"
fi
[ -f "$deb" ] || bail "the package is $deb" "$(ls "$tmp")"
lintian_clean "lintian: the package has no error or warning" "$tmp/pgtail_${have}_$arch.changes"

dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./|/|' | sort >"$tmp/files"
cat >"$tmp/expected" <<'EOF'
/lib/systemd/system/pgtail.service
/usr/bin/pgtail
/usr/share/bash-completion/completions/pgtail
/usr/share/doc/pgtail/README.md.gz
/usr/share/doc/pgtail/changelog.gz
/usr/share/doc/pgtail/copyright
/usr/share/fish/vendor_completions.d/pgtail.fish
/usr/share/man/man1/pgtail.1.gz
/usr/share/zsh/vendor-completions/_pgtail
EOF
check_cmp "dpkg-deb -c: the program, its man page, the completion where Debian's shells read it, the serve unit, the docs" \
	"$tmp/expected" "$tmp/files"

dpkg-deb -I "$deb" >"$tmp/info"
fields=$(sed -n 's/^ \([A-Z][A-Za-z-]*\):.*/\1/p' "$tmp/info" | sort | tr '\n' ' ')
check_eq "dpkg-deb -I: no Recommends, Suggests or Pre-Depends, only the usual fields" \
	"Architecture Depends Description Installed-Size Maintainer Package Priority Section Version " \
	"$fields"
# Depends: the packages of the shared libraries the program links, and
# nothing else.
dpkg-deb -x "$deb" "$tmp/x"
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort -u | tr '\n' ' ')
libs=""
for lib in $(objdump -p "$tmp/x/usr/bin/pgtail" | awk '$1 == "NEEDED" { print $2 }'); do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
	[ -n "$path" ] || { libs="$libs ?$lib"; continue; }
	real=$(readlink -f "$path")
	pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null)
	libs="$libs ${pkg%%:*}"
done
libs=$(printf '%s\n' $libs | sort -u | tr '\n' ' ')
check_eq "dpkg-deb -I: Depends names the packages of the linked shared libraries only" "$libs" "$depends"

# --- what the package holds, used -----------------------------------------------------

bin=$tmp/x/usr/bin/pgtail
check_eq "the packaged pgtail runs" "pgtail $want" "$("$bin" --version 2>&1)"
out=$(NO_COLOR=1 "$bin" connections "$fx" 2>&1)
case $out in
"Active connections: 39 "*) pass "the packaged pgtail reads the corpus log" ;;
*) fail "the packaged pgtail reads the corpus log" "$(printf '%s\n' "$out" | head -5)" ;;
esac
page=$tmp/x/usr/share/man/man1/pgtail.1.gz
MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" >"$tmp/man.txt" 2>"$tmp/man.err"
if [ -s "$tmp/man.err" ] || ! grep -q '^NAME' "$tmp/man.txt"; then
	fail "the packaged man page renders without a warning" "$(head -10 "$tmp/man.err")"
else
	pass "the packaged man page renders without a warning"
fi
# The page's date is the changelog's (SOURCE_DATE_EPOCH): the same bytes
# from the same source.
date=$(cd "$src" && date -u -d "$(dpkg-parsechangelog -S Date)" +%Y-%m-%d)
if tail -1 "$tmp/man.txt" | grep -q "$date"; then
	pass "the packaged man page carries the changelog's date ($date)"
else
	fail "the packaged man page carries the changelog's date ($date)" "$(tail -1 "$tmp/man.txt")"
fi
out=$(PATH=$tmp/x/usr/bin:$PATH PGTAIL_COMPLETE_MS=60000 bash --norc --noprofile -c '
	. "$1/usr/share/bash-completion/completions/pgtail"
	COMP_WORDS=(pgtail connections "$2" --app = side) COMP_CWORD=5
	COMP_LINE="pgtail connections $2 --app=side" COMP_POINT=${#COMP_LINE}
	_pgtail pgtail side =
	printf "%s\n" "${COMPREPLY[@]}"' _ "$tmp/x" "$fx" 2>&1)
check_eq "the packaged bash completion offers the corpus log's names" "sidekiq" "$out"

test_summary
