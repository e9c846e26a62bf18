// The command cannot undo its isolation: it has no capabilities, so it can neither unmount the
// private /dev/shm, nor mount a tmpfs or mqueue of its own over a blocked one, nor setns into a
// namespace of the host. Each attempt is made from inside, as root and as nobody.
#include <unistd.h>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/harness/host_objects.hpp"

namespace ipcbox::test {
namespace {

using Seal = AsEachUser;

TEST_P(Seal, TheCommandHasNoCapabilities) {
    Outcome o = ipcbox({"run", "--", support("escape"), "caps"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"})
        EXPECT_NE(o.out.find(std::string(set) + ":\t0000000000000000\n"), std::string::npos)
            << set << " in\n"
            << o.out;
}

TEST_P(Seal, UnmountingDevShmIsRefusedAndRevealsNothing) {
    const std::string name = unique_name("seal-shm");
    HostShm shm(name);
    ASSERT_TRUE(shm.ok());
    for (const char* how : {"umount", "umount-lazy"}) {
        const std::string script = support("escape") + " " + how + " /dev/shm; " +
                                   support("isolation") + " shm-exists " + name;
        Outcome o = ipcbox({"run", "--", "/bin/sh", "-c", script});
        EXPECT_EQ(o.out, "EPERM\nENOENT\n") << how << ": " << o.err;
        EXPECT_EQ(o.exit_code, 1) << how;
    }
}

TEST_P(Seal, NoTmpfsOrMqueueOfItsOwnAroundABlock) {
    Outcome shm = ipcbox(
        {"run", "--block", "posix.shm", "--", support("escape"), "mount", "tmpfs", "/dev/shm"});
    EXPECT_EQ(shm.exit_code, 1) << shm.err;
    EXPECT_EQ(shm.out, "EPERM\n");
    Outcome mq = ipcbox(
        {"run", "--block", "posix.queue", "--", support("escape"), "mount", "mqueue", "/dev/shm"});
    EXPECT_EQ(mq.exit_code, 1) << mq.err;
    EXPECT_EQ(mq.out, "EPERM\n");
}

TEST_P(Seal, NoSetnsIntoTheHostsIpcNamespace) {
    // A process of the test's own, of the same user as the sandbox's caller, in the host's IPC
    // namespace. Without capabilities, opening its namespace file (EACCES: the target holds
    // capabilities the command lacks) or setns itself (EPERM) is refused.
    Spawned host(who(), {"/bin/sleep", "30"});
    Outcome o = ipcbox({"run", "--", support("escape"), "setns-ipc", std::to_string(host.pid())});
    EXPECT_EQ(o.exit_code, 1) << o.err;
    EXPECT_TRUE(o.out == "EPERM\n" || o.out == "EACCES\n") << o.out;
}

// A user namespace of the command's own would give it capabilities there, enough to mount a tmpfs
// over a blocked /dev/shm in a mount namespace of its own. Without capabilities it cannot map
// uid 0 into one (that needs CAP_SETFCAP where it stands), and an unmapped one mounts nothing.
TEST_P(Seal, NoUserNamespaceOfItsOwnAroundABlock) {
    for (const char* flags : {"-Urm", "-Um"}) {
        Outcome o = ipcbox({"run", "--block", "posix.shm", "--", "/usr/bin/unshare", flags,
                            support("escape"), "mount", "tmpfs", "/dev/shm"});
        EXPECT_NE(o.exit_code, 0) << flags;
        EXPECT_NE(o.out, "ok\n") << flags << ": " << o.err;
    }
}

INSTANTIATE_TEST_SUITE_P(Users, Seal, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
