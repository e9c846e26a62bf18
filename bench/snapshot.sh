#!/usr/bin/env bash
# Cost of `ipcbox snapshot` against `ipcbox ls --json` on the same namespace: a sandbox holding
# 1000 SysV queues with one message each, 1000 semaphore sets and 100 segments of 64 KiB filled
# with bytes. Issue 14's target: snapshot takes at most 2x what ls takes.
#   bash bench/snapshot.sh [ROUNDS]        (as root; builds a Release ipcbox first)
# The two run interleaved, alternating which goes first, ROUNDS times; the ratio of the medians of
# the wall times is reported.
set -euo pipefail

QUEUES=1000 SEMS=1000 SHMS=100 SHM_BYTES=65536
rounds=${1:-21}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench-snapshot
launcher=$(command -v ccache || true)
cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DIPCBOX_TESTS=OFF \
    -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" >/dev/null
cmake --build "$build" --target ipcbox >/dev/null

stage=$(mktemp -d /tmp/ipcbox-bench-snapshot-XXXXXX)
sandbox=
cleanup() {
    if [[ -n $sandbox ]]; then
        kill "$sandbox" 2>/dev/null || true
        wait "$sandbox" 2>/dev/null || true
    fi
    rm -rf "$stage"
}
trap cleanup EXIT

# The segments' bytes: every byte non-zero, so none is trimmed.
head -c $SHM_BYTES /dev/zero | tr '\0' 'S' >"$stage/segment.bin"
{
    for ((i = 1; i <= QUEUES; i++)); do
        printf '[[sysv.queue]]\nkey = %d\nmessages = [{ type = 1, text = "message %d" }]\n' \
            $((0x10000 + i)) "$i"
    done
    for ((i = 1; i <= SEMS; i++)); do
        printf '[[sysv.semaphore]]\nkey = %d\nvalues = [1, 2, 3]\n' $((0x20000 + i))
    done
    for ((i = 1; i <= SHMS; i++)); do
        printf '[[sysv.shm]]\nkey = %d\nsize = %d\nfile = "segment.bin"\n' $((0x30000 + i)) \
            $SHM_BYTES
    done
} >"$stage/big.toml"

mkfifo "$stage/ready"
"$build/ipcbox" run -c "$stage/big.toml" -- /bin/sh -c "echo \$\$ >$stage/ready; exec sleep 600" &
sandbox=$!
read -r pid <"$stage/ready"

now_us() { echo $((${EPOCHREALTIME/./})); }
declare -A wall
for ((r = 0; r < rounds; r++)); do
    order=(ls snapshot)
    ((r % 2)) && order=(snapshot ls)
    for name in "${order[@]}"; do
        start=$(now_us)
        if [[ $name == ls ]]; then
            "$build/ipcbox" ls --pid "$pid" --json >"$stage/ls.json"
        else
            "$build/ipcbox" snapshot --pid "$pid" -o "$stage/snap.toml" 2>/dev/null
        fi
        wall[$name]+="$(($(now_us) - start)) "
    done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ls_us=$(median "${wall[ls]}")
snap_us=$(median "${wall[snapshot]}")
echo "objects: $QUEUES queues, $SEMS semaphore sets, $SHMS segments of $SHM_BYTES bytes; $rounds rounds"
echo "ls --json  median ${ls_us} us"
echo "snapshot   median ${snap_us} us ($(du -k "$stage/snap.toml" | cut -f1) KiB spec, $(ls "$stage" | grep -c '^snap\..*\.bin$') payload files)"
awk -v a="$snap_us" -v b="$ls_us" 'BEGIN {printf "ratio snapshot / ls: %.2f (target: at most 2)\n", a / b}'
