#!/usr/bin/env bash
# find_package(ipcbox) from an install tree, and ipcbox_add_test(): tests/packaging/sample's eight
# tests that claim one fixed SysV key all pass under `ctest -j8` through ipcbox, and collide
# (exactly one gets the key, seven get EEXIST) when added with plain add_test(). Run as root and
# as nobody (rootless: the user namespace path).
source "$(dirname "$0")/lib.sh"
prefix=$SCRATCH/root/usr
DESTDIR=$SCRATCH/root cmake --install "$BUILD" --prefix /usr >/dev/null
cp -r "$SOURCE/tests/packaging/sample" "$SCRATCH/sample-src"  # readable by nobody
chmod -R a+rX "$SCRATCH"
key_on_host() { ipcs -s | grep -qi '0x01bcb0c5'; }
key_on_host && fail "the sample's key 0x1bcb0c5 is already on the host; remove it first"

sample() {  # sample AS_USER NAME CMAKE_ARGS...: configures, builds, runs ctest -j8; prints passes
    local user=$1 name=$2
    shift 2
    local dir=$SCRATCH/$name
    mkdir -p "$dir" && chown "$user" "$dir"
    local as=()
    [[ $user == root ]] || as=(setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups --)
    "${as[@]}" cmake -S "$SCRATCH/sample-src" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" "$@" >/dev/null
    "${as[@]}" cmake --build "$dir" >/dev/null
    "${as[@]}" env HOME="$dir" ctest --test-dir "$dir" -j8 --timeout 90 --output-on-failure >"$dir/ctest.log" 2>&1 || true
    grep -cE 'Test +#[0-9]+: claim_[0-9]+ .*Passed' "$dir/ctest.log" || true
}

for user in root nobody; do
    passed=$(sample "$user" "with-$user")
    [[ $passed == 8 ]] || { cat "$SCRATCH/with-$user/ctest.log"; fail "$user: $passed of 8 passed through ipcbox_add_test"; }
    key_on_host && fail "$user: the key was left on the host"
    passed=$(sample "$user" "without-$user" -DSAMPLE_WITHOUT_IPCBOX=ON)
    [[ $passed == 1 ]] || { cat "$SCRATCH/without-$user/ctest.log"; fail "$user: $passed of 8 passed without ipcbox (want exactly 1)"; }
    [[ $(grep -c 'semget: File exists' "$SCRATCH/without-$user/ctest.log") == 7 ]] ||
        fail "$user: without ipcbox, 7 tests should have met EEXIST"
    key_on_host && fail "$user: the key was left on the host"
    echo "ok ($user): 8 of 8 through ipcbox_add_test, 1 of 8 without"
done
# The version file: an incompatible major version is refused.
mkdir "$SCRATCH/v2" && cat >"$SCRATCH/v2/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(v2 NONE)
find_package(ipcbox 2 REQUIRED)
CM
! cmake -S "$SCRATCH/v2" -B "$SCRATCH/v2/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null 2>&1 ||
    fail "find_package(ipcbox 2) accepted version 0.x"
