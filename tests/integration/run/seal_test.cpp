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

// A --tmpfs private path stays over the host's directory: unmounting it is refused, and the
// host's entries stay out of view.
TEST_P(Seal, UnmountingAPrivatePathIsRefused) {
    const std::string mark = unique_name("seal-tmp").substr(1);
    const std::string host_file = "/var/tmp/" + mark;
    ASSERT_EQ(run_program(who(), {"/usr/bin/touch", host_file}).exit_code, 0);
    for (const char* how : {"umount", "umount-lazy"}) {
        const std::string script = support("escape") + " " + how + " /var/tmp; " +
                                   support("isolation") + " path-exists " + host_file;
        Outcome o = ipcbox({"run", "--tmpfs", "/var/tmp", "--", "/bin/sh", "-c", script});
        EXPECT_EQ(o.out, "EPERM\nENOENT\n") << how << ": " << o.err;
    }
    unlink(host_file.c_str());
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

// As root without a user namespace, --uid/--gid are honoured: the command runs as those host
// ids, without capabilities, and the preseeded objects it finds are its own.
TEST(SealRoot, UidAndGidAreHonouredWithoutAUserNamespace) {
    const std::string spec = write_spec(R"(
[[sysv.queue]]
key = 0x4c3a
mode = 0o600
messages = [ { type = 1, text = "hi" } ]
)");
    Outcome o = run_ipcbox(
        As::Root, {"run", "-c", spec, "--uid", "1000", "--gid", "1001", "--", support("ipcread"),
                   "id", ",", "msgstat", "0x4c3a", ",", "msgrcv", "0x4c3a"});
    ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
    EXPECT_NE(o.out.find("id 1000 1001\n"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find(" uid=1000 gid=1001 "), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("msg 1 6869\n"), std::string::npos) << o.out;
}

// Ids are whole numbers from 0 to 2^32 - 2; anything else is refused before anything runs.
TEST_P(Seal, OutOfRangeIdsAreRefused) {
    const std::string marker = staging_dir() + "/" + unique_name("ran");
    for (const char* id : {"-5", "4294967295", "1e3", ""}) {
        for (const char* flag : {"--uid", "--gid"}) {
            Outcome o = ipcbox({"run", flag, id, "--", support("ipcread"), "touch", marker});
            EXPECT_EQ(o.exit_code, 125) << flag << " " << id;
            EXPECT_EQ(o.err, std::string("ipcbox: ") + flag + ": '" + id +
                                 "' is not an id (0 to 4294967294)\n")
                << o.err;
            EXPECT_NE(access(marker.c_str(), F_OK), 0) << flag << " " << id;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Users, Seal, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
