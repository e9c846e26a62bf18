#!/usr/bin/env bash
# Start-up cost of `ipcbox run -- /bin/true` (default rootless isolation, as an unprivileged user)
# against `unshare -Urim` and bubblewrap with the same isolation, interleaved in one run.
#   bash bench/launch.sh [ROUNDS]      (run as root: it builds, then drops to nobody)
set -euo pipefail
rounds=${1:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DIPCBOX_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target ipcbox launch_bench >/dev/null

# nobody must be able to reach the binaries wherever the checkout lives.
stage=$(mktemp -d /tmp/ipcbox-bench-XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp "$build/ipcbox" "$build/bench/launch_bench" "$stage/"
chmod 755 "$stage" "$stage"/*

echo "ipcbox run vs unshare -Urim vs bwrap, $rounds interleaved rounds, as nobody, $(nproc) cores"
setpriv --reuid=65534 --regid=65534 --clear-groups "$stage/launch_bench" "$rounds" \
    "ipcbox=$stage/ipcbox run -- /bin/true" \
    "unshare=/usr/bin/unshare -Urim /bin/true" \
    "bwrap=/usr/bin/bwrap --unshare-user --unshare-ipc --dev-bind / / --tmpfs /dev/shm /bin/true"
