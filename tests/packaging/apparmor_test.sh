#!/usr/bin/env bash
# The installed AppArmor profile parses. Its `userns,` rule needs AppArmor 4 (abi/4.0); Debian 12's
# parser (3.0) knows neither, so there the profile is parsed with the abi set to 3.0 and that one
# rule removed, and the rule itself is checked by text.
source "$(dirname "$0")/lib.sh"
command -v apparmor_parser >/dev/null || skip "apparmor_parser is not installed (package apparmor)"
DESTDIR=$SCRATCH/root cmake --install "$BUILD" --prefix /usr >/dev/null
profile=$SCRATCH/root/etc/apparmor.d/ipcbox
grep -qx '  userns,' "$profile" || fail "the profile has no userns rule"
grep -qx 'abi <abi/4.0>,' "$profile" || fail "the profile does not declare abi/4.0"
abi_dir=$(apparmor_parser --help 2>&1 | sed -n 's/.*base directory.*(default: \(.*\)).*/\1/p')
abi_dir=${abi_dir:-/etc/apparmor.d}
if [[ -f $abi_dir/abi/4.0 ]]; then
    out=$(apparmor_parser -Q -I "$abi_dir" "$profile" 2>&1) || fail "apparmor_parser -Q: $out"
    echo "ok: parsed as shipped"
else
    sed -e 's|abi <abi/4.0>,|abi <abi/3.0>,|' -e '/^  userns,$/d' "$profile" >"$SCRATCH/ipcbox"
    out=$(apparmor_parser -Q -I "$abi_dir" "$SCRATCH/ipcbox" 2>&1 | grep -v 'Cache read/write disabled') ||
        true
    apparmor_parser -Q -I "$abi_dir" "$SCRATCH/ipcbox" >/dev/null 2>&1 || fail "apparmor_parser -Q: $out"
    # And the parser does refuse a broken profile, so the check above means something.
    sed 's/^  include if exists/  includ if exists/' "$SCRATCH/ipcbox" >"$SCRATCH/broken"
    ! apparmor_parser -Q -I "$abi_dir" "$SCRATCH/broken" >/dev/null 2>&1 || fail "a broken profile parsed"
    echo "ok: parsed with AppArmor $(apparmor_parser --version | sed -n '1s/.*version //p') (without the abi 4.0 userns rule)"
fi
