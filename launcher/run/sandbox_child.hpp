// The child side of `ipcbox run`: carries out a LaunchPlan inside the new namespaces and execs.
#pragma once

#include <signal.h>

#include "launcher/channel.hpp"
#include "launcher/run/plan.hpp"

namespace ipcbox::launcher {

// Steps 1 to 4 below (launcher/run/sandbox_child.cpp), in the process that clone() put in the new
// namespaces: id maps, mounts, sysctls, preseeding, the handles (and snapshot) on `channel`,
// read-only kernel knobs. A failed step is sent on `channel` and the process exits. Shared by
// run's sandbox child and a domain's keeper.
void set_up_sandbox(const LaunchPlan& plan, const Channel& channel);

// Never returns: execs the command, or sends the failed step on `channel` and exits with its code.
// `original_mask` is the signal mask ipcbox was started with; the command gets it back. With a pid
// namespace, `init_report` is the channel on which pid 1 reports the processes it ended.
[[noreturn]] void run_sandbox_child(const LaunchPlan& plan, const Command& command,
                                    const Channel& channel, const Channel* init_report,
                                    const sigset_t& original_mask);

}  // namespace ipcbox::launcher
