#!/usr/bin/env bash
# Installs from Debian whatever the build, the tests and the benchmarks need and is missing.
set -euo pipefail
packages=(
  g++ cmake make pkg-config clang-format
  clang libclang-rt-14-dev           # the libFuzzer targets (tests/fuzz/) and their sanitizers
  libseccomp-dev libboost-program-options-dev libtomlplusplus-dev libgtest-dev nlohmann-json3-dev
  util-linux bash coreutils procps   # unshare, setpriv, ipcs; the tests' shell scripts
  bubblewrap                         # the peer tool in bench/
  runc busybox-static podman         # OCI tests: real runtimes and a static rootfs
  python3 groff-base                 # packaging/gendocs.py writes the man pages; groff checks them
  python3-jsonschema                 # the spec's JSON Schema is checked against the examples
  apparmor lintian zsh fish          # packaging tests: the profile parses, the .deb is clean,
                                     # the zsh and fish completions parse
  golang-go cargo                    # the README's go test -exec and cargo runner recipes, run
  python3-pytest python3-pytest-xdist  # and its pytest-xdist recipe
  bazel-bootstrap bazel-bootstrap-source  # and its Bazel --run_under recipe (the source package
                                     # has the stand-ins that let bazel 4.2.3 run offline)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
