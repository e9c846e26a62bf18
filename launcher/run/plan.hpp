// Everything `ipcbox run` decides before the first namespace is made, computed once from the spec
// and never changed afterwards: which namespaces, the id mapping, the mounts, what to preseed, the
// compiled seccomp program and the Landlock scopes. Each setup step takes only its own part. The
// sandbox child only carries the plan out; the command to exec is separate (probe runs its own).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"
#include "ipc/preseed/preseed.hpp"
#include "ns/capabilities.hpp"
#include "ns/join.hpp"
#include "ns/mount.hpp"
#include "ns/user.hpp"
#include "seccomp/filter.hpp"
#include "seccomp/landlock.hpp"

namespace ipcbox::launcher {

// The namespaces the sandbox child is cloned into, besides the IPC namespace (always new).
struct NamespaceSet {
    bool user = false;
    bool mount = false;
    bool pid = false;
    bool net = false;
    bool uts = false;
    // The network namespace is made with the nested user namespace (which then owns it), not at
    // clone.
    bool net_in_nested_user = false;

    int clone_flags() const;  // CLONE_NEWIPC and the CLONE_NEW* of the above
};

struct Command {
    std::string path;  // absolute or relative path as found
    std::vector<std::string> argv;
};

// The user namespace the command runs in when it must differ from the one the setup ran in: a
// non-zero inside uid (the setup needs the IPC namespace's root to write sysctls) or kept
// capabilities (which must reach only namespaces made for the command). It is nested in the
// setup's; its ids map onto the setup's; the mounts copied into its mount namespace are locked.
struct NestedUser {
    ns::IdMapping ids;   // inside: the command's uid/gid; outside: the setup's ids for them
    bool mount = false;  // a mount namespace of its own, whose copied mounts the kernel locks
    bool net = false;    // the network namespace is made here, so kept CAP_NET_* act on it
};

// The domain a `run --domain` command joins: handles on its keeper's namespaces, opened before
// anything is made.
struct JoinedDomain {
    std::string name;
    bool user_namespace = false;  // the domain has its own: the setup is its root
    std::shared_ptr<const ns::TargetNamespaces> keeper;
};

struct LaunchPlan {
    NamespaceSet namespaces;
    ns::IdMapping ids;  // with namespaces.user
    // Without namespaces.user, as root: the --uid/--gid the command runs as.
    std::optional<ns::Identity> become;
    std::optional<NestedUser> nested;
    uint64_t kept_capabilities = 0;  // bit N: capability N, in the nested user namespace
    ns::MountPlan mounts;            // with namespaces.mount
    std::string hostname;            // with namespaces.uts
    std::vector<config::Sysctl> sysctls;
    config::Objects objects;
    ipc::PreseedOptions preseed;
    config::Leaks leaks;
    bool die_with_parent = true;
    uint32_t timeout_seconds = 0;  // 0 = none
    seccomp::SeccompProgram seccomp;
    seccomp::LandlockAbi landlock_abi;  // what the kernel offered when the plan was made
    seccomp::LandlockScopes landlock;
    bool verbose = false;
    // `run --domain`: the command joins the domain's IPC, mount (a copy) and user namespaces.
    std::optional<JoinedDomain> domain;
    // The plan is a domain keeper's (`domain create`).
    bool domain_keeper = false;

    // The supervisor looks into the sandbox's namespaces after the command: for the leak report,
    // and to release the POSIX queues (launcher/run/release_queues.hpp).
    bool keeps_namespace_handles() const {
        return takes_snapshot() || (!domain && !objects.posix_queues.empty());
    }
    // The inventory right after preseeding: for the leak report, or a keeper's for `domain rm`.
    bool takes_snapshot() const { return leaks.wanted() || domain_keeper; }
};

// Finds `name` the way execvp would (PATH, default "/usr/local/bin:/usr/bin:/bin"). A failure
// carries its exit code: 127 (not found) or 126 (found but not executable).
Result<std::string> resolve_command(const std::string& name, int* exit_code);

// Decides the plan and compiles the seccomp filter; touches no namespace. The spec's parts move
// into the plan.
Result<LaunchPlan> make_plan(config::Spec spec, bool verbose,
                             std::optional<JoinedDomain> domain = std::nullopt);

// The capabilities as a mask (bit N: capability N).
uint64_t capability_mask(const std::vector<config::Capability>& caps);

}  // namespace ipcbox::launcher
