// `ipcbox hook` as a createRuntime hook of the real runc: the container's own process reads what
// the hook put into its IPC namespace and /dev/shm, as root, with a user namespace, and rootless.
// Needs root, runc and busybox-static (skipped without them, a failure under IPCBOX_STRICT=1).
#include <gtest/gtest.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "tests/integration/harness/host_objects.hpp"
#include "tests/integration/harness/oci_bundle.hpp"

namespace ipcbox::test {
namespace {

using Mode = OciBundle::Mode;

std::string hex_key(key_t key) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", static_cast<unsigned>(key));
    return buf;
}

// Every kind of object plus two sysctls, under names no other test uses.
struct Fixture {
    key_t queue = unique_key(1), sem = unique_key(2), shm = unique_key(3);
    std::string mq = unique_name("mq"), buf = unique_name("buf"), ready = unique_name("ready");

    std::string spec() const {
        std::string t = "[sysctl]\nkernel.msgmnb = 32768\nfs.mqueue.msg_max = 20\n";
        t += "[[sysv.queue]]\nkey = " + hex_key(queue) + "\nmode = 0o640\n";
        t += "messages = [{ type = 2, text = \"hi\" }]\n";
        t += "[[sysv.semaphore]]\nkey = " + hex_key(sem) + "\nvalues = [1, 2]\n";
        t += "[[sysv.shm]]\nkey = " + hex_key(shm) + "\nid = 7\nsize = 64\ntext = \"shared\"\n";
        t += "[[posix.queue]]\nname = \"" + mq + "\"\nmessages = [{ text = \"job\" }]\n";
        t += "[[posix.shm]]\nname = \"" + buf + "\"\nsize = 16\ntext = \"hello\"\n";
        t += "[[posix.semaphore]]\nname = \"" + ready + "\"\nvalue = 3\n";
        return t;
    }
    // What the container reads, by plain syscalls and /proc, independently of ipcbox.
    std::string script() const {
        std::string s = "cat /proc/sys/kernel/msgmnb /proc/sys/fs/mqueue/msg_max; ";
        s += "cat /proc/sysvipc/msg; /bin/ipcread";
        s += " msgstat " + hex_key(queue) + " , msgrcv " + hex_key(queue);
        s += " , semgetall " + hex_key(sem);
        s += " , shmstat " + hex_key(shm) + " , shmread " + hex_key(shm) + " 6";
        s += " , mqread " + mq;
        s += " , stat /dev/shm" + buf + " , fileread /dev/shm" + buf + " 5";
        s += " , semvalue " + ready;
        return s;
    }
};

class HookRunc : public ::testing::TestWithParam<Mode> {
  protected:
    void SetUp() override {
        IPCBOX_REQUIRE_NOTHING_MISSING(runc_missing());
        if (GetParam() == Mode::Rootless) IPCBOX_REQUIRE_USERNS();
    }
};

std::string mode_name(const ::testing::TestParamInfo<Mode>& info) {
    switch (info.param) {
        case Mode::Root:
            return "root";
        case Mode::UserNs:
            return "userns";
        case Mode::Rootless:
            return "rootless";
    }
    return "?";
}

TEST_P(HookRunc, ContainerSeesTheSpecsObjectsAndSysctls) {
    const Fixture f;
    OciBundle b(GetParam());
    b.add_spec("fixtures", f.spec());
    b.annotate("io.ipcbox.spec", "fixtures");
    b.set_script(f.script());
    Outcome o = b.run();
    ASSERT_EQ(o.exit_code, 0) << o.err << o.out;

    EXPECT_EQ(o.out.rfind("32768\n20\n", 0), 0u) << o.out;
    // /proc/sysvipc/msg: key in decimal, perms, then cbytes 2 and qnum 1.
    EXPECT_NE(o.out.find(std::to_string(f.queue) + "          0   640           2          1"),
              std::string::npos)
        << o.out;
    // Owned by the container's root, whatever uid that is on the host.
    EXPECT_NE(o.out.find("uid=0 gid=0 cuid=0 cgid=0 mode=0640 qbytes=32768 qnum=1\n"),
              std::string::npos)
        << o.out;
    EXPECT_NE(o.out.find("shmstat id=7 "), std::string::npos) << o.out;  // via shm_next_id
    for (const char* line :
         {"msg 2 6869\n", "sem 1 2\n", "shm 736861726564\n", "mqattr 10 8192 1\n", "mq 0 6a6f62\n",
          "file 68656c6c6f\n", "semvalue 3\n"})
        EXPECT_NE(o.out.find(line), std::string::npos) << line << " in\n" << o.out;
    EXPECT_NE(o.out.find("stat /dev/shm" + f.buf + " mode=0600 uid=0 gid=0 size=16\n"),
              std::string::npos)
        << o.out;
    EXPECT_NE(b.log().find(": applied " + b.spec_dir() +
                           "/fixtures.toml: 2 sysctls, 6 objects created, 0 already present\n"),
              std::string::npos)
        << b.log();

    // Nothing reached the host.
    EXPECT_EQ(msgget(f.queue, 0), -1);
    struct stat st;
    EXPECT_NE(stat(("/dev/shm" + f.buf).c_str(), &st), 0);
}

INSTANTIATE_TEST_SUITE_P(Runc, HookRunc,
                         ::testing::Values(Mode::Root, Mode::UserNs, Mode::Rootless), mode_name);

class HookRuncRoot : public ::testing::Test {
  protected:
    void SetUp() override { IPCBOX_REQUIRE_NOTHING_MISSING(runc_missing()); }
};

TEST_F(HookRuncRoot, NoSpecLeavesTheContainerAlone) {
    OciBundle b(Mode::Root);
    b.set_script("cat /proc/sysvipc/msg; echo RAN");
    Outcome o = b.run();
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("ctime\nRAN\n"), std::string::npos) << o.out;  // header, no queue
    EXPECT_NE(b.log().find(": no spec (no io.ipcbox.spec annotation, no bundle ipcbox.toml): "
                           "nothing to do\n"),
              std::string::npos)
        << b.log();
}

