// The parent side of `ipcbox run`: makes the sandbox child, waits for it to exec or fail,
// forwards signals, enforces the timeout and turns the outcome into ipcbox's exit code.
#pragma once

#include "launcher/run/plan.hpp"

namespace ipcbox::launcher {

// Returns the exit code ipcbox should exit with; setup failures are printed here, once.
int launch_and_supervise(const LaunchPlan& plan);

}  // namespace ipcbox::launcher
