#!/usr/bin/env bash
# `cmake --install` into a DESTDIR, for two prefixes: every file lands where GNUInstallDirs and
# the system (AppArmor, the hook's spec directory) expect it, nothing is written outside DESTDIR,
# and the hooks.d entry and the AppArmor profile name the installed binary's final path.
source "$(dirname "$0")/lib.sh"

check_tree() {
    local prefix=$1 root=$SCRATCH/root$2
    local before=$SCRATCH/host-before
    ls -d /etc/apparmor.d/ipcbox /etc/ipcbox "$prefix/bin/ipcbox" "$prefix/lib/cmake/ipcbox" \
        "$prefix/share/containers/oci/hooks.d/ipcbox.json" 2>/dev/null >"$before" || true
    DESTDIR=$root cmake --install "$BUILD" --prefix "$prefix" >/dev/null
    local f
    for f in "$prefix/bin/ipcbox" "$prefix/share/man/man1/ipcbox.1" \
             "$prefix/share/man/man5/ipcbox.toml.5" \
             "$prefix/share/bash-completion/completions/ipcbox" \
             "$prefix/share/zsh/vendor-completions/_ipcbox" \
             "$prefix/share/fish/vendor_completions.d/ipcbox.fish" \
             "$prefix/share/containers/oci/hooks.d/ipcbox.json" \
             "$prefix/lib/cmake/ipcbox/ipcboxConfig.cmake" \
             "$prefix/lib/cmake/ipcbox/ipcboxConfigVersion.cmake" \
             "$prefix/share/doc/ipcbox/examples/full.toml" /etc/apparmor.d/ipcbox; do
        [[ -f $root$f ]] || fail "$prefix: $f is not installed"
    done
    [[ -d $root/etc/ipcbox/specs ]] || fail "$prefix: /etc/ipcbox/specs is not made"
    [[ -x $root$prefix/bin/ipcbox ]] || fail "$prefix: bin/ipcbox is not executable"
    # Every file of the manifest (which lists them without DESTDIR) is under DESTDIR, and none
    # of them appeared on this machine.
    [[ $(wc -l <"$BUILD/install_manifest.txt") -ge 15 ]] || fail "short manifest"
    while read -r f; do
        [[ -f $root$f ]] || fail "$prefix: $f is in the manifest but not under DESTDIR"
        [[ ! -e $f ]] || grep -qxF "$f" "$before" || fail "$prefix: $f was installed outside DESTDIR"
    done <"$BUILD/install_manifest.txt"
    # The hooks.d entry runs the installed binary with the installed spec directory.
    grep -q "\"path\": \"$prefix/bin/ipcbox\"" "$root$prefix/share/containers/oci/hooks.d/ipcbox.json" ||
        fail "$prefix: hooks.d does not name $prefix/bin/ipcbox"
    grep -q '"--spec-dir", "/etc/ipcbox/specs"' "$root$prefix/share/containers/oci/hooks.d/ipcbox.json" ||
        fail "$prefix: hooks.d does not name /etc/ipcbox/specs"
    grep -qx "profile ipcbox $prefix/bin/ipcbox flags=(unconfined) {" "$root/etc/apparmor.d/ipcbox" ||
        fail "$prefix: the AppArmor profile does not attach to $prefix/bin/ipcbox"
    grep -qx '  userns,' "$root/etc/apparmor.d/ipcbox" || fail "no userns rule"
    # The installed binary is the built one and says which commit it is.
    cmp -s "$IPCBOX" "$root$prefix/bin/ipcbox" || fail "$prefix: bin/ipcbox differs from the build"
}

check_tree /usr 1
check_tree /opt/ipcbox 2

# --version: the project's version and the commit (when built from a git checkout, HEAD's).
version=$("$IPCBOX" --version)
[[ $version =~ ^ipcbox\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ ([0-9a-f]{12}(-dirty)?|unknown)\)$ ]] ||
    fail "--version: '$version'"
if git -C "$SOURCE" rev-parse HEAD >/dev/null 2>&1; then
    head=$(git -C "$SOURCE" rev-parse --short=12 HEAD)
    [[ $version == *"commit $head"* ]] || fail "--version '$version' does not name HEAD $head"
fi
# From a tarball (no .git): the commit given at configure time, or "unknown".
mkdir "$SCRATCH/tarball"
cmake -DSOURCE_DIR="$SCRATCH/tarball" -DOUT="$SCRATCH/v1.hpp" -DVERSION=9.8.7 \
    -P "$SOURCE/packaging/version.cmake"
grep -q '#define IPCBOX_VERSION "9.8.7 (commit unknown)"' "$SCRATCH/v1.hpp" || fail "tarball: $(cat "$SCRATCH/v1.hpp")"
cmake -DSOURCE_DIR="$SCRATCH/tarball" -DOUT="$SCRATCH/v2.hpp" -DVERSION=9.8.7 -DGIT_COMMIT=abc123 \
    -P "$SOURCE/packaging/version.cmake"
grep -q '#define IPCBOX_VERSION "9.8.7 (commit abc123)"' "$SCRATCH/v2.hpp" || fail "tarball with IPCBOX_GIT_COMMIT"
echo "ok: install trees for /usr and /opt/ipcbox; $version"
