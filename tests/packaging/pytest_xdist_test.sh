#!/usr/bin/env bash
# The README's pytest-xdist recipe, run as the README writes it: the two-line wrapper given to
# `--tx 4*popen//python=./ipcbox-python`, with ipcbox from an install tree on PATH. While this
# script holds SysV key 0x1bcb0c7 on the host, recipes/pytest's eight tests (each creates that key
# with IPC_CREAT|IPC_EXCL) all fail with EEXIST under plain workers and all pass through the
# wrapper, with one IPC namespace per worker, none of them the host's. As root and as nobody.
source "$(dirname "$0")/lib.sh"
# Debian's python3 (the one python3-pytest-xdist installs into), ipcbox from an install tree.
export PATH=$SCRATCH/root/usr/bin:/usr/sbin:/usr/bin:/sbin:/bin
python3 -c 'import xdist' 2>/dev/null || skip "pytest-xdist is not installed (python3-pytest-xdist)"
DESTDIR=$SCRATCH/root cmake --install "$BUILD" --prefix /usr >/dev/null
# Holds the key on the host with its own semaphore set; removed on exit.
held=$(python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
id = libc.semget(0x1bcb0c7, 1, 0o1000 | 0o2000 | 0o666)
sys.exit("semget: the key 0x1bcb0c7 is taken on this host" if id < 0 else print(id))')
trap 'ipcrm -s "$held"; rm -rf "$SCRATCH"' EXIT
host_ns=$(readlink /proc/self/ns/ipc)
chmod -R a+rX "$SCRATCH"

# xdist USER NAME PYTHON: runs the eight tests on four workers started as PYTHON; prints the passes.
xdist() {
    local user=$1 dir=$SCRATCH/$2 python=$3
    mkdir -p "$dir/claims" && cp "$SOURCE/tests/packaging/recipes/pytest/test_claim.py" "$dir/"
    chown -R "$user" "$dir"
    local as=()
    [[ $user == root ]] || as=(setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups --)
    (cd "$dir" && "${as[@]}" sh -c '
        # The README recipe, verbatim:
        printf '"'"'#!/bin/sh\nexec ipcbox run -- python3 "$@"\n'"'"' > ipcbox-python && chmod +x ipcbox-python
        exec env HOME="$1" CLAIM_LOG="$1/claims" PYTHONDONTWRITEBYTECODE=1 \
            timeout 120 python3 -m pytest -p no:cacheprovider -d --tx "4*popen//python=$2" test_claim.py
        ' sh "$dir" "$python") >"$dir/pytest.log" 2>&1 || true
    sed -n 's/.* \([0-9]*\) passed.*/\1/p' "$dir/pytest.log" | tail -1
}

for user in root nobody; do
    passed=$(xdist "$user" "plain-$user" python3)
    [[ -z $passed ]] || { cat "$SCRATCH/plain-$user/pytest.log"; fail "$user: $passed passed on plain workers while the key is held"; }
    [[ $(grep -c '^E  *FileExistsError: \[Errno 17\] semget' "$SCRATCH/plain-$user/pytest.log") == 8 ]] ||
        { cat "$SCRATCH/plain-$user/pytest.log"; fail "$user: on plain workers all 8 should fail with EEXIST"; }

    passed=$(xdist "$user" "ipcbox-$user" ./ipcbox-python)
    [[ $passed == 8 ]] || { cat "$SCRATCH/ipcbox-$user/pytest.log"; fail "$user: $passed of 8 passed through the wrapper"; }
    # One sandbox per worker: each worker saw one namespace, four workers saw four, none the host's.
    claims=$(cat "$SCRATCH/ipcbox-$user"/claims/*)
    [[ $(sort -u <<<"$claims" | wc -l) == "$(cut -d' ' -f1 <<<"$claims" | sort -u | wc -l)" ]] ||
        fail "$user: a worker ran in more than one namespace: $claims"
    [[ $(cut -d' ' -f2 <<<"$claims" | sort -u | wc -l) == 4 ]] || fail "$user: want 4 namespaces: $claims"
    grep -qF "$host_ns" <<<"$claims" && fail "$user: a worker ran in the host's IPC namespace"
    [[ $(ipcs -s | grep -ci '0x01bcb0c7') == 1 ]] || fail "$user: a claim was left on the host"
    echo "ok ($user): 8 of 8 pass on 4 ipcbox workers (4 namespaces), 0 of 8 (EEXIST) on plain workers"
done
