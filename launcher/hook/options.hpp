// `ipcbox hook` flags. Paths must be absolute: a hook runs with the bundle as its working
// directory and no reliable environment.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "launcher/hook/spec.hpp"

namespace ipcbox::launcher {

// Well under the timeouts runtimes give hooks (podman/CRI-O hooks.d files usually say 10 s or
// more), so ipcbox explains itself before being killed silently.
inline constexpr long kDefaultHookDeadlineMs = 5000;

struct HookOptions {
    SpecLookup lookup;
    std::string log_path;  // empty: no log
    long deadline_ms = kDefaultHookDeadlineMs;
    bool help = false;
};

Result<HookOptions> parse_hook_options(const std::vector<std::string>& args);
std::string hook_usage();

}  // namespace ipcbox::launcher
