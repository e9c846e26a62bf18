#!/usr/bin/env bash
# Cost of running a command in an existing domain, `ipcbox run --domain D -- /bin/true`, against a
# plain `ipcbox run -- /bin/true` (a world of its own) and against `nsenter` into the same
# keeper's user, IPC and mount namespaces (the bare join, with none of run's sealing,
# supervision or fresh mount namespace), interleaved in one run, as nobody. Prints each median
# and ipcbox --domain's ratio to the others.
#   bash bench/domain.sh [ROUNDS]      (run as root: it builds, then drops to nobody)
set -euo pipefail
rounds=${1:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DIPCBOX_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target ipcbox launch_bench >/dev/null

stage=$(mktemp -d /tmp/ipcbox-bench-XXXXXX)
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
domain=bench-$$
trap 'as_nobody "$stage/ipcbox" domain rm "$domain" >/dev/null 2>&1 || true; rm -rf "$stage"' EXIT
cp "$build/ipcbox" "$build/bench/launch_bench" "$stage/"
chmod 755 "$stage" "$stage"/*

as_nobody "$stage/ipcbox" domain create "$domain"
keeper=$(as_nobody "$stage/ipcbox" domain ls --json |
    python3 -c 'import json,sys; print([d for d in json.load(sys.stdin) if d["name"] == sys.argv[1]][0]["keeper_pid"])' "$domain")
echo "ipcbox run --domain vs ipcbox run vs nsenter into the keeper, $rounds interleaved rounds," \
    "as nobody, $(nproc) cores"
as_nobody "$stage/launch_bench" "$rounds" \
    "domain=$stage/ipcbox run --domain $domain -- /bin/true" \
    "run=$stage/ipcbox run -- /bin/true" \
    "nsenter=/usr/bin/nsenter --preserve-credentials -U -i -m -t $keeper /bin/true"
