// `ipcbox run --explain`: the resolved plan and, per IPC mechanism, whether it is isolated, shared
// or blocked in this configuration, and by what. Runs nothing.
#pragma once

#include <string>
#include <vector>

#include "launcher/run/plan.hpp"

namespace ipcbox::launcher {

// NotApplicable: the host has nothing of this kind to reach (e.g. no mqueue mount).
enum class Verdict { Isolated, Shared, Blocked, NotApplicable };
const char* verdict_name(Verdict verdict);

struct MechanismVerdict {
    std::string mechanism;  // one of launcher/run/mechanisms.hpp
    Verdict verdict;
    std::string why;  // the namespace, mount or filter responsible
};

// The prediction `ipcbox probe` checks against the kernel: one row per mechanism::kAll, in order.
std::vector<MechanismVerdict> predict_isolation(const config::Block& block, const LaunchPlan& plan);

// `spec` is what `plan` was made from.
std::string explain(const config::Spec& spec, const LaunchPlan& plan, const Command& command);

}  // namespace ipcbox::launcher