TEST_F(HookRuncRoot, BundleSpecAppliesWithoutAnnotation) {
    const key_t key = unique_key(4);
    OciBundle b(Mode::Root);
    std::ofstream(b.bundle() + "/ipcbox.toml") << "[[sysv.queue]]\nkey = " << hex_key(key) << "\n";
    b.set_script("/bin/ipcread msgstat " + hex_key(key));
    Outcome o = b.run();
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("uid=0 gid=0 cuid=0 cgid=0 mode=0600"), std::string::npos) << o.out;
}

TEST_F(HookRuncRoot, BadSpecStopsTheContainerWithIpcboxsLine) {
    OciBundle b(Mode::Root);
    b.add_spec("bad", "[[sysv.queue]]\nkey = 1\nbogus = 1\n");
    b.annotate("io.ipcbox.spec", "bad");
    b.set_script("echo RAN");
    Outcome o = b.run();
    EXPECT_NE(o.exit_code, 0);
    EXPECT_EQ(o.out.find("RAN"), std::string::npos) << o.out;
    const std::string line = b.spec_dir() + "/bad.toml:3:1: sysv.queue[0]: unknown key 'bogus'";
    // runc shows the hook's stderr in its own error.
    EXPECT_NE(o.err.find("stderr: ipcbox hook: container ipcbox-hook-"), std::string::npos)
        << o.err;
    EXPECT_NE(o.err.find(line), std::string::npos) << o.err;
    EXPECT_NE(b.log().find(line), std::string::npos) << b.log();
}

TEST_F(HookRuncRoot, FailureWhileApplyingStopsTheContainer) {
    OciBundle b(Mode::Root);
    b.add_spec("toomany", "[sysctl]\nkernel.sem = \"2 32000 32 128\"\n[[sysv.semaphore]]\nkey = " +
                              hex_key(unique_key(5)) + "\nvalues = [1, 2, 3]\n");
    b.annotate("io.ipcbox.spec", "toomany");
    b.set_script("echo RAN");
    Outcome o = b.run();
    EXPECT_NE(o.exit_code, 0);
    EXPECT_EQ(o.out.find("RAN"), std::string::npos) << o.out;
    EXPECT_NE(o.err.find("sysv.semaphore[0] (key " + hex_key(unique_key(5)) +
                         "): semget: Invalid argument (3 values > SEMMSL 2"),
              std::string::npos)
        << o.err;
}

TEST_F(HookRuncRoot, AnnotationCannotNameAHostPath) {
    for (const char* name : {"../specs/x", "..", "/etc/x"}) {
        OciBundle b(Mode::Root);
        b.add_spec("x", "[[sysv.queue]]\nkey = 1\n");
        b.annotate("io.ipcbox.spec", name);
        b.set_script("echo RAN");
        Outcome o = b.run();
        EXPECT_NE(o.exit_code, 0) << name;
        EXPECT_EQ(o.out.find("RAN"), std::string::npos) << o.out;
        EXPECT_NE(
            o.err.find("annotation io.ipcbox.spec: '" + std::string(name) + "' is not a spec name"),
            std::string::npos)
            << o.err;
    }
}

TEST_F(HookRuncRoot, InlineSpecOnlyWithAllowInline) {
    const key_t key = unique_key(6);
    OciBundle b(Mode::Root);
    b.annotate("io.ipcbox.spec.toml", "[[sysv.queue]]\nkey = " + hex_key(key) + "\n");
    b.set_script("/bin/ipcread msgstat " + hex_key(key));
    Outcome refused = b.run();
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("annotation io.ipcbox.spec.toml is not accepted by this hook"),
              std::string::npos)
        << refused.err;

    b.set_extra_hook_args({"--allow-inline"});
    Outcome o = b.run();
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("msgstat id="), std::string::npos) << o.out;
}

