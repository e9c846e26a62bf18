#!/usr/bin/env bash
# Start-up cost of `ipcbox run -- /bin/true` (default rootless isolation, as an unprivileged user)
# against `unshare -Urim`, bubblewrap with the same isolation, and bench/floor.c (a static C
# program making exactly ipcbox's namespaces and mounts and nothing else), interleaved in one run.
# Prints each median and the ratios of ipcbox's median to the others'.
#   bash bench/launch.sh [ROUNDS]      (run as root: it builds, then drops to nobody)
set -euo pipefail
rounds=${1:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DIPCBOX_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target ipcbox launch_bench floor >/dev/null

# nobody must be able to reach the binaries wherever the checkout lives.
stage=$(mktemp -d /tmp/ipcbox-bench-XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp "$build/ipcbox" "$build/bench/launch_bench" "$build/bench/floor" "$stage/"
chmod 755 "$stage" "$stage"/*

echo "ipcbox run vs unshare -Urim vs bwrap vs the C floor, $rounds interleaved rounds, as nobody," \
    "$(nproc) cores"
setpriv --reuid=65534 --regid=65534 --clear-groups "$stage/launch_bench" "$rounds" \
    "ipcbox=$stage/ipcbox run -- /bin/true" \
    "unshare=/usr/bin/unshare -Urim /bin/true" \
    "bwrap=/usr/bin/bwrap --unshare-user --unshare-ipc --dev-bind / / --tmpfs /dev/shm /bin/true" \
    "floor=$stage/floor /bin/true"
