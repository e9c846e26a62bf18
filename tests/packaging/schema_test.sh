#!/usr/bin/env bash
# `ipcbox export schema` is a JSON Schema (draft 2020-12) that every shipped example spec
# validates against, and that refuses what the parser refuses: a misspelt key, a value outside a
# fixed set, a key in the wrong table. Validated with Debian's python3-jsonschema.
source "$(dirname "$0")/lib.sh"
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed"
"$IPCBOX" export schema >"$SCRATCH/schema.json"

# Prints "ok" or the first error for each TOML file given.
validate() {
    /usr/bin/python3 - "$SCRATCH/schema.json" "$@" <<'PY'
import json, sys, tomllib
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        spec = tomllib.load(f)
    errors = sorted(validator.iter_errors(spec), key=lambda e: list(e.path))
    print(path + ": " + ("ok" if not errors else errors[0].message))
PY
}

examples=$(find "$SOURCE/examples" -name '*.toml' | sort)
[[ $(wc -w <<<"$examples") -ge 3 ]] || fail "examples not found"
while read -r line; do
    [[ $line == *": ok" ]] || fail "a shipped example does not validate: $line"
done < <(validate $examples)

cp "$SOURCE/examples/full.toml" "$SCRATCH/full.toml"
cp -r "$SOURCE/examples/payloads" "$SCRATCH/"
"$IPCBOX" validate "$SCRATCH/full.toml" >/dev/null || fail "the unchanged copy of full.toml is invalid here"

# Mistakes the parser refuses are refused by the schema too.
bad() {  # bad NAME SED-EXPRESSION: full.toml changed so; both must refuse it
    local file=$SCRATCH/$1.toml
    sed "$2" "$SOURCE/examples/full.toml" >"$file"
    cmp -s "$file" "$SOURCE/examples/full.toml" && fail "$1: the edit changed nothing"
    local result
    result=$(validate "$file")
    [[ $result != *": ok" ]] || fail "$1: the schema accepts it"
    ! "$IPCBOX" validate "$file" >/dev/null 2>&1 || fail "$1: ipcbox validate accepts it (the test is wrong)"
    echo "refused $1: ${result#*: }"
}
bad misspelt-key 's/^timeout = 60/tmeout = 60/'
bad unknown-errno 's/^errno = "EACCES"/errno = "EINTR"/'
bad unknown-kind 's/^kinds = \[\]/kinds = ["sysv.msg"]/'
bad key-in-wrong-table 's/^size = "64M"/size = "64M"\nuid = 5/'
bad not-a-knob 's/^kernel.msgmax = 8192/kernel.msgmaxx = 8192/'
echo "ok: $(wc -w <<<"$examples") examples validate"
