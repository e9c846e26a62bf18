// ipcbox run isolates IPC: checked by creating objects on one side and looking on the other.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/harness/host_objects.hpp"

namespace ipcbox::test {
namespace {

using Isolation = AsEachUser;

std::string ns_link(const std::string& kind) {
    return std::filesystem::read_symlink("/proc/self/ns/" + kind).string();
}

TEST_P(Isolation, IpcNamespaceIsNew) {
    Outcome o = ipcbox({"run", "--", "/usr/bin/readlink", "/proc/self/ns/ipc"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    ASSERT_EQ(o.out.rfind("ipc:[", 0), 0u) << o.out;
    EXPECT_NE(o.out, ns_link("ipc") + "\n");
}

TEST_P(Isolation, HostSysvQueueIsInvisibleInside) {
    HostQueue queue(unique_key(1));
    ASSERT_TRUE(queue.ok());
    const std::string key = std::to_string(unique_key(1));
    // Control: the probe does see the queue from the host.
    Outcome outside = run_program(who(), {support("isolation"), "msg-exists", key});
    ASSERT_EQ(outside.exit_code, 0) << outside.out;
    Outcome inside = ipcbox({"run", "--", support("isolation"), "msg-exists", key});
    EXPECT_EQ(inside.exit_code, 1) << inside.err;
    EXPECT_EQ(inside.out, "ENOENT\n");
}

TEST_P(Isolation, HostPosixShmIsInvisibleInside) {
    const std::string name = unique_name("shm");
    HostShm shm(name);
    ASSERT_TRUE(shm.ok());
    Outcome outside = run_program(who(), {support("isolation"), "shm-exists", name});
    ASSERT_EQ(outside.exit_code, 0) << outside.out;
    Outcome inside = ipcbox({"run", "--", support("isolation"), "shm-exists", name});
    EXPECT_EQ(inside.exit_code, 1) << inside.err;
    EXPECT_EQ(inside.out, "ENOENT\n");
}

TEST_P(Isolation, ObjectsMadeInsideAreGoneAfterwards) {
    const key_t key = unique_key(2);
    const std::string name = unique_name("made-inside");
    RemoveQueueAtEnd queue_guard{key};
    UnlinkShmAtEnd shm_guard{name};
    const std::string script = support("isolation") + " msg-create " + std::to_string(key) +
                               " && " + support("isolation") + " shm-create " + name + " && " +
                               support("isolation") + " msg-exists " + std::to_string(key) +
                               " && " + support("isolation") + " shm-exists " + name;
    Outcome o = ipcbox({"run", "--", "/bin/sh", "-c", script});
    ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
    EXPECT_LT(msgget(key, 0), 0);
    EXPECT_EQ(errno, ENOENT);
    EXPECT_FALSE(std::filesystem::exists("/dev/shm" + name));
}

TEST_P(Isolation, OnlyStdioReachesTheCommand) {
    // fd 7 and 9 are open in ipcbox's caller and not close-on-exec.
    const std::string script = "exec 7</dev/null 9>/dev/null; exec " + staging_dir() +
                               "/ipcbox run -- " + support("isolation") + " fds";
    Outcome control = run_program(
        who(),
        {"/bin/sh", "-c", "exec 7</dev/null 9>/dev/null; exec " + support("isolation") + " fds"});
    // Control: without ipcbox both reach the program (as may fds the test runner leaked to us).
    const std::string listed = " " + control.out.substr(0, control.out.find('\n')) + " ";
    ASSERT_NE(listed.find(" 7 "), std::string::npos) << control.out;
    ASSERT_NE(listed.find(" 9 "), std::string::npos) << control.out;
    Outcome o = run_program(who(), {"/bin/sh", "-c", script});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "0 1 2\n");
}

TEST_P(Isolation, CommandRunsWithNoNewPrivs) {
    Outcome control = run_program(who(), {"/bin/grep", "NoNewPrivs", "/proc/self/status"});
    ASSERT_EQ(control.out, "NoNewPrivs:\t0\n");
    Outcome o = ipcbox({"run", "--", "/bin/grep", "NoNewPrivs", "/proc/self/status"});
    EXPECT_EQ(o.out, "NoNewPrivs:\t1\n") << o.err;
}

TEST_P(Isolation, PrivateDevShmIsAFreshTmpfs) {
    Outcome o = ipcbox({"run", "--", "/usr/bin/stat", "-f", "-c", "%T", "/dev/shm"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "tmpfs\n");
    Outcome mode = ipcbox({"run", "--", "/usr/bin/stat", "-c", "%a", "/dev/shm"});
    EXPECT_EQ(mode.out, "1777\n");
    Outcome listing = ipcbox({"run", "--", "/bin/ls", "-A", "/dev/shm"});
    EXPECT_EQ(listing.out, "");
}

TEST_P(Isolation, DevShmNoneIsEmptyAndReadOnly) {
    Outcome o = ipcbox(
        {"run", "--dev-shm", "none", "--", support("isolation"), "shm-create", unique_name("ro")});
    EXPECT_EQ(o.exit_code, 1) << o.err;
    EXPECT_EQ(o.out, "EROFS\n");
}

TEST_P(Isolation, DevShmHostIsShared) {
    const std::string name = unique_name("shared");
    HostShm shm(name);
    ASSERT_TRUE(shm.ok());
    Outcome o =
        ipcbox({"run", "--dev-shm", "host", "--", support("isolation"), "shm-exists", name});
    EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
}

TEST_P(Isolation, InheritedMqueueMountIsCovered) {
    // An outer namespace stands in for a host with an mqueue mount (this machine has none): the
    // queue made there is visible through the mount outside ipcbox and must not be inside.
    const std::string name = unique_name("mq");
    const std::string script =
        "mount -t tmpfs tmpfs /mnt && mkdir /mnt/mq && mount -t mqueue mqueue /mnt/mq && " +
        support("isolation") + " mq-create " + name + " && echo outside: $(ls /mnt/mq) && " +
        staging_dir() + "/ipcbox run --user new -- /bin/sh -c 'echo inside: $(ls /mnt/mq)'";
    Outcome o = run_program(who(), {"/usr/bin/unshare", "-Urim", "/bin/sh", "-c", script});
    ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
    EXPECT_EQ(o.out, "outside: " + name.substr(1) + "\ninside:\n");
}

INSTANTIATE_TEST_SUITE_P(Run, Isolation, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
