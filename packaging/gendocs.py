#!/usr/bin/env python3
"""Writes ipcbox(1), ipcbox.toml(5) and the bash, zsh and fish completions from the built
binary's own help, so that they cannot drift from it: a flag added to a subcommand appears in all
of them without an edit here.

usage: gendocs.py IPCBOX_BINARY PACKAGING_SOURCE_DIR OUTPUT_DIR

What is read from the binary:
  - `ipcbox --help`: the subcommands (each line "  NAME ..." under "commands:");
  - `ipcbox NAME --help`: its usage lines, its description and its flags (Boost.Program_options'
    layout: "  -c [ --config ] arg   text", continuation lines indented further);
  - a flag whose text starts with "a | b | c" takes one of those values (the completions offer
    them); "(repeatable)" in the text marks a flag that may be given more than once;
  - usage lines "ipcbox NAME word ..." with a lower-case word name NAME's own subcommands
    ("export seccomp");
  - `ipcbox export schema`: the capability names --cap-add completes (too many for its help).
The prose around them (description, exit status, examples) is in man/ipcbox.1.in;
ipcbox.toml(5) is man/ipcbox.toml.5.in.
"""
import json
import os
import re
import subprocess
import sys

# The placeholder shown for a flag's value, by flag name; any other flag shows ARG.
VALUE_NAMES = {
    "config": "SPEC", "uid": "N", "gid": "N", "hostname": "NAME", "tmpfs": "PATH",
    "timeout": "S", "deadline": "S", "dev-shm-size": "SIZE", "leak-report": "PATH",
    "spec-dir": "DIR", "log": "FILE", "pid": "PID", "ns": "PATH", "block": "KIND",
    "cap-add": "CAP",
}

FLAG_LINE = re.compile(
    r"^  (?:-(?P<short>\w) \[ --(?P<long1>[\w-]+) \]|--(?P<long2>[\w-]+))"
    r"(?P<value> \[=arg\(=[^)]*\)\]| arg)?(?:\s+(?P<text>\S.*))?$")
CHOICES = re.compile(r"^([\w.-]+(?: \| [\w.-]+)+)")


class Flag:
    def __init__(self, long, short, value, optional_value, text):
        self.long, self.short, self.value, self.optional_value = long, short, value, optional_value
        self.text = " ".join(text.split())  # Boost pads wrapped lines
        m = CHOICES.match(text)
        self.choices = m.group(1).split(" | ") if m and value else []
        self.repeatable = "(repeatable)" in text

    def value_name(self):
        if self.choices and len("|".join(self.choices)) <= 24:
            return "|".join(self.choices)
        return VALUE_NAMES.get(self.long, "ARG")


class Command:
    def __init__(self, name, help_text):
        self.name = name
        self.usage, self.description, self.flags, self.words = [], [], [], []
        in_flags = False
        for line in help_text.splitlines():
            if line.startswith("usage: ") or (self.usage and not in_flags and
                                              line.startswith("       ipcbox ")):
                self.usage.append(line.split(":", 1)[1].strip() if line.startswith("usage")
                                  else line.strip())
                continue
            m = FLAG_LINE.match(line)
            if m:
                in_flags = True
                value = m.group("value") or ""
                self.flags.append(Flag(m.group("long1") or m.group("long2"), m.group("short"),
                                       bool(value), value.startswith(" [="),
                                       m.group("text") or ""))
            elif in_flags and line.startswith("    ") and self.flags:
                self.flags[-1].text += " " + line.strip()
                self.flags[-1].__init__(self.flags[-1].long, self.flags[-1].short,
                                        self.flags[-1].value, self.flags[-1].optional_value,
                                        self.flags[-1].text)
            elif line.strip() and not line.rstrip().endswith(":") and not in_flags:
                self.description.append(line.strip())
        for usage in self.usage:
            words = usage.split()
            if len(words) > 2 and re.fullmatch(r"[a-z][a-z0-9-]*", words[2]):
                self.words.append(words[2])


