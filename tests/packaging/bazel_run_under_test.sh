#!/usr/bin/env bash
# The README's Bazel recipes with Debian 12's bazel-bootstrap, offline: `--run_under='ipcbox run
# --'` and `--run_under=//tools:ipcbox_run` (the leak report among the test's outputs). While this
# script holds SysV key 0x1bcb0c8 and /dev/shm/ipcbox-bazel-claim on the host, recipes/bazel's four
# claim tests (each creates both exclusively) fail without ipcbox and pass through it, with Bazel's
# own linux-sandbox (which gives a test an IPC namespace but the host's /dev/shm) and without it
# (--spawn_strategy=local). As root and as nobody.
source "$(dirname "$0")/lib.sh"
command -v bazel >/dev/null || skip "bazel is not installed (bazel-bootstrap)"
# Debian 12's bazel 4.2.3 would download rules_cc, rules_java and the coverage tools; Debian ships
# stand-ins for the first two in bazel-bootstrap-source (its bazel-rules-cc is too new for 4.2.3),
# and the coverage report generator is only needed for `bazel coverage`.
mock=/usr/src/bazel-bootstrap/mock_repos
[[ -d $mock/rules_cc && -d $mock/rules_java ]] ||
    skip "Bazel's offline stand-ins are not installed (bazel-bootstrap-source)"
offline=(--override_repository=rules_cc=$mock/rules_cc --override_repository=rules_java=$mock/rules_java
    --coverage_report_generator=@bazel_tools//tools/coverage:coverage_report_generator)
DESTDIR=$SCRATCH/root cmake --install "$BUILD" --prefix /usr >/dev/null
export PATH=$SCRATCH/root/usr/bin:/usr/sbin:/usr/bin:/sbin:/bin
claim_file=/dev/shm/ipcbox-bazel-claim
[[ ! -e $claim_file ]] || fail "$claim_file is already on the host; remove it first"
ipcs -q | grep -qi '0x01bcb0c9' && fail "the key 0x1bcb0c9 (the leaky test's) is already on the host"
held=$(python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
id = libc.semget(0x1bcb0c8, 1, 0o1000 | 0o2000 | 0o600)
sys.exit("semget: the key 0x1bcb0c8 is taken on this host" if id < 0 else print(id))')
touch "$claim_file"
chmod a+rx "$SCRATCH"
# as USER CMD...: CMD as USER, with a HOME of its own (Bazel keeps state under it).
as() {
    local user=$1
    shift
    if [[ $user == root ]]; then
        env HOME="$SCRATCH/home-root" "$@"
    else
        setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups -- env HOME="$SCRATCH/home-$user" "$@"
    fi
}
bazel_as() { as "$1" timeout 300 bazel --output_user_root="$SCRATCH/bazel-$1" --max_idle_secs=120 "${@:2}"; }
cleanup() {
    local user
    for user in root nobody; do
        [[ -d $SCRATCH/ws-$user ]] && (cd "$SCRATCH/ws-$user" && bazel_as "$user" shutdown) >/dev/null 2>&1
    done
    ipcrm -s "$held"
    rm -f "$claim_file"
    rm -rf "$SCRATCH"
}
trap cleanup EXIT
# run USER NAME BAZEL_TEST_ARGS...: `bazel test` in the current workspace, its output in NAME.log;
# prints the targets that passed.
run() {
    local user=$1 name=$2
    shift 2
    bazel_as "$user" test --color=no --curses=no --nocache_test_results "${offline[@]}" "$@" \
        >"$name.log" 2>&1 || true
    sed -n 's|^//:\([a-z0-9_]*\) .* PASSED in .*|\1|p' "$name.log" | sort | tr '\n' ' '
}
claims_log() { cat bazel-testlogs/claim_{0,1,2,3}/test.log; }

for user in root nobody; do
    ws=$SCRATCH/ws-$user
    cp -r "$SOURCE/tests/packaging/recipes/bazel" "$ws"
    mkdir -p "$SCRATCH/home-$user" "$SCRATCH/bazel-$user"
    chown -R "$user" "$ws" "$SCRATCH/home-$user" "$SCRATCH/bazel-$user"
    cd "$ws"
    for strategy in default local; do
        flags=()
        [[ $strategy == local ]] && flags=(--spawn_strategy=local)
        passed=$(run "$user" "plain-$strategy" "${flags[@]}" //:claim_0 //:claim_1 //:claim_2 //:claim_3)
        [[ -z $passed ]] || { cat "plain-$strategy.log"; fail "$user, $strategy: without ipcbox, passed: $passed"; }
        [[ $(claims_log | grep -c "^open($claim_file, O_CREAT|O_EXCL): File exists") == 4 ]] ||
            { claims_log; fail "$user, $strategy: without ipcbox, 4 tests should meet EEXIST on $claim_file"; }
        if [[ $strategy == local ]]; then
            [[ $(claims_log | grep -c '^semget(0x1bcb0c8, IPC_CREAT|IPC_EXCL): File exists') == 4 ]] ||
                { claims_log; fail "$user, local: without ipcbox, 4 tests should meet EEXIST on the SysV key"; }
        fi
        passed=$(run "$user" "ipcbox-$strategy" "${flags[@]}" --run_under='ipcbox run --' //:all)
        [[ $passed == "claim_0 claim_1 claim_2 claim_3 leaky " ]] ||
            { cat "ipcbox-$strategy.log"; claims_log; fail "$user, $strategy: through --run_under='ipcbox run --', passed: $passed"; }
        echo "ok ($user, $strategy): 0 of 4 pass without ipcbox (EEXIST), 4 of 4 through --run_under='ipcbox run --'"
    done

    # The leak report lands among the test's undeclared outputs (outputs.zip).
    passed=$(run "$user" leak --run_under=//tools:ipcbox_run //:leaky)
    [[ $passed == "leaky " ]] || { cat leak.log; fail "$user: leaky through //tools:ipcbox_run: not passed"; }
    python3 - bazel-testlogs/leaky/test.outputs/outputs.zip <<'PY' || fail "$user: no leak report among the outputs"
import json, sys, zipfile
zip = zipfile.ZipFile(sys.argv[1])
[name] = [n for n in zip.namelist() if n.startswith("ipcbox-leaks-") and n.endswith(".json")]
report = json.loads(zip.read(name))
[obj] = report["objects"]
assert report["leaked"] and obj["kind"] == "sysv.queue" and obj["key"] == "0x01bcb0c9", report
PY
    ipcs -q | grep -qi '0x01bcb0c9' && fail "$user: the leaked queue is on the host"
    echo "ok ($user): --run_under=//tools:ipcbox_run puts the leak report in the test's outputs"
done
