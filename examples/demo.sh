#!/usr/bin/env bash
# Quick start: build ipcbox and run a command in a sandbox seeded from examples/ci-fixtures.toml.
# The command sees its own IPC namespace with exactly the spec's fixtures, and none of the host's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash .ci/install-deps.sh >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target ipcbox >/dev/null

echo "host IPC namespace:    $(readlink /proc/self/ns/ipc)"
build/ipcbox run -c examples/ci-fixtures.toml -- /bin/sh -c '
  echo "sandbox IPC namespace: $(readlink /proc/self/ns/ipc)"
  echo "kernel.msgmnb inside:  $(cat /proc/sys/kernel/msgmnb)"
  ipcs -q -s -m
  echo "/dev/shm (POSIX shm and named semaphores):"
  ls -l /dev/shm'
