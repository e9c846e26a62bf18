// Landlock scopes (ABI 6, Linux 6.12): the command may connect to abstract unix sockets and send
// signals only within its own sandbox, without a network or pid namespace. Beside the seccomp
// filter: decided with the plan, applied as one of the last steps before execve.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"

namespace ipcbox::seccomp {

// The first Landlock ABI with scopes.
inline constexpr int kLandlockScopesAbi = 6;

// What this kernel offers: its Landlock ABI version, or why there is none.
struct LandlockAbi {
    int version = 0;  // 0: no Landlock
    int err = 0;      // with version 0: errno of the version query (ENOSYS, EOPNOTSUPP)
    // "ABI 7", "none (not built into this kernel)", "none (disabled at boot)"
    std::string str() const;
};

// Asks the kernel (landlock_create_ruleset with LANDLOCK_CREATE_RULESET_VERSION).
LandlockAbi query_landlock_abi();

// The scopes the command is confined to.
struct LandlockScopes {
    bool abstract_unix = false;  // connect/sendto only to abstract sockets made in the sandbox
    bool signal = false;         // kill, sigqueue, pidfd signals only to the sandbox's processes
    bool any() const { return abstract_unix || signal; }
};

// `scopes` checked against the kernel's `abi`: an error naming the ABI found when scopes are
// asked for and it has none. Pure, so tests can hand it any ABI.
Result<LandlockScopes> plan_scopes(const std::vector<config::Scope>& scopes,
                                   const LandlockAbi& abi);

// After set_no_new_privs() (an unprivileged process may restrict itself only then) and before
// load_filter(): confines this process and everything it execs or forks. Nothing when !any().
// Processes outside the sandbox may still signal it and connect to its sockets.
Status restrict_scopes(const LandlockScopes& scopes);

}  // namespace ipcbox::seccomp
