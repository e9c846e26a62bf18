// `ipcbox hook` against a plain process in its own IPC and mount namespaces, standing for a
// container at createRuntime: a failed spec takes back what it made (never what was there), so a
// second run fails the same way; a bundle's payload files are read inside the container's mount
// namespace and never through a symlink out of the bundle.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

namespace fs = std::filesystem;

class HookTarget : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-hooktarget-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        fs::create_directories(dir_ + "/bundle/rootfs/app");
        std::ofstream(dir_ + "/bundle/config.json") << R"({"root":{"path":"rootfs"}})";
        std::ofstream(dir_ + "/bundle/rootfs/app/fixture.bin") << "host view";
        std::ofstream(dir_ + "/shadow") << "root:secret-hash:19000::::::\n";
    }
    void TearDown() override {
        target_.reset();
        fs::remove_all(dir_);
    }

    // The "container": new IPC and mount namespaces in which `setup` has run (as root).
    void start_target(const std::string& setup = "true") {
        target_ = std::make_unique<Spawned>(
            As::Root, std::vector<std::string>{"/usr/bin/unshare", "--ipc", "--mount",
                                               "--propagation", "private", "/bin/sh", "-c",
                                               setup + " && echo ready && exec sleep 60"});
        ASSERT_TRUE(target_->wait_for_output("ready")) << target_->out();
    }
    Outcome hook() {
        return run_ipcbox(As::Root, {"hook"},
                          R"({"ociVersion":"1.0.2","id":"c1","status":"creating","pid":)" +
                              std::to_string(target_->pid()) + R"(,"bundle":")" + dir_ +
                              R"(/bundle"})");
    }
    // A program run inside the target's IPC namespace.
    Outcome inside(std::vector<std::string> argv) {
        argv.insert(argv.begin(), {"/usr/bin/nsenter", "-t", std::to_string(target_->pid()), "-i"});
        return run_program(As::Root, argv);
    }
    void spec(const std::string& toml) { std::ofstream(dir_ + "/bundle/ipcbox.toml") << toml; }

    std::string dir_;
    std::unique_ptr<Spawned> target_;
};

TEST_F(HookTarget, AFailedSpecTakesBackWhatItMadeAndFailsAgainTheSameWay) {
    // The container's /dev/shm holds 1 MiB: the second 768 KiB posix.shm, made last, fails.
    const std::string dev_shm = dir_ + "/bundle/rootfs/dev/shm";
    fs::create_directories(dev_shm);
    std::ofstream(dir_ + "/bundle/768k.bin") << std::string(768 << 10, 'z');
    start_target("mount -t tmpfs -o size=1M none " + dev_shm);
    // 0x4d01 was there before the hook: it is accepted as identical and must survive the failure.
    ASSERT_EQ(inside({support("ipcmake"), "msgq", "0x4d01"}).exit_code, 0);
    spec(R"(
[[sysv.queue]]
key = 0x4d01
mode = 0o640
[[sysv.queue]]
key = 0x4d02
[[sysv.semaphore]]
key = 0x4d03
values = [1]
[[posix.queue]]
name = "/made"
[[posix.shm]]
name = "/a"
size = "768K"
file = "768k.bin"
[[posix.shm]]
name = "/b"
size = "768K"
file = "768k.bin"
)");
    Outcome first = hook();
    EXPECT_EQ(first.exit_code, 1);
    EXPECT_NE(first.err.find("posix.shm[1] (/b): write: No space left on device"),
              std::string::npos)
        << first.err;
    Outcome after = inside({support("ipcread"), "msgstat", "0x4d01", ",", "msgstat", "0x4d02", ",",
                            "semstat", "0x4d03", ",", "mqstat", "/made"});
    EXPECT_NE(after.out.find("msgstat id="), std::string::npos) << after.out;
    EXPECT_NE(after.out.find("error msgstat ENOENT"), std::string::npos) << after.out;
    EXPECT_NE(after.out.find("error semstat ENOENT"), std::string::npos) << after.out;
    EXPECT_NE(after.out.find("error mqstat ENOENT"), std::string::npos) << after.out;
    Outcome files = run_program(As::Root, {"/usr/bin/nsenter", "-t", std::to_string(target_->pid()),
                                           "-m", "/bin/ls", "-A", dev_shm});
    EXPECT_EQ(files.exit_code, 0) << files.err;
    EXPECT_EQ(files.out, "");

    Outcome second = hook();
    EXPECT_EQ(second.exit_code, 1);
    EXPECT_EQ(second.err, first.err);
}

TEST_F(HookTarget, BundlePayloadsAreReadInTheContainersMountNamespace) {
    // Inside, the container sees its own fixture; the host's view of the rootfs differs.
    start_target("mount -t tmpfs none " + dir_ + "/bundle/rootfs/app && echo -n inside > " + dir_ +
                 "/bundle/rootfs/app/fixture.bin");
    spec("[[sysv.queue]]\nkey = 0x4d11\nmessages = [{ file = \"rootfs/app/fixture.bin\" }]\n");
    Outcome o = hook();
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(inside({support("ipcread"), "msgrcv", "0x4d11"}).out,
              "msg 1 " + hex_of("inside") + "\nmsgend 1\n");
}

TEST_F(HookTarget, ASymlinkOutOfTheBundleIsRefused) {
    // The container's rootfs makes its fixture a link to a host file (standing for /etc/shadow).
    start_target("ln -sf " + dir_ + "/shadow " + dir_ + "/bundle/rootfs/app/fixture.bin");
    const std::vector<std::string> escapes{"rootfs/app/fixture.bin", "../shadow", dir_ + "/shadow"};
    for (const std::string& file : escapes) {
        spec("[[sysv.queue]]\nkey = 0x4d21\nmessages = [{ file = \"" + file + "\" }]\n");
        Outcome o = hook();
        EXPECT_EQ(o.exit_code, 1) << file;
        EXPECT_NE(o.err.find(dir_ +
                             "/bundle/ipcbox.toml:3:22: sysv.queue[0].messages[0].file: "
                             "cannot read " +
                             file + ": leads out of " + dir_ + "/bundle (an absolute path"),
                  std::string::npos)
            << o.err;
        EXPECT_NE(inside({support("ipcread"), "msgstat", "0x4d21"}).out.find("ENOENT"),
                  std::string::npos);
    }
}

// The helper that creates segments exits before the container starts: under shm_rmid_forced = 1
// the kernel would remove them then, so the hook refuses instead of reporting them made.
TEST_F(HookTarget, SegmentsUnderShmRmidForcedAreRefused) {
    start_target();
    spec("[sysctl]\nkernel.shm_rmid_forced = 1\n[[sysv.shm]]\nkey = 0x4d31\nsize = 64\n");
    Outcome o = hook();
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_NE(o.err.find("kernel.shm_rmid_forced is 1 in the container's IPC namespace"),
              std::string::npos)
        << o.err;
    EXPECT_NE(inside({support("ipcread"), "shmstat", "0x4d31"}).out.find("ENOENT"),
              std::string::npos);
}

}  // namespace
}  // namespace ipcbox::test
