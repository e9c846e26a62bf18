// `ipcbox export seccomp` enforced by a real OCI runtime: a runc bundle whose rootfs holds a static
// busybox and support_try, with the exported profile as linux.seccomp. Needs root, runc and
// busybox-static (skipped without them, a failure under IPCBOX_STRICT=1).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/harness/oci_bundle.hpp"

namespace ipcbox::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Call {
    std::string op;
    std::string arg;
    int want;
};

class OciSeccomp : public ::testing::Test {
  protected:
    void SetUp() override {
        IPCBOX_REQUIRE_NOTHING_MISSING(runc_missing());
        runc_ = runc_path();
        char tmpl[] = "/tmp/ipcbox-oci-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        bundle_ = dir_ + "/bundle";
        const fs::path bin = fs::path(bundle_) / "rootfs" / "bin";
        fs::create_directories(bin);
        fs::copy_file(busybox_path(), bin / "busybox");
        fs::create_symlink("busybox", bin / "sh");
        fs::copy_file(support("try"), fs::path(bundle_) / "rootfs" / "support_try");
        Outcome o = run_program(As::Root, {runc_, "spec", "--bundle", bundle_});
        ASSERT_EQ(o.exit_code, 0) << o.err;
    }
    void TearDown() override {
        if (dir_.empty()) return;
        // `runc run` deletes its container on exit; this only matters after a time-out.
        run_program(As::Root, {runc_, "--root", dir_ + "/state", "delete", "--force", id_});
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    // The profile `ipcbox export seccomp` prints for a spec.
    json export_profile(const std::string& toml) {
        Outcome o = run_ipcbox(As::Root, {"export", "seccomp", "-c", write_spec(toml)});
        EXPECT_EQ(o.exit_code, 0) << o.err;
        return o.exit_code == 0 ? json::parse(o.out) : json{};
    }

    // Runs every call in one container with `profile` and returns "op arg" -> exit code.
    std::map<std::string, int> run_in_runc(const json& profile, const std::vector<Call>& calls) {
        std::string script;
        for (const auto& c : calls) {
            const std::string label = c.op + (c.arg.empty() ? "" : " " + c.arg);
            script += "/support_try " + label + "; echo \"" + label + "=$?\"; ";
        }
        const std::string config_path = bundle_ + "/config.json";
        json config = json::parse(std::ifstream(config_path));
        config["process"]["terminal"] = false;
        config["process"]["args"] = {"/bin/sh", "-c", script};
        config["linux"]["seccomp"] = profile;
        std::ofstream(config_path) << config.dump(2);

        Outcome o = run_program(
            As::Root, {runc_, "--root", dir_ + "/state", "run", "--bundle", bundle_, id_});
        EXPECT_EQ(o.exit_code, 0) << o.err;
        std::map<std::string, int> results;
        std::istringstream lines(o.out);
        for (std::string line; std::getline(lines, line);) {
            auto eq = line.rfind('=');
            if (eq != std::string::npos)
                results[line.substr(0, eq)] = std::stoi(line.substr(eq + 1));
        }
        return results;
    }

    void expect_enforced(const json& profile, const std::vector<Call>& calls) {
        auto results = run_in_runc(profile, calls);
        for (const auto& c : calls) {
            const std::string label = c.op + (c.arg.empty() ? "" : " " + c.arg);
            ASSERT_TRUE(results.count(label)) << label << " did not run";
            EXPECT_EQ(results[label], c.want) << label;
        }
    }

    std::string runc_, dir_, bundle_;
    std::string id_ = "ipcbox-oci-" + std::to_string(getpid());
};

TEST_F(OciSeccomp, RuncEnforcesABlockedKindOnEveryAbi) {
    json profile = export_profile(
        "[block]\nkinds = [\"sysv.queue\", \"posix.queue\"]\n"
        "errno = \"EACCES\"\n");
    ASSERT_EQ(profile["architectures"].size(), 3u);
    expect_enforced(profile, {
                                 {"msgget-create", "", EACCES},
                                 {"msgctl-info", "", EACCES},
                                 {"i386-msgget-create", "", EACCES},
                                 {"i386-ipc-msgget-create", "", EACCES},
                                 {"i386-ipc-msgctl-info", "", EACCES},
                                 {"x32-msgget-create", "", EACCES},
                                 {"mq_open-create", "/q", EACCES},
                                 {"i386-mq_open-create", "/q", EACCES},
                                 // not blocked
                                 {"semget-create", "", 0},
                                 {"shmget-create", "", 0},
                                 {"i386-ipc-semget-create", "", 0},
                                 {"pipe", "", 0},
                                 {"memfd", "", 0},
                                 {"socketpair", "", 0},
                                 {"i386-getpid", "", 0},
                             });
}

TEST_F(OciSeccomp, RuncEnforcesCreateOnlyByArgument) {
    json profile = export_profile(
        "[block]\ncreate = [\"sysv.queue\", \"sysv.semaphore\", \"posix.queue\"]\n"
        "errno = \"ENOSYS\"\n");
    expect_enforced(profile, {
                                 {"msgget-create", "", ENOSYS},
                                 {"msgget-private", "", ENOSYS},
                                 {"semget-create", "", ENOSYS},
                                 {"i386-msgget-create", "", ENOSYS},
                                 {"i386-semget-create", "", ENOSYS},
                                 {"i386-ipc-semget-create-v", "", ENOSYS},
                                 {"mq_open-create", "/q", ENOSYS},
                                 {"i386-mq_open-create", "/q", ENOSYS},
                                 // Getting an object is let through: the kernel says it is absent.
                                 {"msgget", "0x77", ENOENT},
                                 {"semget", "0x77", ENOENT},
                                 {"i386-msgget", "0x77", ENOENT},
                                 {"mq_open", "/q", ENOENT},
                                 {"i386-mq_open", "/q", ENOENT},
                                 {"msgctl-info", "", 0},
                                 {"shmget-create", "", 0},
                             });
}

// One create-only SysV kind alone: the profile must not give runc's libseccomp 2.5.4 a block
// whose first entry is a syscall the ABI lacks (it then drops the syscall number load).
TEST_F(OciSeccomp, RuncEnforcesOneCreateOnlyKindAlone) {
    json profile = export_profile("[block]\ncreate = [\"sysv.queue\"]\n");
    expect_enforced(profile, {
                                 {"msgget-create", "", EPERM},
                                 {"msgget-private", "", EPERM},
                                 {"i386-msgget-create", "", EPERM},
                                 {"i386-ipc-msgget-create", "", EPERM},
                                 {"x32-msgget-create", "", EPERM},
                                 {"msgget", "0x77", ENOENT},
                                 {"semget-create", "", 0},
                                 {"i386-ipc-semget-create", "", 0},
                             });
}

TEST_F(OciSeccomp, RuncReturnsEveryErrnoChoice) {
    for (auto [name, err] : {std::pair{"EPERM", EPERM}, {"EACCES", EACCES}, {"ENOSYS", ENOSYS}}) {
        json profile = export_profile(std::string("[block]\nkinds = [\"sysv.shm\"]\nerrno = \"") +
                                      name + "\"\n");
        expect_enforced(profile, {{"shmget-create", "", err},
                                  {"i386-ipc-shmget-create", "", err},
                                  {"msgget-create", "", 0}});
    }
}

}  // namespace
}  // namespace ipcbox::test
