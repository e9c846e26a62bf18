// The hint for namespaces the kernel refused: it names the cause that fits the caller, and the fix
// that works there (a user namespace for a container's root, measured with podman).
#include "launcher/run/clone_error.hpp"

#include <gtest/gtest.h>

#include <cerrno>

#include "ns/mount.hpp"

namespace ipcbox::launcher {
namespace {

TEST(CloneError, ContainerRootWithoutCapSysAdminIsToldToUseAUserNamespace) {
    const Error e = clone_error(EPERM, {/*user_namespace=*/false, /*root=*/true,
                                        /*cap_sys_admin=*/false});
    EXPECT_EQ(e.message, "create namespaces: Operation not permitted");
    EXPECT_EQ(e.hint,
              "root here lacks CAP_SYS_ADMIN (as in a container), so namespaces need a user "
              "namespace of their own: use user = \"auto\" or \"new\" (--user new)");
    // Only user = "host" reaches this: "auto" takes a user namespace for such a root.
}

TEST(CloneError, EachCallerGetsItsOwnCause) {
    EXPECT_EQ(clone_error(EPERM, {false, false, false}).hint,
              "without a user namespace only root may create namespaces; use user = \"auto\"");
    EXPECT_NE(clone_error(EPERM, {false, true, true}).hint.find("seccomp profile"),
              std::string::npos);
    EXPECT_EQ(clone_error(EPERM, {true, false, false})
                  .hint.rfind("unprivileged user namespaces look disabled here", 0),
              0u);
    EXPECT_EQ(clone_error(ENOMEM, {false, true, false}).hint, "");
    EXPECT_EQ(clone_error(ENOMEM, {false, true, false}).message,
              "create namespaces: Cannot allocate memory");
}

TEST(FreshProcHint, MaskedProcPathsAreNamedWithTheFix) {
    const std::string hint = ns::fresh_proc_hint(
        EPERM, {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/kcore"});
    EXPECT_EQ(hint,
              "paths of this /proc are covered by other mounts (/proc/bus, /proc/fs, /proc/irq, "
              "...), as a container runtime masks them, and the kernel then refuses a fresh /proc "
              "in a user namespace: run without --pid (sandbox.pid = false), or start the "
              "container with /proc unmasked (podman --security-opt unmask=ALL, docker "
              "--security-opt systempaths=unconfined)");
    EXPECT_EQ(ns::fresh_proc_hint(EPERM, {}), "");
    EXPECT_EQ(ns::fresh_proc_hint(ENOMEM, {"/proc/sys"}), "");
    EXPECT_NE(ns::fresh_proc_hint(EPERM, {"/proc/\x1b[2J"}).find("/proc/\\x1b[2J"),
              std::string::npos);
}

}  // namespace
}  // namespace ipcbox::launcher
