// Payload files of the hook's specs resolve beneath their spec's directory: an absolute path, a
// ".." or a symlink leading out (to a file standing for /etc/shadow) is refused, naming the file;
// files inside it, symlinks within it included, are read.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "launcher/hook/spec.hpp"

namespace ipcbox::launcher {
namespace {

namespace fs = std::filesystem;

class HookPayloadBeneath : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-beneath-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        fs::create_directories(dir_ + "/specs/data");
        fs::create_directories(dir_ + "/bundle/rootfs/app");
        std::ofstream(dir_ + "/shadow") << "root:secret-hash:19000::::::\n";
        std::ofstream(dir_ + "/specs/data/job.txt") << "job";
        std::ofstream(dir_ + "/bundle/rootfs/app/real.bin") << "fixture";
        lookup_.spec_dir = dir_ + "/specs";
        state_.id = "c1";
        state_.pid = getpid();  // a "container" in our own namespaces
        state_.bundle = dir_ + "/bundle";
    }
    void TearDown() override { fs::remove_all(dir_); }

    static std::string queue_with_file(const std::string& file) {
        return "[[sysv.queue]]\nkey = 0x1234\nmessages = [{ file = \"" + file + "\" }]\n";
    }
    // The named spec (annotation) or the bundle's own, holding `file` as a payload.
    Result<std::optional<HookSpec>> named(const std::string& file) {
        std::ofstream(dir_ + "/specs/db.toml") << queue_with_file(file);
        state_.annotations = {{kSpecAnnotation, "db"}};
        return find_hook_spec(state_, lookup_);
    }
    Result<std::optional<HookSpec>> bundled(const std::string& file) {
        std::ofstream(dir_ + "/bundle/ipcbox.toml") << queue_with_file(file);
        state_.annotations.clear();
        return find_hook_spec(state_, lookup_);
    }
    static std::string error_of(const Result<std::optional<HookSpec>>& r) {
        return r.ok() ? "(no error)" : r.error().message;
    }
    static std::string first_message(const Result<std::optional<HookSpec>>& r) {
        if (!r.ok() || !r.value()) return "(no spec: " + error_of(r) + ")";
        return r.value()->spec.objects.sysv_queues.at(0).messages.at(0).bytes;
    }

    std::string dir_;
    SpecLookup lookup_;
    OciState state_;
};

TEST_F(HookPayloadBeneath, FilesInsideTheSpecDirectoryAreRead) {
    EXPECT_EQ(first_message(named("data/job.txt")), "job");
    EXPECT_EQ(first_message(named("data/../data/job.txt")), "job");
    fs::create_symlink("job.txt", dir_ + "/specs/data/link.txt");
    EXPECT_EQ(first_message(named("data/link.txt")), "job");
    EXPECT_EQ(first_message(bundled("rootfs/app/real.bin")), "fixture");
}

TEST_F(HookPayloadBeneath, AnAbsolutePathIsRefused) {
    const std::string error = error_of(named(dir_ + "/shadow"));
    EXPECT_EQ(error,
              dir_ + "/specs/db.toml:3:22: sysv.queue[0].messages[0].file: cannot read " + dir_ +
                  "/shadow: leads out of " + dir_ +
                  "/specs (an absolute path, '..' or a symlink out of the spec's directory)");
}

TEST_F(HookPayloadBeneath, DotDotOutIsRefused) {
    EXPECT_NE(error_of(named("../shadow"))
                  .find("file: cannot read ../shadow: leads out of " + dir_ + "/specs ("),
              std::string::npos)
        << error_of(named("../shadow"));
    EXPECT_NE(error_of(bundled("rootfs/../../shadow")).find("leads out of " + dir_ + "/bundle ("),
              std::string::npos);
}

TEST_F(HookPayloadBeneath, SymlinksLeadingOutAreRefused) {
    fs::create_symlink(dir_ + "/shadow", dir_ + "/specs/data/abs.txt");
    fs::create_symlink("../../shadow", dir_ + "/specs/data/rel.txt");
    fs::create_symlink(dir_ + "/shadow", dir_ + "/bundle/rootfs/app/fixture.bin");
    fs::create_symlink("/proc/self/root" + dir_ + "/shadow", dir_ + "/bundle/rootfs/app/magic");
    for (auto r : {named("data/abs.txt"), named("data/rel.txt"), bundled("rootfs/app/fixture.bin"),
                   bundled("rootfs/app/magic")}) {
        ASSERT_FALSE(r.ok()) << first_message(r);
        EXPECT_NE(r.error().message.find(": leads out of " + dir_), std::string::npos)
            << r.error().message;
        EXPECT_EQ(r.error().message.find("secret"), std::string::npos);
    }
}

}  // namespace
}  // namespace ipcbox::launcher
