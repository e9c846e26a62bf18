# Drives zsh's completion system as a user at a terminal does: an interactive zsh in a pty
# (zsh/zpty) with compinit and the _ipcbox under test, each LINE typed followed by TAB. Every match
# compadd accepts is appended to OUT after a "@@ LINE" header.
# Usage: zsh -f zsh_complete.zsh FPATH_DIR OUT LINE...
zmodload zsh/zpty || exit 1
dir=$1 out=$2
shift 2
zpty z zsh -f -i
# The prompt shows once zle reads the line in raw mode; a TAB typed before that would be lost.
prompt() { zpty -r z junk '*<READY>*' }
zpty -w z "fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -D; bindkey -e; bindkey '^I' complete-word"
# Records what compadd matched, then adds it as usual; comppostfuncs marks the end of one TAB.
zpty -w z "compadd() { local -a got; builtin compadd -A got \"\$@\"; builtin compadd \"\$@\"; (( \$#got )) && print -rl -- \$got >> $out; }"
zpty -w z "mark_done() { print -r -- @@done >> $out }; comppostfuncs=(mark_done)"
zpty -w z "PS1='<''READY>'"
prompt
for line in "$@"; do
  print -r -- "@@ $line" >> $out
  zpty -n -w z "$line"$'\t'
  for i in {1..400}; do [[ $(tail -1 $out) == @@done ]] && break; sleep 0.05; done
  [[ $(tail -1 $out) == @@done ]] || { print -u2 "no completion for '$line'"; exit 1 }
  zpty -n -w z $'\C-u'
  zpty -w z "comppostfuncs=(mark_done)"
  prompt
done
zpty -d z
