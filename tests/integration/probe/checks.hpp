// Independent checks for `ipcbox probe`: per mechanism, the test makes its own host object, runs
// `ipcbox run <flags> -- support_isolation <op>` against it (FIFOs and sockets under the first
// `--tmpfs` path of the flags, where the probe makes its own) and turns what happened into a
// verdict, without any of the probe's code.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {

// "shared", "isolated", "blocked" or "n/a" for `mechanism` (a name from launcher/mechanisms.hpp)
// in the sandbox that `run_flags` describe, as `who`. Fails the test on a result it cannot read.
std::string independent_verdict(As who, const std::vector<std::string>& run_flags,
                                const std::string& mechanism);

// Every host object that looks like the probe's: SysV keys 0x1cXXXXXX and "ipcbox-probe-"
// names in /dev/shm and /tmp.
std::set<std::string> probe_leftovers();

// True when the host (as this test process sees it) has an mqueue mount.
bool host_has_mqueue_mount();

}  // namespace ipcbox::test
