// The escape attempts `ipcbox probe` makes (launcher/probe/escapes.cpp) and what --explain
// predicts for them: one rule for both of which attempts are safe to make.
#pragma once

#include <vector>

#include "launcher/run/explain.hpp"
#include "launcher/run/plan.hpp"

namespace ipcbox::launcher {

struct EscapeAttempts {
    bool unmount = false;    // only in the sandbox's own mount namespace (its copy, if shared)
    bool mount_shm = false;  // only over a closed /dev/shm of its own
    bool sysctl = true;      // writes the value already there
    bool setns = true;
};

EscapeAttempts escape_attempts(const LaunchPlan& plan);

// One row per mechanism::kEscape*, in order; n/a where escape_attempts() makes no attempt.
std::vector<MechanismVerdict> predict_escapes(const LaunchPlan& plan);

}  // namespace ipcbox::launcher
