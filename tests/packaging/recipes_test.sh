#!/usr/bin/env bash
# The README's CI recipes that Debian's tools can run: `go test -exec 'ipcbox run --'` and cargo's
# target.<triple>.runner. While this script holds SysV key 0x1bcb0c6 on the host, each recipe's
# test (which creates that key with IPC_CREAT|IPC_EXCL) fails without ipcbox (EEXIST) and passes
# through it.
source "$(dirname "$0")/lib.sh"
recipes=$SOURCE/tests/packaging/recipes
# Holds the key on the host with its own semaphore set; removed on exit.
held=$(/usr/bin/python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
id = libc.semget(0x1bcb0c6, 1, 0o1000 | 0o2000 | 0o600)
sys.exit("semget: the key 0x1bcb0c6 is taken on this host" if id < 0 else print(id))')
trap 'ipcrm -s "$held"; rm -rf "$SCRATCH"' EXIT
ran=0

if command -v go >/dev/null; then
    cp -r "$recipes/go" "$SCRATCH/go"
    export GOCACHE=$SCRATCH/gocache GOPATH=$SCRATCH/gopath GOFLAGS=-mod=mod GOPROXY=off
    (cd "$SCRATCH/go" && go test -count=1 ./... >"$SCRATCH/go-plain.log" 2>&1) &&
        fail "go test without ipcbox passed while the key is held: $(cat "$SCRATCH/go-plain.log")"
    grep -q 'file exists' "$SCRATCH/go-plain.log" || fail "go test failed otherwise: $(cat "$SCRATCH/go-plain.log")"
    (cd "$SCRATCH/go" && go test -count=1 -exec "$IPCBOX run --" ./...) ||
        fail "go test -exec 'ipcbox run --' failed"
    echo "ok: go test -exec 'ipcbox run --'"
    ran=$((ran + 1))
fi

cargo=$(command -v /usr/bin/cargo cargo | head -1 || true)
if [[ -n $cargo ]]; then
    cp -r "$recipes/cargo" "$SCRATCH/cargo"
    export CARGO_HOME=$SCRATCH/cargo-home CARGO_TARGET_DIR=$SCRATCH/cargo-target
    (cd "$SCRATCH/cargo" && "$cargo" test --offline -q >"$SCRATCH/cargo-plain.log" 2>&1) &&
        fail "cargo test without ipcbox passed while the key is held"
    grep -q 'File exists' "$SCRATCH/cargo-plain.log" || fail "cargo test failed otherwise: $(cat "$SCRATCH/cargo-plain.log")"
    triple=$(rustc -vV | sed -n 's/^host: //p')
    mkdir -p "$SCRATCH/cargo/.cargo"
    printf '[target.%s]\nrunner = ["%s", "run", "--"]\n' "$triple" "$IPCBOX" >"$SCRATCH/cargo/.cargo/config.toml"
    (cd "$SCRATCH/cargo" && "$cargo" test --offline -q) || fail "cargo test with the ipcbox runner failed"
    echo "ok: cargo test with target.$triple.runner = ipcbox run --"
    ran=$((ran + 1))
fi
((ran == 2)) || skip "golang-go or cargo is not installed"
