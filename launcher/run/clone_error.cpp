#include "launcher/run/clone_error.hpp"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <utility>

#include "launcher/run/userns_hint.hpp"

namespace ipcbox::launcher {

bool effective_cap_sys_admin() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    if (syscall(SYS_capget, &header, data) != 0) return false;
    return data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN);
}

CloneCaller clone_caller(bool user_namespace) {
    return {user_namespace, geteuid() == 0, effective_cap_sys_admin()};
}

Error clone_error(int err, const CloneCaller& caller) {
    Error e = Error::from_errno("create namespaces", err);
    if (caller.user_namespace && (err == EPERM || err == ENOSPC || err == EACCES))
        return std::move(e).with_hint(userns_denied_hint_here());
    if (caller.user_namespace || err != EPERM) return e;
    // Only user = "host" gets here without CAP_SYS_ADMIN: "auto" takes a user namespace for a
    // root that lacks it (a container's root, whose seccomp profile refuses namespaces to a
    // caller without it, but who may still make a user namespace that has it).
    if (caller.root && !caller.cap_sys_admin)
        return std::move(e).with_hint(
            "root here lacks CAP_SYS_ADMIN (as in a container), so namespaces need a user "
            "namespace of their own: use user = \"auto\" or \"new\" (--user new)");
    if (caller.root)
        return std::move(e).with_hint(
            "root with CAP_SYS_ADMIN was refused: a seccomp profile or security module forbids "
            "namespaces here; try user = \"new\" (--user new)");
    return std::move(e).with_hint(
        "without a user namespace only root may create namespaces; use user = \"auto\"");
}

}  // namespace ipcbox::launcher
