// The child side of `ipcbox run`: carries out a LaunchPlan inside the new namespaces and execs.
#pragma once

#include <signal.h>

#include "launcher/run/plan.hpp"

namespace ipcbox::launcher {

// Never returns: execs the command, or reports the failed step on `report_fd` and exits 125.
// `original_mask` is the signal mask ipcbox was started with; the command gets it back.
[[noreturn]] void run_sandbox_child(const LaunchPlan& plan, int report_fd,
                                    const sigset_t& original_mask);

}  // namespace ipcbox::launcher
