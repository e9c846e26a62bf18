#!/usr/bin/env bash
# The README's "inside a container job" recipe: the installed static ipcbox in a podman (runc)
# container with podman's default seccomp profile and /proc masks. recipes/container/job.sh makes a
# SysV queue and a /dev/shm file under `ipcbox run`, then lists what the container sees outside.
# - container root with default flags (the recipe: auto takes a user namespace for a root without
#   CAP_SYS_ADMIN) and with `--user new`, and the container's uid 65534: inside sees both
#   objects, the container outside sees neither, in another IPC namespace;
# - the same objects made without ipcbox are seen by the container (so the check can see them);
# - container root with `--user host` (no user namespace) fails with exit 125 and names auto and
#   new (no CAP_SYS_ADMIN);
# - `--pid` needs /proc unmasked: with `--security-opt unmask=ALL` it runs in a new pid namespace.
# podman keeps its storage, run state and locks under the scratch directory.
source "$(dirname "$0")/lib.sh"
((EUID == 0)) || skip "podman containers here need root"
podman=$(command -v podman || true)
runc=$(command -v runc || command -v /usr/sbin/runc || true)
busybox=$(command -v busybox || true)
[[ -n $podman && -n $runc && -n $busybox ]] || skip "needs podman, runc and busybox-static"
is_static() { [[ -f $1 ]] && ! readelf -l "$1" 2>/dev/null | grep -q INTERP; }
is_static "$(readlink -f "$busybox")" || skip "needs a static busybox (busybox-static)"
DESTDIR=$SCRATCH/install cmake --install "$BUILD" --prefix /usr >/dev/null
is_static "$SCRATCH/install/usr/bin/ipcbox" ||
    skip "the installed ipcbox is not static (IPCBOX_STATIC=OFF)"

# The job image: busybox, the installed ipcbox, support_ipcmake (static) as ipcmake, the job.
rootfs=$SCRATCH/rootfs
mkdir -p "$rootfs"/{bin,usr/bin,proc,dev,sys,tmp,etc}
cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$busybox" --list); do [[ $applet == busybox ]] || ln -s busybox "$rootfs/bin/$applet"; done
cp "$SCRATCH/install/usr/bin/ipcbox" "$rootfs/usr/bin/ipcbox"
cp "$BUILD/tests/support_ipcmake" "$rootfs/bin/ipcmake"
cp "$SOURCE/tests/packaging/recipes/container/job.sh" "$rootfs/job.sh"

state=$SCRATCH/podman
mkdir -p "$state"
printf '[engine]\nlock_type = "file"\nconmon_env_vars = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "CONTAINERS_CONF=%s"]\n' \
    "$state/containers.conf" >"$state/containers.conf"
cleanup() {
    # `podman run --rm` returns before conmon's `podman container cleanup` is done with the storage.
    for _ in $(seq 200); do pgrep -f -- "$state" >/dev/null || break; sleep 0.05; done
    rm -rf "$SCRATCH"
}
trap cleanup EXIT
# job PODMAN_RUN_OPTIONS... -- JOB_ARGS...: runs the job, prints its report (stderr into it too).
job() {
    local opts=()
    while [[ $1 != -- ]]; do opts+=("$1"); shift; done
    shift
    CONTAINERS_CONF=$state/containers.conf timeout 120 "$podman" --root "$state/root" \
        --runroot "$state/runroot" --tmpdir "$state/tmp" --events-backend none --runtime "$runc" \
        --cgroup-manager cgroupfs --storage-driver vfs run --rm --network none \
        --ulimit nofile=20000:20000 --ulimit nproc=1024:1024 "${opts[@]}" \
        --rootfs "$rootfs" /bin/sh /job.sh "$@" 2>&1
}
field() { sed -n "s/^$1 $2 //p" <<<"$3"; }

# isolated WHO REPORT: both objects inside, neither outside, another IPC namespace.
isolated() {
    local who=$1 r=$2
    [[ $(field job rc "$r") == 0 ]] || fail "$who: the job failed: $r"
    [[ $(field inside msg "$r") == 16962 && $(field inside shm "$r") == frame ]] ||
        fail "$who: the sandbox does not see its own objects: $r"
    [[ -z $(field outside msg "$r") && -z $(field outside shm "$r") ]] ||
        fail "$who: the container sees the sandbox's objects: $r"
    local in out
    in=$(field inside ns "$r") out=$(field outside ns "$r")
    [[ ${in%% *} != "${out%% *}" ]] || fail "$who: the sandbox is in the container's IPC namespace: $r"
}

r=$(job -- --user new)
isolated "container root, --user new" "$r"
[[ $(field job uid "$r") == 0 ]] || fail "the job did not run as the container's root: $r"
echo "ok: container root, ipcbox run --user new: objects only inside the sandbox"

r=$(job --user 65534:65534 --)
isolated "container uid 65534" "$r"
[[ $(field job uid "$r") == 65534 ]] || fail "the job did not run as uid 65534: $r"
echo "ok: container uid 65534, ipcbox run: objects only inside the sandbox"

r=$(job -- plain)
[[ $(field outside msg "$r") == 16962 && $(field outside shm "$r") == frame ]] ||
    fail "without ipcbox the container should see the objects: $r"
echo "ok: without ipcbox the container sees them"

r=$(job --)
isolated "container root, default --user (auto)" "$r"
echo "ok: container root, default --user auto: a user namespace of its own, objects only inside"

r=$(job -- --user host)
[[ $(field job rc "$r") == 125 ]] || fail "container root, --user host: want exit 125: $r"
grep -qF 'use user = "auto" or "new"' <<<"$r" || fail "the refusal does not name auto/new: $r"
[[ -z $(field outside msg "$r") ]] || fail "the refused run made an object: $r"
echo "ok: container root with --user host: exit 125, names auto and new"

r=$(job --security-opt unmask=ALL -- --user new --pid)
isolated "container root, --pid, unmask=ALL" "$r"
in=$(field inside ns "$r") out=$(field outside ns "$r")
[[ ${in##* } != "${out##* }" ]] || fail "--pid: the sandbox is in the container's pid namespace: $r"
echo "ok: --pid with --security-opt unmask=ALL: a new pid namespace too"
