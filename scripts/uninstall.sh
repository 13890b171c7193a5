#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Remove the files 'meson install' puts in place for a build directory's
# configuration (its prefix), below DESTDIR when one is given: what
# 'make uninstall' runs.  Directories are left, as other packages may
# share them.
# Usage: scripts/uninstall.sh BUILD [DESTDIR]
set -eu
[ $# -ge 1 ] || { echo "usage: scripts/uninstall.sh BUILD [DESTDIR]" >&2; exit 2; }
build=$1
destdir=${2:-}
meson introspect "$build" --installed | python3 -c '
import json, os, sys
destdir = sys.argv[1]
for dest in sorted(set(json.load(sys.stdin).values())):
    path = destdir + dest if destdir else dest
    if os.path.lexists(path):
        print("Removing", path)
        os.remove(path)
' "$destdir"
