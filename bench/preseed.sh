#!/usr/bin/env bash
# Cost of preseeding a large spec (1000 SysV queues with one message each, 1000 semaphore sets,
# 100 shm segments with bytes, 100 POSIX queues with one message) against a plain C++ loop making
# the same objects with the same syscalls in one process in a new IPC namespace.
#   bash bench/preseed.sh [ROUNDS] [nobody|root|both]     (run as root: it builds, then runs the
#                                                           measurements as the chosen users)
# Contenders run interleaved, in a rotating order, ROUNDS times; medians are reported.
#  - end to end: wall time and CPU time (of the whole process tree) of whole runs; ipcbox's cost
#    is `run -c big.toml` minus `run` with no spec (start-up, namespaces, exec of /bin/true), the
#    loop's is `loop` minus the same loop with no objects. Loading and validating the spec (before
#    any namespace exists) are timed in-process and reported apart.
#  - step only: the creating work timed inside one process: ns::apply_sysctls + ipc::preseed on
#    the parsed spec against the plain loop, wall and CPU time (CPU time is steadier when the
#    machine is busy).
set -euo pipefail

QUEUES=1000 SEMS=1000 SHMS=100 MQUEUES=100

if [[ ${1:-} == --measure ]]; then
    # Runs as the measured user. $2 = rounds, $3 = staging dir.
    rounds=$2 stage=$3
    declare -A cmd=(
        [run_big]="$stage/ipcbox run -c $stage/big.toml -- /bin/true"
        [run_empty]="$stage/ipcbox run -- /bin/true"
        [loop_big]="$stage/preseed_loop loop $QUEUES $SEMS $SHMS $MQUEUES"
        [loop_empty]="$stage/preseed_loop loop 0 0 0 0"
    )
    names=(run_big run_empty loop_big loop_empty)
    declare -A wall cpu step step_cpu
    for ((r = 0; r < rounds; r++)); do
        for ((i = 0; i < ${#names[@]}; i++)); do
            name=${names[(i + r) % ${#names[@]}]}
            # An assignment, so that a failing run stops the script (set -e).
            out=$("$stage/preseed_loop" time ${cmd[$name]})
            read -r _ wall_us _ cpu_us <<<"$out"
            wall[$name]+="$wall_us "
            cpu[$name]+="$cpu_us "
        done
        # The in-process step timings, alternating which goes first.
        steps=(step_ipcbox step_loop)
        ((r % 2)) && steps=(step_loop step_ipcbox)
        for name in "${steps[@]}"; do
            if [[ $name == step_ipcbox ]]; then
                out=$("$stage/preseed_loop" step "$stage/big.toml")
            else
                out=$("$stage/preseed_loop" loop $QUEUES $SEMS $SHMS $MQUEUES)
            fi
            read -r _ wall_us _ cpu_us <<<"$out"
            step[$name]+="$wall_us "
            step_cpu[$name]+="$cpu_us "
        done
        out=$("$stage/preseed_loop" parse "$stage/big.toml")
        read -r _ _ load_us _ _ validate_us <<<"$out"
        step_cpu[parse_load]+="$load_us "
        step_cpu[parse_validate]+="$validate_us "
    done
    median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    for name in "${names[@]}"; do
        echo "$name $(median "${wall[$name]}")"
        echo "${name}_cpu $(median "${cpu[$name]}")"
    done
    for name in step_ipcbox step_loop; do
        echo "$name $(median "${step[$name]}")"
        echo "${name}_cpu $(median "${step_cpu[$name]}")"
    done
    for name in parse_load parse_validate; do echo "$name $(median "${step_cpu[$name]}")"; done
    exit 0
fi

rounds=${1:-21}
users=${2:-both}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench-preseed
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DIPCBOX_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target ipcbox preseed_loop >/dev/null

stage=$(mktemp -d /tmp/ipcbox-bench-preseed-XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp "$build/ipcbox" "$build/bench/preseed_loop" "$0" "$stage/"
# The spec: the same keys, names and bytes as preseed_loop's plain loop.
{
    for ((i = 0; i < QUEUES; i++)); do
        printf '[[sysv.queue]]\nkey = %d\nmessages = [{ type = 1, text = "message %d" }]\n' $((0x10000 + i)) $i
    done
    for ((i = 0; i < SEMS; i++)); do
        printf '[[sysv.semaphore]]\nkey = %d\nvalues = [1]\n' $((0x20000 + i))
    done
    for ((i = 0; i < SHMS; i++)); do
        printf '[[sysv.shm]]\nkey = %d\nsize = 65536\ntext = "segment %d"\n' $((0x30000 + i)) $i
    done
    for ((i = 0; i < MQUEUES; i++)); do
        printf '[[posix.queue]]\nname = "/q%d"\nmax_messages = 2\nmessage_size = 64\n' $i
        printf 'messages = [{ priority = 1, text = "job %d" }]\n' $i
    done
} >"$stage/big.toml"
chmod 755 "$stage" "$stage"/*

report() {
    local who=$1
    local -A m
    while read -r name value; do m[$name]=$value; done
    ratio() { bc -l <<<"$1 / $2"; }
    local wall_ipcbox=$((m[run_big] - m[run_empty])) wall_loop=$((m[loop_big] - m[loop_empty]))
    local cpu_ipcbox=$((m[run_big_cpu] - m[run_empty_cpu]))
    local cpu_loop=$((m[loop_big_cpu] - m[loop_empty_cpu]))
    local cpu_preseed=$((cpu_ipcbox - m[parse_load] - m[parse_validate]))
    echo
    echo "as $who: $QUEUES queues + 1 message, $SEMS semaphore sets, $SHMS shm segments (64K, bytes)," \
        "$MQUEUES POSIX queues + 1 message; $rounds interleaved rounds, medians, $(nproc) cores"
    printf '  %-44s %8s %8s\n' "" "wall us" "cpu us"
    printf '  %-44s %8d %8d\n' "ipcbox run -c big.toml -- /bin/true" "${m[run_big]}" \
        "${m[run_big_cpu]}" \
        "ipcbox run -- /bin/true (no spec)" "${m[run_empty]}" "${m[run_empty_cpu]}" \
        "preseed_loop loop (the objects)" "${m[loop_big]}" "${m[loop_big_cpu]}" \
        "preseed_loop loop (no objects)" "${m[loop_empty]}" "${m[loop_empty_cpu]}" \
        "end to end: ipcbox (run - run)" $wall_ipcbox $cpu_ipcbox \
        "end to end: loop (loop - loop)" $wall_loop $cpu_loop
    printf '  %-44s %7.2fx %7.2fx\n' "end to end ratio" "$(ratio $wall_ipcbox $wall_loop)" \
        "$(ratio $cpu_ipcbox $cpu_loop)"
    printf '  %-44s %8s %8d\n' "  in it: config::load_spec_file" "" "${m[parse_load]}" \
        "  in it: config::validate" "" "${m[parse_validate]}" \
        "  in it: the rest (preseed, sandbox)" "" $cpu_preseed
    printf '  %-44s %8s %7.2fx\n' "end to end ratio less load and validate" "" \
        "$(ratio $cpu_preseed $cpu_loop)"
    printf '  %-44s %8d %8d\n' "step only: ns::apply_sysctls + ipc::preseed" "${m[step_ipcbox]}" \
        "${m[step_ipcbox_cpu]}" "step only: plain loop" "${m[step_loop]}" "${m[step_loop_cpu]}"
    printf '  %-44s %7.2fx %7.2fx\n' "step only ratio" "$(ratio ${m[step_ipcbox]} ${m[step_loop]})" \
        "$(ratio ${m[step_ipcbox_cpu]} ${m[step_loop_cpu]})"
}

if [[ $users == root || $users == both ]]; then
    bash "$stage/preseed.sh" --measure "$rounds" "$stage" | report root
fi
if [[ $users == nobody || $users == both ]]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups bash "$stage/preseed.sh" --measure \
        "$rounds" "$stage" | report nobody
fi
