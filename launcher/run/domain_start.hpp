// How `run --domain` starts its sandbox child inside an existing domain.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "base/error.hpp"
#include "launcher/channel.hpp"
#include "launcher/run/plan.hpp"

namespace ipcbox::launcher {

// Finds the caller's domain `name` and opens its keeper's namespaces, and adds to `spec` the
// capabilities every command in the domain keeps.
Result<JoinedDomain> join_domain(const std::string& name, config::Spec& spec);

// A joiner forked from the supervisor enters the domain's namespaces in the only order that works
// (its user namespace, as root there; then IPC; then mount) and returns to the working directory
// by name (a descriptor from before would lead back into the host's mounts). It then clones the
// sandbox child with CLONE_PARENT, so that the child is the supervisor's own, exactly as without a
// domain (supervision, the parent-death signal and the exit status need nothing new), into the
// namespaces the plan adds: a mount namespace copied from the domain's, and pid, net and uts as
// asked. The new pid namespace is owned by the domain's user namespace, so the child may mount
// its /proc. `sandbox_child` runs in the child and never returns.
//
// Returns the pid to supervise: the sandbox child, or, when joining failed, the joiner itself,
// which has sent the failure on `report` and exits.
Result<pid_t> start_in_domain(const JoinedDomain& domain, int clone_flags, const Channel& report,
                              const std::function<void()>& sandbox_child);

}  // namespace ipcbox::launcher
