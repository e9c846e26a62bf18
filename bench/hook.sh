#!/usr/bin/env bash
# What `ipcbox hook` adds to a container start: `runc run` of /bin/true (busybox's) with ipcbox as
# the createRuntime hook applying a small spec, against the same with the host's /bin/true as the
# hook, interleaved in one run (launch_bench). Target: under 2 ms added per container start.
#   bash bench/hook.sh [ROUNDS]      (as root; needs runc and busybox-static)
#   IPCBOX_BENCH_BUILD=DIR picks the build directory (default build-bench).
set -euo pipefail
rounds=${1:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${IPCBOX_BENCH_BUILD:-$root/build-bench}
runc=$(command -v runc)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DIPCBOX_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target ipcbox launch_bench >/dev/null

stage=$(mktemp -d /tmp/ipcbox-bench-hook-XXXXXX)
cleanup() {
    "$runc" --root "$stage/state" delete --force bench-ipcbox >/dev/null 2>&1 || true
    "$runc" --root "$stage/state" delete --force bench-true >/dev/null 2>&1 || true
    rm -rf "$stage"
}
trap cleanup EXIT
cp "$build/ipcbox" "$build/bench/launch_bench" "$stage/"
mkdir -p "$stage/specs" "$stage/rootfs/bin" "$stage/rootfs/proc" "$stage/rootfs/dev" \
    "$stage/rootfs/sys"
cp /bin/busybox "$stage/rootfs/bin/busybox"
ln -s busybox "$stage/rootfs/bin/true"
cat >"$stage/specs/small.toml" <<'TOML'
[sysctl]
kernel.msgmnb = 32768

[[sysv.queue]]
key = 0x1234
messages = [{ type = 1, text = "job" }]

[[posix.shm]]
name = "/frame"
size = 4096
text = "hello"
TOML

# One bundle per contender, identical but for the hook: `runc spec` edited with sed (no JSON
# tool needed; runc itself rejects a broken result).
make_bundle() {  # NAME HOOK_JSON
    local dir=$stage/$1
    mkdir -p "$dir"
    (cd "$dir" && "$runc" spec)
    sed -i -e 's/"terminal": true/"terminal": false/' \
        -e 's/^\(\s*\)"sh"$/\1"\/bin\/true"/' \
        -e "s|\"path\": \"rootfs\"|\"path\": \"$stage/rootfs\"|" \
        -e "/\"ociVersion\"/a \"hooks\": {\"createRuntime\": [$2]}, \"annotations\": {\"io.ipcbox.spec\": \"small\"}," \
        "$dir/config.json"
}
make_bundle bundle-ipcbox "{\"path\": \"$stage/ipcbox\", \"args\": [\"ipcbox\", \"hook\", \"--spec-dir\", \"$stage/specs\", \"--log\", \"$stage/hook.log\"]}"
make_bundle bundle-true '{"path": "/bin/true", "args": ["true"]}'

echo "runc run /bin/true: ipcbox hook (small spec) vs /bin/true hook, $rounds interleaved rounds, $(nproc) cores"
out=$("$stage/launch_bench" "$rounds" \
    "ipcbox=$runc --root $stage/state run --bundle $stage/bundle-ipcbox bench-ipcbox" \
    "true=$runc --root $stage/state run --bundle $stage/bundle-true bench-true")
echo "$out"
echo "$out" | awk '$1 == "ipcbox" { a = $2 } $1 == "true" { t = $2 }
    END { printf "ipcbox adds %.2f ms per container start (median %.0f us vs %.0f us)\n", (a - t) / 1000, a, t }'
tail -n 1 "$stage/hook.log"
