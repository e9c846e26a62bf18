// What it means when the kernel refuses to make the sandbox's namespaces, and what to do.
#pragma once

#include "base/error.hpp"

namespace ipcbox::launcher {

// Who asked for the namespaces.
struct CloneCaller {
    bool user_namespace = false;  // the plan includes a new user namespace
    bool root = false;            // effective uid 0
    bool cap_sys_admin = false;   // CAP_SYS_ADMIN in the effective set
};

// Does this process hold CAP_SYS_ADMIN (effective)? Root without it (a container's root) needs a
// user namespace of its own to make namespaces.
bool effective_cap_sys_admin();

// The caller as this process is now.
CloneCaller clone_caller(bool user_namespace);

// "create namespaces: <strerror>" with the hint for its likely cause: unprivileged user namespaces
// disabled, a caller without a user namespace that is not root, or root without CAP_SYS_ADMIN (a
// container's root), for whom a user namespace is the way.
Error clone_error(int err, const CloneCaller& caller);

}  // namespace ipcbox::launcher