def run(binary, *args):
    result = subprocess.run([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    if result.returncode != 0:
        sys.exit(f"gendocs: '{binary} {' '.join(args)}' exited {result.returncode}: "
                 f"{result.stderr.strip()}")
    return result.stdout


def read_commands(binary):
    """The subcommands listed under "commands:" in `ipcbox --help`, each with its one-line
    summary: the text after a gap of two spaces on its line, or the indented line below it."""
    names, summaries, current = [], {}, None
    lines = run(binary, "--help").splitlines()
    start = lines.index("commands:") + 1 if "commands:" in lines else len(lines)
    for line in lines[start:]:
        m = re.match(r"^  ([a-z][a-z0-9-]*)\b(.*)$", line)
        if m and m.group(1) in names:  # another form of a command already listed
            current = None
        elif m:
            current = m.group(1)
            names.append(current)
            parts = re.split(r"\s{2,}", m.group(2).strip(), maxsplit=1)
            summaries[current] = parts[1] if len(parts) > 1 else ""
        elif current and re.match(r"^\s{6,}\S", line) and not summaries[current]:
            summaries[current] = line.strip()
    commands = []
    for name in names:
        c = Command(name, run(binary, name, "--help"))
        c.summary = summaries[name]
        commands.append(c)
    return commands


# --- roff ----------------------------------------------------------------------------------

def roff(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def flag_names_roff(flag):
    names = f"\\fB\\-\\-{flag.long.replace('-', chr(92) + '-')}\\fR"
    if flag.short:
        names = f"\\fB\\-{flag.short}\\fR, " + names
    if flag.value:
        value = f"\\fI{roff(flag.value_name())}\\fR"
        names += f"[=\\fR{value}]" if flag.optional_value else f" {value}"
    return names


def man_commands(commands):
    out = []
    for c in commands:
        out.append(f'.SS "ipcbox {c.name}"')
        for usage in c.usage:
            out += [".PP", ".nf", roff(usage), ".fi"]
        if c.summary:
            out += [".PP", roff(c.summary[0].upper() + c.summary[1:]) + "."]
        if c.description:
            out += [".PP", roff(" ".join(c.description))]
        for flag in c.flags:
            out += [".TP", flag_names_roff(flag), roff(flag.text)]
    return "\n".join(out)


def fill(template_path, replacements):
    with open(template_path) as f:
        text = f.read()
    for key, value in replacements.items():
        text = text.replace("@" + key + "@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        sys.exit(f"gendocs: {template_path}: unknown placeholders {left}")
    return text


# --- completions ---------------------------------------------------------------------------

def bash_completion(commands):
    takes, values, flags, words = [], [], [], []
    for c in commands:
        names = []
        for f in c.flags:
            spellings = ["--" + f.long] + (["-" + f.short] if f.short else [])
            names += spellings
            if f.value and not f.optional_value:
                takes += [f"{c.name}:{s}" for s in spellings]
            if f.choices:
                values += [f"        {c.name}:{s}) echo '{' '.join(f.choices)}' ;;"
                           for s in spellings]
        flags.append(f"        {c.name}) echo '{' '.join(names)}' ;;")
        if c.words:
            words.append(f"        {c.name}) echo '{' '.join(c.words)}' ;;")
    return f"""# bash completion for ipcbox; generated from `ipcbox --help` by packaging/gendocs.py.

_ipcbox_flags() {{
    case $1 in
{chr(10).join(flags)}
    esac
}}

# The values a flag takes when they are a fixed set.
_ipcbox_values() {{
    case $1:$2 in
{chr(10).join(values)}
    esac
}}

_ipcbox_takes_value() {{
    case $1:$2 in
        {'|'.join(takes) or 'none'}) return 0 ;;
    esac
    return 1
}}

# Subcommands of a subcommand ("export seccomp").
_ipcbox_words() {{
    case $1 in
{chr(10).join(words)}
    esac
}}

_ipcbox() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        COMPREPLY=($(compgen -W '{' '.join(c.name for c in commands)} --help --version' -- "$cur"))
        return
    fi
    local sub=${{COMP_WORDS[1]}} i word operand=0 after_words=2
    # What is already on the line: a subcommand's own word, flags and their values, or the start
    # of the command `run` runs (after "--" or the first operand), which ends ipcbox's flags.
    if [[ -n $(_ipcbox_words "$sub") ]]; then
        if ((COMP_CWORD == 2)); then
            COMPREPLY=($(compgen -W "$(_ipcbox_words "$sub")" -- "$cur"))
            return
        fi
        after_words=3
    fi
    for ((i = after_words; i < COMP_CWORD; i++)); do
        word=${{COMP_WORDS[i]}}
        if ((operand)); then
            operand=$((operand + 1))
        elif [[ $word == -- ]]; then
            operand=1
        elif [[ $word == -* ]]; then
            _ipcbox_takes_value "$sub" "$word" && ((i++))
        elif [[ $sub == run ]]; then
            operand=2  # the command: what follows is its own
        fi
    done
    if ((operand)); then
        if [[ $sub == run && $operand -le 1 ]]; then
            COMPREPLY=($(compgen -c -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return
    fi
    if [[ $cur == --*=* ]]; then
        local name=${{cur%%=*}} choices
        choices=$(_ipcbox_values "$sub" "$name")
        if [[ -n $choices ]]; then
            COMPREPLY=($(compgen -P "$name=" -W "$choices" -- "${{cur#*=}}"))
        else
            COMPREPLY=($(compgen -P "$name=" -f -- "${{cur#*=}}"))
        fi
        return
    fi
    if _ipcbox_takes_value "$sub" "$prev"; then
        local choices
        choices=$(_ipcbox_values "$sub" "$prev")
        if [[ -n $choices ]]; then
            COMPREPLY=($(compgen -W "$choices" -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_ipcbox_flags "$sub")" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -F _ipcbox ipcbox
"""


def zsh_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def zsh_spec(f):
    text = f.text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")
    if f.choices:
        action = f":{f.value_name()}:({' '.join(f.choices)})"
    elif f.value:
        action = f":{f.value_name()}:_files"
    else:
        action = ""
    eq = "=-" if f.optional_value else ("=" if f.value else "")
    names = [f"--{f.long}"] + ([f"-{f.short}"] if f.short else [])
    excl = "" if f.repeatable else "(" + " ".join(names) + ")"
    star = "*" if f.repeatable else ""
    if f.short:
        return (zsh_quote(f"{excl}{star}") + "{" + ",".join(n + eq if n.startswith("--") else n
                                                             for n in names) + "}" +
                zsh_quote(f"[{text}]{action}"))
    return zsh_quote(f"{excl}{star}--{f.long}{eq}[{text}]{action}")


def zsh_completion(commands):
    described = "\n".join(f"    {zsh_quote(c.name + ':' + c.summary.replace(':', ' '))}"
                          for c in commands)
    cases = []
    for c in commands:
        specs = [zsh_spec(f) for f in c.flags]
        if c.words:
            specs.append(zsh_quote(f"1:subcommand:({' '.join(c.words)})"))
        if c.name == "run":  # the command's name, then its own completion
            specs.append(zsh_quote("(-)1:command: _command_names -e"))
            specs.append(zsh_quote("*::arguments:_normal"))
        elif not c.words:
            specs.append(zsh_quote("*:file:_files"))
        cases.append(f"    {c.name})\n      _arguments -s -S \\\n        " +
                     " \\\n        ".join(specs) + " ;;")
    return f"""#compdef ipcbox
# zsh completion for ipcbox; generated from `ipcbox --help` by packaging/gendocs.py.

_ipcbox() {{
  # Not "commands": that is zsh's table of external commands, which _normal needs for run's.
  local -a subcommands
  subcommands=(
{described}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'ipcbox command' subcommands
    _arguments '--help[show the help]' '--version[print the version and commit]'
    return
  fi
  local sub=$words[2]
  shift words
  (( CURRENT-- ))
  case $sub in
{chr(10).join(cases)}
  esac
}}

_ipcbox "$@"
"""


def fish_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


# __ipcbox_sub NAME: NAME is the subcommand; __fish_seen_subcommand_from would also match a word
# of run's command. __ipcbox_run_at STATE: where the word being completed stands after `ipcbox run`: "value" (of a flag that takes one),
# "command" (the command or its arguments: after `--`, after the first other word, or a word that
# is not a flag), or "flags". TAKES: run's flags that take a separate value.
FISH_FUNCTIONS = """# The subcommand is always the second word: ipcbox's own flags take no value.
function __ipcbox_sub
    test (commandline -opc)[2] = $argv[1] 2>/dev/null
end
function __ipcbox_run_at
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l state flags
    for word in $words[3..-1]
        if test $state = value
            set state flags
        else if test $word = --; or not string match -q -- '-*' $word
            set state command
            break
        else if contains -- $word TAKES
            set state value
        end
    end
    if test $state = flags; and not string match -q -- '-*' $current
        set state command
    end
    test $state = $argv[1]
end"""


def fish_completion(commands):
    out = ["# fish completion for ipcbox; generated from `ipcbox --help` by packaging/gendocs.py.",
           "complete -c ipcbox -f",
           "complete -c ipcbox -n __fish_use_subcommand -l help -d 'show the help'",
           "complete -c ipcbox -n __fish_use_subcommand -l version "
           "-d 'print the version and commit'"]
    for c in commands:
        out.append(f"complete -c ipcbox -n __fish_use_subcommand -a {c.name} "
                   f"-d {fish_quote(c.summary)}")
    run = next(c for c in commands if c.name == "run")
    takes = " ".join(n for f in run.flags if f.value and not f.optional_value
                     for n in [f"--{f.long}"] + ([f"-{f.short}"] if f.short else []))
    out.append(FISH_FUNCTIONS.replace("TAKES", takes))
    for c in commands:
        cond = f"'__ipcbox_sub {c.name}'"
        if c.name == "run":  # run's own flags only up to its command
            cond = "'__ipcbox_sub run; and not __ipcbox_run_at command'"
        for w in c.words:
            out.append(f"complete -c ipcbox -n {cond} -a {w}")
        for f in c.flags:
            parts = [f"complete -c ipcbox -n {cond} -l {f.long}"]
            if f.short:
                parts.append(f"-s {f.short}")
            if f.choices:
                parts.append(f"-x -a {fish_quote(' '.join(f.choices))}")
            elif f.value:
                parts.append("-r -F")
            parts.append(f"-d {fish_quote(f.text)}")
            out.append(" ".join(parts))
    out.append(f"# the command `run` runs (its name, then its own completion), and spec files elsewhere\n"
               f"complete -c ipcbox -n '__ipcbox_sub run; and __ipcbox_run_at command' "
               f"-a '(__fish_complete_subcommand --fcs-skip=2 {takes})'\n"
               f"complete -c ipcbox -n 'not __fish_use_subcommand; and not __ipcbox_sub run' -F")
    return "\n".join(out) + "\n"


def capability_names(binary):
    """The kernel's spelling of every capability, from the spec's schema."""
    schema = json.loads(run(binary, "export", "schema"))
    names = schema["properties"]["sandbox"]["properties"]["capabilities"]["items"]["enum"]
    return [n for n in names if n.startswith("CAP_")]


def main():
    binary, source_dir, out_dir = sys.argv[1:4]
    commands = read_commands(binary)
    capabilities = capability_names(binary)
    for c in commands:
        for f in c.flags:
            if f.long == "cap-add":
                f.choices = capabilities
    version = run(binary, "--version").split()[1]
    os.makedirs(out_dir, exist_ok=True)
    outputs = {
        "ipcbox.1": fill(os.path.join(source_dir, "man", "ipcbox.1.in"),
                         {"VERSION": version, "COMMANDS": man_commands(commands)}),
        "ipcbox.toml.5": fill(os.path.join(source_dir, "man", "ipcbox.toml.5.in"),
                              {"VERSION": version}),
        "ipcbox.bash": bash_completion(commands),
        "_ipcbox": zsh_completion(commands),
        "ipcbox.fish": fish_completion(commands),
    }
    for name, text in outputs.items():
        with open(os.path.join(out_dir, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
