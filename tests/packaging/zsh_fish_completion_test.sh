#!/usr/bin/env bash
# Drives the generated zsh and fish completions as a user's shell does: zsh's completion system
# in a pty (zsh_complete.zsh types each line and TAB), fish's `complete -C LINE`. Subcommands,
# flags, the values of fixed sets, the command after `run` (its own completion, not ipcbox's
# flags), and every flag of every subcommand.
source "$(dirname "$0")/lib.sh"
docs=$BUILD/packaging/docs
command -v zsh >/dev/null || skip "zsh is not installed"
command -v fish >/dev/null || skip "fish is not installed"
mkdir -p "$SCRATCH/zsh" "$SCRATCH/fish/completions" "$SCRATCH/home"
cp "$docs/_ipcbox" "$SCRATCH/zsh/"
cp "$docs/ipcbox.fish" "$SCRATCH/fish/completions/"
export HOME=$SCRATCH/home XDG_CONFIG_HOME=$SCRATCH/home/config XDG_DATA_HOME=$SCRATCH/home/data

# zsh_complete LINE...: "LINE<TAB>matches sorted, space-separated" for each LINE.
zsh_complete() {
    local out=$SCRATCH/zsh.out
    : >"$out"
    timeout 120 zsh -f "$SOURCE/tests/packaging/zsh_complete.zsh" "$SCRATCH/zsh" "$out" "$@" ||
        fail "zsh: $(cat "$out")"
    local line="" l
    local -A matches=()
    flush() {
        [[ -n $line ]] || return 0
        printf '%s\t%s\n' "$line" "$(printf '%s\n' "${!matches[@]}" | sort | tr '\n' ' ' | sed 's/ *$//')"
    }
    while IFS= read -r l; do
        if [[ $l == "@@ "* ]]; then
            flush
            line=${l#@@ } matches=()
        elif [[ -n $l && $l != @@done ]]; then
            matches[$l]=1
        fi
    done <"$out"
    flush
}
# fish_complete LINE...: the same from fish, with the file under test loaded.
fish_complete() {
    timeout 120 fish -c '
        source $argv[1]/ipcbox.fish
        for line in $argv[2..-1]
            printf "%s\t%s\n" $line (complete -C $line | cut -f1 | sort -u | string join " ")
        end' "$SCRATCH/fish/completions" "$@"
}

subs=$("$IPCBOX" --help | sed -n '/^commands:/,$p' | sed -n 's/^  \([a-z][a-z0-9-]*\).*/\1/p' | sort -u | tr '\n' ' ')
subs=${subs% }
kinds="posix.queue posix.semaphore posix.shm sysv.queue sysv.semaphore sysv.shm"
cases=(
    "ipcbox r|run"
    "ipcbox run --bl|--block --block-errno"
    "ipcbox run --block |$kinds"
    "ipcbox run --block-errno E|EACCES ENOSYS EPERM"
    "ipcbox run --cap-add CAP_NET_|CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW"
    "ipcbox run -c x.toml --block sysv|sysv.queue sysv.semaphore sysv.shm"
    "ipcbox run --dev-shm |host none private"
    "ipcbox export --bl|--block --block-errno"
    "ipcbox probe --cap-add CAP_SYS_AD|CAP_SYS_ADMIN"
    "ipcbox ls --js|--json"
    # The command's name, then its own completion (ls's --block-size), never ipcbox's --block.
    "ipcbox run --net unam|uname"
    "ipcbox run -- unam|uname"
    "ipcbox run --timeout 5 ls --bl|--block-size"
    "ipcbox run --net -- ls --bl|--block-size"
)
check() {  # check SHELL RESULTS: each case's line got exactly its matches
    local shell=$1 results=$2 c line want got
    for c in "${cases[@]}" "${shell_cases[@]}"; do
        line=${c%%|*} want=${c#*|}
        got=$(awk -F'\t' -v l="$line" '$1 == l { print $2 }' <<<"$results")
        [[ $got == "$want" ]] || fail "$shell: '$line': got '$got', want '$want'"
    done
}
lines=()
for c in "${cases[@]}"; do lines+=("${c%%|*}"); done

shell_cases=("ipcbox |--help --version $subs")
check zsh "$(zsh_complete "${lines[@]}" "ipcbox ")"
echo "ok: zsh completion (${#cases[@]} + 1 cases)"
shell_cases=("ipcbox |$subs" "ipcbox --|--help --version")
check fish "$(fish_complete "${lines[@]}" "ipcbox " "ipcbox --")"
echo "ok: fish completion (${#cases[@]} + 2 cases)"

# Every flag of every subcommand is offered for that subcommand.
flag_lines=()
while read -r sub flag; do
    words="ipcbox $sub"
    [[ $sub == export ]] && words+=" seccomp"
    [[ $sub == domain ]] && words+=" create d1"
    flag_lines+=("$words $flag")
done < <(all_flags | sort -u)
for shell in zsh fish; do
    results=$("${shell}_complete" "${flag_lines[@]}")
    for line in "${flag_lines[@]}"; do
        got=" $(awk -F'\t' -v l="$line" '$1 == l { print $2 }' <<<"$results") "
        [[ $got == *" ${line##* } "* ]] || fail "$shell: '$line': got '$got'"
    done
    echo "ok: $shell offers all ${#flag_lines[@]} flags"
done
