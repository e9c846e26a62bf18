// `ipcbox hook` through podman's hooks.d: the annotation selects the spec, the anchored regex in
// the hooks.d file decides whether the hook runs at all. Needs root, runc, podman and
// busybox-static (skipped without them, a failure under IPCBOX_STRICT=1). podman runs with a
// private --root/--runroot/--tmpdir and file locks, so nothing lands in the machine's container
// storage, /run or /dev/shm.
#include <gtest/gtest.h>
#include <sys/msg.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/integration/harness/host_objects.hpp"
#include "tests/integration/harness/oci_bundle.hpp"

namespace ipcbox::test {
namespace {

namespace fs = std::filesystem;

class HookPodman : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string missing = runc_missing();
        if (missing.empty() && podman_path().empty()) missing = "podman";
        IPCBOX_REQUIRE_NOTHING_MISSING(missing);
        bundle_ = std::make_unique<OciBundle>(OciBundle::Mode::Root);
        const std::string hooks = bundle_->dir() + "/hooks.d";
        fs::create_directories(hooks);
        // The hooks.d file examples/oci ships, with this test's binary, spec dir and log.
        nlohmann::json hook = nlohmann::json::parse(
            std::ifstream(IPCBOX_SOURCE_DIR "/examples/oci/hooks.d/ipcbox.json"));
        hook["hook"]["path"] = staging_dir() + "/ipcbox";
        hook["hook"]["args"] = {
            "ipcbox", "hook", "--spec-dir", bundle_->spec_dir(), "--log", bundle_->log_path()};
        std::ofstream(hooks + "/ipcbox.json") << hook.dump(2);
        // File locks under --tmpdir: the default shm lock would leave /dev/shm/libpod_lock. conmon
        // passes only conmon_env_vars to the `podman container cleanup` it runs at the end.
        const std::string conf = bundle_->dir() + "/containers.conf";
        std::ofstream(conf) << "[engine]\nlock_type = \"file\"\nconmon_env_vars = "
                               "[\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\", \"CONTAINERS_CONF="
                            << conf << "\"]\n";
    }
    void TearDown() override {
        // `podman run --rm` returns before conmon's `podman container cleanup` has finished with
        // the private storage: wait for it (it names our directory) before removing it.
        for (int i = 0; bundle_ && i < 200 && process_with_marker_exists(bundle_->dir()); ++i)
            usleep(50000);
        bundle_.reset();
    }

    Outcome podman_run(const std::vector<std::string>& annotations, const std::string& script) {
        const std::string p = bundle_->dir() + "/podman";
        std::vector<std::string> argv{"/usr/bin/env",
                                      "CONTAINERS_CONF=" + bundle_->dir() + "/containers.conf"};
        auto add = [&argv](std::initializer_list<std::string> words) {
            argv.insert(argv.end(), words);
        };
        add({podman_path(), "--root", p + "/root", "--runroot", p + "/runroot"});
        add({"--tmpdir", p + "/tmp", "--events-backend", "none", "--runtime", runc_path()});
        add({"--cgroup-manager", "cgroupfs", "--storage-driver", "vfs"});
        add({"--hooks-dir", bundle_->dir() + "/hooks.d"});
        add({"run", "--rm", "--network", "none"});
        add({"--ulimit", "nofile=20000:20000", "--ulimit", "nproc=1024:1024"});
        for (const auto& a : annotations) {
            argv.push_back("--annotation");
            argv.push_back(a);
        }
        add({"--rootfs", bundle_->rootfs(), "/bin/sh", "-c", script});
        return run_program(As::Root, argv, "", 120);
    }

    std::unique_ptr<OciBundle> bundle_;
};

TEST_F(HookPodman, AnnotationAppliesTheNamedSpec) {
    const key_t key = unique_key(9);
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%x", static_cast<unsigned>(key));
    const std::string mq = unique_name("podman");
    bundle_->add_spec("fixtures", std::string("[sysctl]\nkernel.msgmnb = 32768\n") +
                                      "[[sysv.queue]]\nkey = " + hex +
                                      "\nmessages = [{ type = 3, text = \"p\" }]\n" +
                                      "[[posix.queue]]\nname = \"" + mq + "\"\n");
    Outcome o = podman_run(
        {"io.ipcbox.spec=fixtures"},
        std::string("cat /proc/sys/kernel/msgmnb; /bin/ipcread msgrcv ") + hex + " , mqread " + mq);
    ASSERT_EQ(o.exit_code, 0) << o.err << o.out;
    EXPECT_NE(o.out.find("32768\n"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("msg 3 70\nmsgend 1\n"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("mqend 0\n"), std::string::npos) << o.out;
    EXPECT_NE(bundle_->log().find("2 objects created"), std::string::npos) << bundle_->log();
    EXPECT_EQ(msgget(key, 0), -1);  // not on the host
}

TEST_F(HookPodman, WithoutTheAnnotationTheHookDoesNotRun) {
    Outcome o = podman_run({}, "cat /proc/sysvipc/msg; echo RAN");
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("ctime\nRAN\n"), std::string::npos) << o.out;
    EXPECT_EQ(bundle_->log(), "");
}

TEST_F(HookPodman, AnnotationWithAPathStopsTheContainer) {
    // The hooks.d file matches any value, so ipcbox sees the bad name and fails closed.
    Outcome o = podman_run({"io.ipcbox.spec=../x"}, "echo RAN");
    EXPECT_NE(o.exit_code, 0);
    EXPECT_EQ(o.out.find("RAN"), std::string::npos) << o.out;
    EXPECT_NE(o.err.find("annotation io.ipcbox.spec: '../x' is not a spec name"), std::string::npos)
        << o.err;
    EXPECT_NE(bundle_->log().find("'../x' is not a spec name"), std::string::npos)
        << bundle_->log();
}

}  // namespace
}  // namespace ipcbox::test
