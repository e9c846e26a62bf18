# A CI job's step inside a container (/job.sh, busybox sh): makes a SysV queue (key 0x4242,
# 16962) and /dev/shm/frame under `ipcbox run ARGS... --`, or directly with the argument
# "plain", then reports what the container sees outside the sandbox: "WHERE WHAT VALUE" lines.
report() {
    echo "$1 ns ipc=$(readlink /proc/self/ns/ipc) pid=$(readlink /proc/self/ns/pid)"
    awk -v w="$1" 'NR > 1 { print w, "msg", $1 }' /proc/sysvipc/msg
    for f in /dev/shm/*; do [ -e "$f" ] && echo "$1 shm ${f#/dev/shm/}"; done
    return 0
}
make_objects() { ipcmake msgq 0x4242 hi , pshm /frame 64 >/dev/null; }
case $1 in
    inside) make_objects && report inside; exit ;;
    plain) make_objects ;;
    *) ipcbox run "$@" -- sh /job.sh inside ;;
esac
echo "job rc $?"
report outside
echo "job uid $(id -u)"
