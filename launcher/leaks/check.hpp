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

namespace ipcbox::launcher {

// For --explain: "off", "report on stderr", "report as JSON in PATH", and what fail does.
std::string describe_leak_settings(const config::Leaks& leaks);

// In the sandbox child, after preseeding and before the pid namespace fork, seccomp and exec:
// sends the inventory (with fingerprints) and handles on its user, IPC and mount namespaces.
// The handles, not the supervisor opening /proc/PID/ns later, are what make a command that exits
// at once still checkable: its namespaces would be gone before the supervisor could look.
Status send_leak_snapshot(const Channel& channel);

// In the supervisor, once the command and every process it left have ended (`processes`: those
// left running, in the report as leaks): joins the kept namespaces in a helper, compares with the
// snapshot, reports to stderr or the file, closes the handles (the namespaces and their objects
// die with them) and returns ipcbox's outcome.
Outcome finish_leak_check(const LaunchPlan& plan, Payload snapshot, int command_exit_code,
                          std::vector<EndedProcess> processes);

}  // namespace ipcbox::launcher
