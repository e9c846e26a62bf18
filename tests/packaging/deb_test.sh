#!/usr/bin/env bash
# `cmake --build BUILD --target deb`: the package holds the install tree for prefix /usr, has no
# Depends (the binary is static), lintian finds no error in it, and it installs, removes and
# purges cleanly in a scratch dpkg root (dpkg --root; maintainer scripts run chrooted there with a
# static busybox as /bin/sh, so nothing on this machine changes).
source "$(dirname "$0")/lib.sh"
cmake --build "$BUILD" --target deb >/dev/null
version=$(sed -n 's/^project(ipcbox VERSION \([0-9.]*\).*/\1/p' "$SOURCE/CMakeLists.txt")
deb=$BUILD/ipcbox_${version}_$(dpkg --print-architecture).deb
[[ -f $deb ]] || fail "$deb was not written"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$SCRATCH/contents"
for f in /usr/bin/ipcbox /usr/share/man/man1/ipcbox.1.gz /usr/share/man/man5/ipcbox.toml.5.gz \
         /usr/share/bash-completion/completions/ipcbox /usr/share/zsh/vendor-completions/_ipcbox \
         /usr/share/fish/vendor_completions.d/ipcbox.fish \
         /usr/share/containers/oci/hooks.d/ipcbox.json /etc/apparmor.d/ipcbox /etc/ipcbox/specs/ \
         /usr/lib/cmake/ipcbox/ipcboxConfig.cmake /usr/lib/cmake/ipcbox/ipcboxConfigVersion.cmake \
         /usr/share/doc/ipcbox/copyright /usr/share/doc/ipcbox/changelog.gz; do
    grep -qxF "$f" "$SCRATCH/contents" || fail "the package lacks $f"
done
[[ -z $(dpkg-deb -f "$deb" Depends) ]] || fail "Depends: $(dpkg-deb -f "$deb" Depends)"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "Version: $(dpkg-deb -f "$deb" Version)"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/apparmor.d/ipcbox ||
    fail "/etc/apparmor.d/ipcbox is not a conffile"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/ipcbox >"$SCRATCH/ipcbox"
chmod +x "$SCRATCH/ipcbox"
[[ $("$SCRATCH/ipcbox" --version) == "$("$IPCBOX" --version)" ]] || fail "the packaged binary is another build"
grep -q '"path": "/usr/bin/ipcbox"' < <(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/containers/oci/hooks.d/ipcbox.json) ||
    fail "hooks.d does not point at /usr/bin/ipcbox"

# Install, remove, purge in a scratch root.
root=$SCRATCH/dpkg-root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/bin" "$root/usr/bin" "$root/tmp"
touch "$root/var/lib/dpkg/status"
busybox=$(command -v busybox) || skip "busybox is not installed"
cp "$busybox" "$root/bin/sh"
dpkg --root="$root" --force-not-root --log=/dev/null -i "$deb" >/dev/null || fail "dpkg -i failed"
[[ -x $root/usr/bin/ipcbox && -f $root/etc/apparmor.d/ipcbox && -d $root/etc/ipcbox/specs ]] ||
    fail "dpkg -i did not install the files"
dpkg --root="$root" -s ipcbox | grep -qx 'Status: install ok installed' || fail "not installed ok"
dpkg --root="$root" --log=/dev/null -r ipcbox >/dev/null || fail "dpkg -r failed"
[[ ! -e $root/usr/bin/ipcbox && ! -e $root/usr/share/man/man1/ipcbox.1.gz ]] || fail "dpkg -r left files"
[[ -f $root/etc/apparmor.d/ipcbox ]] || fail "dpkg -r removed a conffile"
dpkg --root="$root" --log=/dev/null -P ipcbox >/dev/null || fail "dpkg -P failed"
left=$(cd "$root" && find . -path ./var -prune -o -path ./bin -prune -o -path ./tmp -prune -o -path ./usr/bin -prune -o ! -type d -print)
[[ -z $left ]] || fail "purge left: $left"
[[ ! -e $root/etc/apparmor.d/ipcbox && ! -e $root/usr/lib/cmake/ipcbox ]] || fail "purge left files"

command -v lintian >/dev/null || skip "lintian is not installed"
lintian --tag-display-limit 0 "$deb" >"$SCRATCH/lintian" 2>&1 || true
cat "$SCRATCH/lintian"
! grep -q '^E:' "$SCRATCH/lintian" || fail "lintian reports errors"
echo "ok: $deb"
