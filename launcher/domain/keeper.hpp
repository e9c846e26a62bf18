// The keeper: the process that holds a domain's namespaces alive between commands (a rootless
// namespace cannot be bind-mounted on the host), and how other ipcbox processes find it again.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "launcher/domain/store.hpp"
#include "launcher/process.hpp"
#include "ns/join.hpp"

namespace ipcbox::launcher::domain {

// A domain found by name, with handles on its keeper's namespaces.
struct Opened {
    std::string dir;  // DIR/NAME
    State state;
    ns::TargetNamespaces keeper;
};

// Finds the caller's domain `name` and opens its keeper's namespaces, checking that the keeper is
// the process `create` started (same start time, same IPC namespace, the caller's uid). Errors say
// which: no such domain, one being created, or a keeper that is gone (`domain rm` cleans it).
Result<Opened> open_domain(const std::string& name);

// Like open_domain, for a domain already read from its directory.
Result<ns::TargetNamespaces> open_keeper(const State& state);

// The start time of `pid` (/proc/PID/stat field 22, clock ticks since boot).
Result<uint64_t> start_time_of(pid_t pid);

// Every process (host pids) whose IPC namespace is the domain's, its keeper excepted.
std::vector<pid_t> processes_inside(const State& state);

// Ends every process inside: SIGTERM, then SIGKILL to those left after `grace`, through pidfds
// checked to still be inside, so a pid reused meanwhile is never signalled. Returns each process
// signalled, with the last signal it got.
std::vector<EndedProcess> end_processes_inside(const State& state, std::chrono::milliseconds grace);

// In the keeper, once the domain is set up: detaches from the caller (session, cwd, stdio, every
// other descriptor, which tells `create` it is ready) and waits for SIGKILL. Never returns.
[[noreturn]] void keep();

}  // namespace ipcbox::launcher::domain
