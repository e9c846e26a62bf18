#!/usr/bin/env bash
# The man pages render without a warning, and every flag the binary accepts (every subcommand's
# --help, read here independently of the generator) appears in ipcbox(1), in the three
# completions and in the README; every spec key of examples/full.toml (which uses them all) is
# in ipcbox.toml(5). The zsh and fish completions parse.
source "$(dirname "$0")/lib.sh"
docs=$BUILD/packaging/docs

for page in ipcbox.1 ipcbox.toml.5; do
    warnings=$(groff -man -ww -z "$docs/$page" 2>&1)
    [[ -z $warnings ]] || fail "$page: groff warns: $warnings"
done
rendered=$(groff -man -Tutf8 -P-cbou "$docs/ipcbox.1" 2>/dev/null)
rendered5=$(groff -man -Tutf8 -P-cbou "$docs/ipcbox.toml.5" 2>/dev/null)

flags=$(all_flags)
[[ $(wc -l <<<"$flags") -ge 40 ]] || fail "only $(wc -l <<<"$flags") flags found in --help"
missing=0
while read -r sub flag; do
    # In the man page, under the subcommand's own section.
    section=$(awk -v s="   ipcbox $sub" '$0 == s {on=1; next} /^   ipcbox / {on=0} /^[A-Z]/ {on=0} on' <<<"$rendered")
    grep -qF -- "$flag" <<<"$section" || { echo "ipcbox.1: 'ipcbox $sub' lacks $flag"; missing=1; }
    grep -qF -- "$sub:$flag" "$docs/ipcbox.bash" || grep -qE -- "^        $sub\) echo '.*$flag( |')" "$docs/ipcbox.bash" ||
        { echo "bash completion: $sub lacks $flag"; missing=1; }
    grep -qF -- "$flag" "$docs/_ipcbox" || { echo "zsh completion lacks $flag"; missing=1; }
    grep -qE -- "-n '__ipcbox_sub $sub[;'].* -l ${flag#--} " "$docs/ipcbox.fish" ||
        { echo "fish completion: $sub lacks $flag"; missing=1; }
    [[ $flag == --help ]] || grep -qF -- "$flag" "$SOURCE/README.md" || { echo "README.md lacks $flag"; missing=1; }
done <<<"$flags"
((missing == 0)) || fail "flags missing (above)"

# Every subcommand has a section; every exit status of launcher/exit_codes.hpp is explained.
for sub in $(cut -d' ' -f1 <<<"$flags" | sort -u) validate; do
    grep -qx "   ipcbox $sub" <<<"$rendered" || fail "ipcbox.1 has no section for $sub"
done
for code in $(grep -oE '= [0-9]+,' "$SOURCE/launcher/exit_codes.hpp" | grep -oE '[0-9]+'); do
    grep -qE "^       $code\b" <<<"$rendered" || fail "ipcbox.1: exit status $code is not explained"
done

# Every key of examples/full.toml ("a.b.c = ..." flattened) is in ipcbox.toml(5).
keys=$(python3 - "$SOURCE/examples/full.toml" <<'PY'
import sys, tomllib
def walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if "." not in k: print(k)
            walk(v)
    elif isinstance(node, list):
        for v in node: walk(v)
with open(sys.argv[1], "rb") as f: walk(tomllib.load(f))
PY
)
[[ $(sort -u <<<"$keys" | wc -l) -ge 40 ]] || fail "only $(sort -u <<<"$keys" | wc -l) keys read from full.toml"
for key in $(sort -u <<<"$keys"); do
    [[ $key == kernel || $key == fs || $key == mqueue ]] && continue  # dotted sysctl names
    grep -qw -- "$key" <<<"$rendered5" || fail "ipcbox.toml.5 does not describe '$key'"
done

command -v zsh >/dev/null || skip "zsh is not installed"
zsh -n "$docs/_ipcbox" || fail "_ipcbox does not parse"
command -v fish >/dev/null || skip "fish is not installed"
fish --no-execute "$docs/ipcbox.fish" || fail "ipcbox.fish does not parse"
echo "ok: $(wc -l <<<"$flags") flags in ipcbox.1, the completions and the README; $(sort -u <<<"$keys" | wc -l) keys in ipcbox.toml.5"
