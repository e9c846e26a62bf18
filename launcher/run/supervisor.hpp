// The parent side of `ipcbox run`: makes the sandbox child, waits for it to exec or fail,
// forwards signals, enforces the timeout, ends whatever the command left running, and turns the
// outcome into ipcbox's exit code.
#pragma once

#include "launcher/exit_codes.hpp"
#include "launcher/run/plan.hpp"

namespace ipcbox::launcher {

// The exit code ipcbox should exit with and what it has to say (a setup failure, a time-out).
Outcome launch_and_supervise(const LaunchPlan& plan, const Command& command);

}  // namespace ipcbox::launcher
