#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# The house layout: every C file of the tree is as .clang-format writes it,
# and every generated file as its generator writes it.
# A file that is not gets a FAIL line with the first lines of the change
# clang-format would make; run 'clang-format -i FILE' to fix it.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/test-lib.sh

if ! command -v clang-format >/dev/null; then
	fail "clang-format is installed" "apt-get install clang-format"
	test_summary
	exit 1
fi
bad=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 2>/dev/null)
[ -n "$files" ] || files=$(find src tests -name '*.[ch]' | sort)
# One clang-format for all of them; file by file only to name the bad ones.
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files >/dev/null 2>&1; then
	for f in $files; do
		if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
			bad=$((bad + 1))
			fail "$f is formatted as .clang-format says" \
				"$(clang-format "$f" | diff "$f" - | head -8)"
		fi
	done
fi
n=$(printf '%s\n' $files | wc -l)
check_eq "all $n C files are formatted as .clang-format says" 0 "$bad"

# Generated files are what their generator writes from the committed data.
gen=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-gen.XXXXXX")
mkdir -p "$gen/src/conn" "$gen/src/logfmt" "$gen/tests/fuzz"
if python3 scripts/gen-translations.py tables "$gen/src" data/translations/*.tsv 2>"$gen/err"; then
	for f in src/conn/lang_tables.c src/logfmt/sev_tables.c tests/fuzz/fuzz_classify.dict; do
		if cmp -s "$f" "$gen/$f"; then
			pass "$f is what scripts/gen-translations.py writes from data/translations"
		else
			fail "$f is what scripts/gen-translations.py writes from data/translations" \
				"$(diff "$f" "$gen/$f" | head -8)"
		fi
	done
else
	fail "scripts/gen-translations.py tables runs" "$(cat "$gen/err")"
fi
rm -rf "$gen"
test_summary
