// `ipcbox run --explain`: the resolved plan and, per IPC mechanism, whether it is isolated, shared
// or blocked in this configuration, and by what. Runs nothing.
#pragma once

#include <string>
#include <vector>

#include "launcher/plan.hpp"

namespace ipcbox::launcher {

enum class Verdict { Isolated, Shared, Blocked };
const char* verdict_name(Verdict verdict);

struct MechanismVerdict {
    std::string mechanism;  // "sysv.queue", "posix.queue (path)", "abstract unix socket", ...
    Verdict verdict;
    std::string why;  // the namespace, mount or filter responsible
};

// The prediction `ipcbox probe` checks against the kernel.
std::vector<MechanismVerdict> predict_isolation(const LaunchPlan& plan);

std::string explain(const LaunchPlan& plan);

}  // namespace ipcbox::launcher
