#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine, as root:
#   1. install what is missing, 2. check formatting, 3. build and run every test (the
#   integration tests run the real binary as root and as nobody), 4. build every target with
#   AddressSanitizer + UndefinedBehaviorSanitizer and run the unit tests under them, 5. build
#   every target as Release (build only: -O3 brings warnings of its own, and -Werror is on),
#   6. build the libFuzzer targets with clang (the project's own warnings, -Werror) and run each
#   for a bounded time from its committed seed corpus; a crash fails the run.
# IPCBOX_STRICT=1 turns a skip for a missing kernel feature into a failure (CI sets it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash .ci/install-deps.sh

echo "== clang-format"
git ls-files -- '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

echo "== build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

echo "== sanitizer build (unit tests under ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DIPCBOX_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ./build-asan/tests/unit_tests --gtest_brief=1

echo "== release build (all targets, build only)"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release -j"$(nproc)"

echo "== all tests"
ctest --test-dir build --output-on-failure -j"$(nproc)"

echo "== fuzz (libFuzzer, ${IPCBOX_FUZZ_SECONDS:-60} s per target)"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_COMPILER=clang -DIPCBOX_FUZZ=ON -DIPCBOX_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_spec_loader fuzz_hook_input
for name in spec_loader hook_input; do
  # The target chroots into a scratch directory, so its paths are relative ones. New inputs go to
  # found-NAME, so the committed seeds stay as they are; a crash leaves its input in build-fuzz/
  # (crash-*), to be added as a unit test. No symbolizer inside the chroot: addresses only.
  (cd build-fuzz && rm -rf "found-$name" && mkdir "found-$name" &&
    ASAN_OPTIONS=detect_leaks=1:symbolize=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "./fuzz_$name" -max_total_time="${IPCBOX_FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "found-$name" "../tests/fuzz/corpus/$name")
done
