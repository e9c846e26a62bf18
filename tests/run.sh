#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine, as root:
#   1. install what is missing, 2. check formatting, 3. build and run every test (the
#   integration tests run the real binary as root and as nobody), 4. build every target with
#   AddressSanitizer + UndefinedBehaviorSanitizer and run the unit tests under them, 5. build
#   every target as Release (build only: -O3 brings warnings of its own, and -Werror is on).
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
