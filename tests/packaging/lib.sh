# Shared by the packaging tests: fail/skip as the C++ tests do (IPCBOX_STRICT=1 turns a skip
# into a failure), and a scratch directory removed on exit.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SOURCE=$(cd "$2" && pwd)
IPCBOX=$BUILD/ipcbox
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() {
    [[ ${IPCBOX_STRICT:-} == 1 ]] && fail "would skip under IPCBOX_STRICT=1: $*"
    echo "SKIP: $*"
    exit 77
}
SCRATCH=$(mktemp -d /tmp/ipcbox-packaging.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
# Every flag `ipcbox SUB --help` lists, as "SUB --flag" lines, read independently of gendocs.py.
all_flags() {
    local sub
    for sub in $("$IPCBOX" --help | sed -n '/^commands:/,$p' | sed -n 's/^  \([a-z][a-z0-9-]*\).*/\1/p' | awk '!seen[$0]++'); do
        # `help` takes no flags: an empty list is not an error.
        "$IPCBOX" "$sub" --help | { grep -oE '^  (-[a-z] \[ )?--[a-z][a-z0-9-]*' || true; } |
            grep -oE -- '--[a-z][a-z0-9-]*' | sed "s/^/$sub /" || true
    done
}
