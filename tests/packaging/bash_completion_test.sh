#!/usr/bin/env bash
# Drives the generated bash completion as bash does: COMP_WORDS / COMP_CWORD set, _ipcbox called,
# COMPREPLY checked. Subcommands, every flag of each, and the values of fixed sets.
source "$(dirname "$0")/lib.sh"
source "$BUILD/packaging/docs/ipcbox.bash"
complete -p ipcbox | grep -q -- '-F _ipcbox' || fail "not registered for ipcbox"

# complete WORDS...: the last word is the one being completed; prints COMPREPLY sorted.
complete_line() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _ipcbox
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() {
    local want=$1
    shift
    local got
    got=$(complete_line "$@")
    [[ $got == "$want" ]] || fail "'$*': got '$got', want '$want'"
}

subs=$("$IPCBOX" --help | sed -n '/^commands:/,$p' | sed -n 's/^  \([a-z][a-z0-9-]*\).*/\1/p' | sort -u | tr '\n' ' ')
expect "--help --version ${subs% }" ipcbox ''
expect "run" ipcbox r
expect "--block --block-errno" ipcbox run --bl
expect "EACCES ENOSYS EPERM" ipcbox run --block-errno ''
expect "EPERM" ipcbox run --block-errno EP
expect "CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW" ipcbox run --cap-add CAP_NET_
expect "CAP_SYS_ADMIN" ipcbox probe --cap-add CAP_SYS_AD
expect "--block-errno=EACCES" ipcbox run --block-errno=EA
expect "posix.queue posix.semaphore posix.shm sysv.queue sysv.semaphore sysv.shm" ipcbox run --block ''
expect "sysv.queue sysv.semaphore sysv.shm" ipcbox run -c x.toml --block sysv
expect "host none private" ipcbox run --dev-shm ''
expect "auto" ipcbox run --user a
expect "abstract-unix signal" ipcbox run --scope ''
expect "schema seccomp" ipcbox export s
expect "--block-errno" ipcbox export seccomp --block-e
expect "--allow-inline" ipcbox hook --al
expect "--json" ipcbox ls --js
expect "create ls rm" ipcbox domain ""
expect "--grace" ipcbox domain rm d1 --gr
# A flag's value is not the command; after the command, ipcbox's flags are not offered.
expect "" ipcbox run --timeout 5 ls --bl
expect "" ipcbox run -- true --dev-s
# Every flag of every subcommand is offered for that subcommand.
while read -r sub flag; do
    words=(ipcbox "$sub")
    [[ $sub == export ]] && words+=(seccomp)
    [[ $sub == domain ]] && words+=(create d1)
    got=" $(complete_line "${words[@]}" "$flag") "
    [[ $got == *" $flag "* ]] || fail "ipcbox $sub $flag: got '$got'"
done < <(all_flags)
echo "ok: bash completion"
