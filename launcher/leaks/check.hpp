// Both halves of the leak check of `ipcbox run`: the sandbox child's snapshot before exec, and
// the supervisor's second look once the command has ended.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"
#include "launcher/channel.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/process.hpp"
#include "launcher/run/plan.hpp"
#include "ns/join.hpp"

namespace ipcbox::launcher {

// For --explain: "off", "report on stderr", "report as JSON in PATH", and what fail does.
std::string describe_leak_settings(const config::Leaks& leaks);

// In the sandbox child, after preseeding and before the pid namespace fork, seccomp and exec:
// sends handles on its user, IPC and mount namespaces, with the leak report's inventory (with
// fingerprints) when `with_inventory`. The handles, not the supervisor opening /proc/PID/ns later,
// are what make a command that exits at once still checkable (and its POSIX queues releasable):
// its namespaces would be gone before the supervisor could look.
Status send_sandbox_handles(const Channel& channel, bool with_inventory);

// In the supervisor, once the command and every process it left have ended (`processes`: those
// left running, in the report as leaks): joins the kept namespaces in a helper, compares with the
// snapshot's inventory, reports to stderr or the file and returns ipcbox's outcome.
Outcome finish_leak_check(const LaunchPlan& plan, const std::string& snapshot,
                          const ns::TargetNamespaces* sandbox, int command_exit_code,
                          std::vector<EndedProcess> processes);

}  // namespace ipcbox::launcher
