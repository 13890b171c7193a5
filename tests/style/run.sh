#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# The house layout: every C file of the tree is as .clang-format writes it.
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
for f in $files; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		bad=$((bad + 1))
		fail "$f is formatted as .clang-format says" \
			"$(clang-format "$f" | diff "$f" - | head -8)"
	fi
done
n=$(printf '%s\n' $files | wc -l)
check_eq "all $n C files are formatted as .clang-format says" 0 "$bad"
test_summary
