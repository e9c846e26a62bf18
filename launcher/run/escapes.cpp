#include "launcher/run/escapes.hpp"

#include "launcher/run/mechanisms.hpp"

namespace ipcbox::launcher {

EscapeAttempts escape_attempts(const LaunchPlan& plan) {
    EscapeAttempts a;
    a.unmount = plan.namespaces.mount;
    a.mount_shm = plan.namespaces.mount && plan.mounts.dev_shm == ns::ShmMount::Closed;
    return a;
}

std::vector<MechanismVerdict> predict_escapes(const LaunchPlan& plan) {
    namespace m = mechanism;
    const EscapeAttempts tried = escape_attempts(plan);
    const bool kept = plan.kept_capabilities != 0;
    const std::string no_caps =
        kept ? "the kept capabilities hold only in the command's nested user namespace"
             : "the command has no capabilities";
    std::vector<MechanismVerdict> rows;
    if (tried.unmount)
        rows.push_back({m::kEscapeUnmount, Verdict::Blocked,
                        plan.nested && plan.nested->mount
                            ? no_caps + "; the mount is locked in its mount namespace"
                            : no_caps});
    else
        rows.push_back({m::kEscapeUnmount, Verdict::NotApplicable,
                        "no mount namespace: /dev/shm is the host's mount"});
    if (tried.mount_shm)
        rows.push_back({m::kEscapeMountShm, Verdict::Blocked,
                        no_caps + ", and seccomp keeps it from making a user namespace of its "
                                  "own"});
    else
        rows.push_back({m::kEscapeMountShm, Verdict::NotApplicable, "/dev/shm is not closed"});
    // The kernel lets the uid that owns the IPC namespace (root of its user namespace, mapped
    // to the caller) write its knobs without a capability.
    const bool owns_knobs = plan.namespaces.user || plan.become == std::nullopt;
    if (plan.namespaces.mount)
        rows.push_back({m::kEscapeSysctl, Verdict::Blocked, "/proc/sys is read-only"});
    else if (owns_knobs)
        rows.push_back({m::kEscapeSysctl, Verdict::Shared,
                        "no mount namespace: the command's uid owns the IPC namespace's knobs "
                        "(set sandbox.mount)"});
    else
        rows.push_back({m::kEscapeSysctl, Verdict::Blocked,
                        "the command's uid does not own the IPC namespace's knobs"});
    rows.push_back(
        {m::kEscapeSetns, Verdict::Blocked, no_caps + ": nothing over the host's namespaces"});
    return rows;
}

}  // namespace ipcbox::launcher