TEST_F(HookRuncRoot, FtokPathsAreLookedUpInTheContainer) {
    OciBundle b(Mode::Root);
    // The rootfs' own busybox: another inode than the host's /bin/busybox, so another key.
    const key_t key = ftok((b.rootfs() + "/bin/busybox").c_str(), 7);
    ASSERT_NE(key, -1);
    ASSERT_NE(key, ftok("/bin/busybox", 7));
    b.add_spec("ftok", "[[sysv.queue]]\nftok = { path = \"/bin/busybox\", proj = 7 }\n");
    b.annotate("io.ipcbox.spec", "ftok");
    b.set_script("/bin/ipcread msgstat " + hex_key(key));
    Outcome o = b.run();
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("msgstat id="), std::string::npos) << o.out;
}

// A pod: the second container joins the first one's IPC namespace and applies the same spec.
TEST_F(HookRuncRoot, SecondContainerOfAPodFindsIdenticalObjects) {
    const key_t key = unique_key(7);
    const std::string mq = unique_name("podmq");
    const std::string spec = "[[sysv.queue]]\nkey = " + hex_key(key) +
                             "\nmode = 0o640\n[[posix.queue]]\nname = \"" + mq + "\"\n";
    OciBundle first(Mode::Root);
    first.add_spec("pod", spec);
    first.annotate("io.ipcbox.spec", "pod");
    first.set_script("exec sleep 60 </dev/null >/dev/null 2>&1");
    const std::string id = "ipcbox-hook-pod-" + std::to_string(getpid());
    Outcome started = first.run_detached(id);
    ASSERT_EQ(started.exit_code, 0) << started.err;
    const pid_t pid = first.container_pid(id);
    ASSERT_GT(pid, 0);

    OciBundle second(Mode::Root);
    second.add_spec("pod", spec);
    second.annotate("io.ipcbox.spec", "pod");
    for (auto& ns : second.config()["linux"]["namespaces"])
        if (ns["type"] == "ipc") ns["path"] = "/proc/" + std::to_string(pid) + "/ns/ipc";
    second.set_script("/bin/ipcread msgstat " + hex_key(key) + " , mqread " + mq);
    Outcome o = second.run();
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("mode=0640"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("mqend 0"), std::string::npos) << o.out;
    EXPECT_NE(second.log().find("0 objects created, 2 already present"), std::string::npos)
        << second.log();

    // The same key with another mode is not the same object.
    second.add_spec("other", "[[sysv.queue]]\nkey = " + hex_key(key) + "\nmode = 0o600\n");
    second.annotate("io.ipcbox.spec", "other");
    Outcome clash = second.run();
    EXPECT_NE(clash.exit_code, 0);
    EXPECT_NE(clash.err.find("sysv.queue[0] (key " + hex_key(key) +
                             "): already exists with other attributes: mode 0640 (spec: 0600)"),
              std::string::npos)
        << clash.err;
}

TEST_F(HookRuncRoot, HostIpcNamespaceIsRefusedUnlessTheSpecAllowsIt) {
    const key_t key = unique_key(8);
    const RemoveQueueAtEnd cleanup{key};
    OciBundle b(Mode::Root);
    auto& namespaces = b.config()["linux"]["namespaces"];
    for (size_t i = 0; i < namespaces.size(); ++i)
        if (namespaces[i]["type"] == "ipc") namespaces.erase(i--);
    b.annotate("io.ipcbox.spec", "q");
    b.set_script("/bin/ipcread msgstat " + hex_key(key));
    const std::string queue = "[[sysv.queue]]\nkey = " + hex_key(key) + "\n";

    b.add_spec("q", queue);
    Outcome refused = b.run();
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("the container shares ipcbox's own IPC namespace"),
              std::string::npos)
        << refused.err;
    EXPECT_EQ(msgget(key, 0), -1);

    b.add_spec("q", "[sysctl]\nkernel.msgmnb = 32768\n[hook]\nallow_shared_ipc = true\n" + queue);
    Outcome no_sysctl = b.run();
    EXPECT_NE(no_sysctl.exit_code, 0);
    EXPECT_NE(no_sysctl.err.find("refusing to write [sysctl] there"), std::string::npos)
        << no_sysctl.err;

    b.add_spec("q", "[hook]\nallow_shared_ipc = true\n" + queue);
    Outcome allowed = b.run();
    EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
    EXPECT_GE(msgget(key, 0), 0);  // in the shared (host) namespace, as asked
}

}  // namespace
}  // namespace ipcbox::test
