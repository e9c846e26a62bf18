// Everything `ipcbox run` decided before the first namespace is made: which namespaces, the id
// mapping, the mounts, the resolved command and the compiled seccomp program. The child only
// carries it out.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"
#include "ns/mount.hpp"
#include "ns/user.hpp"
#include "seccomp/filter.hpp"

namespace ipcbox::launcher {

struct LaunchPlan {
    config::Spec spec;
    int clone_flags = 0;  // CLONE_NEW* for the sandbox child
    bool new_user_ns = false;
    ns::IdMapping ids;
    bool new_mount_ns = false;
    ns::MountPlan mounts;
    bool new_pid_ns = false;
    bool new_net_ns = false;
    bool new_uts_ns = false;
    std::string command_path;  // absolute or relative path as found
    std::vector<std::string> argv;
    seccomp::SeccompProgram seccomp;
    bool verbose = false;
};

// Finds `name` the way execvp would (PATH, default "/usr/local/bin:/usr/bin:/bin"). On failure
// `exit_code` says 127 (not found) or 126 (found but not executable).
Result<std::string> resolve_command(const std::string& name, int* exit_code);

// Decides the plan and compiles the seccomp filter; touches no namespace.
Result<LaunchPlan> make_plan(config::Spec spec, std::vector<std::string> argv, bool verbose);

}  // namespace ipcbox::launcher
