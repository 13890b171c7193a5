#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Configure a meson build directory with the given options, or bring an
# existing one to them.  'make demo' configures build/ with the default
# tests=auto (no cmocka needed); 'make check' then needs tests=enabled in the
# same directory, which a plain ninja would never notice.  A directory that
# already has every option asked for is left alone, so that ninja does not
# regenerate it for nothing.
# Usage: scripts/setup-build.sh DIR [--buildtype=T] [-DNAME=VALUE]...
set -eu
[ $# -ge 1 ] || { echo "usage: scripts/setup-build.sh DIR [--buildtype=T] [-DNAME=VALUE]..." >&2; exit 2; }
dir=$1
shift
src=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -f "$dir/meson-private/coredata.dat" ] || [ ! -f "$dir/build.ninja" ]; then
	# Never configured, or its first configure failed: meson starts again.
	exec meson setup "$dir" "$src" "$@"
fi

# Exit 0 when the directory already has every option asked for.
if python3 - "$dir/meson-info/intro-buildoptions.json" "$@" <<'EOF'; then exit 0; fi
import json, sys
try:
    have = {o["name"]: o["value"] for o in json.load(open(sys.argv[1]))}
except (OSError, ValueError, KeyError):
    sys.exit(1)
def text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ",".join(map(str, v))
    return str(v)
for arg in sys.argv[2:]:
    if arg.startswith("-D"):
        name, _, value = arg[2:].partition("=")
    elif arg.startswith("--") and "=" in arg:
        name, _, value = arg[2:].partition("=")
    else:
        sys.exit(1)
    if name not in have or text(have[name]) != value:
        sys.exit(1)
EOF
echo "Reconfiguring $dir with $*"
exec meson setup --reconfigure "$dir" "$src" "$@"
