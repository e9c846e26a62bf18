// Domain records: names, the per-user directory's checks, the state file, a process's start time.
#include "launcher/domain/store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "launcher/domain/keeper.hpp"
#include "tests/common/skip.hpp"

namespace ipcbox::launcher::domain {
namespace {

namespace fs = std::filesystem;

TEST(DomainName, AcceptsTheDocumentedAlphabetOnly) {
    for (const char* good : {"a", "db-1", "ci_job.42", "A.b-C_9"})
        EXPECT_TRUE(check_name(good)) << good;
    for (const std::string bad : {"", ".", "..", "a/b", "a b", "é", "a\nb", "x;y"})
        EXPECT_FALSE(check_name(bad)) << bad;
    EXPECT_TRUE(check_name(std::string(64, 'x')));
    EXPECT_FALSE(check_name(std::string(65, 'x')));
}

// Runs `body` with XDG_RUNTIME_DIR set (only meaningful for a non-root uid; as root the directory
// is /run/ipcbox/domains whatever the environment says).
class RuntimeDir : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-store-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string dir_;
};

TEST_F(RuntimeDir, StateRoundTripsAndIsReplacedWhole) {
    State s;
    s.name = "db";
    s.owner = 1000;
    s.keeper = 4242;
    s.keeper_start = 123456789;
    s.ipc_ns = 4026531839;
    s.created = 1700000000;
    s.user_namespace = true;
    s.capabilities = {"CAP_NET_ADMIN"};
    s.preseeded = R"({"objects":[]})";
    ASSERT_TRUE(write_state(dir_, s));
    EXPECT_FALSE(fs::exists(dir_ + "/state.json.tmp"));
    auto back = read_state(dir_);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->name, "db");
    EXPECT_EQ(back->keeper, 4242);
    EXPECT_EQ(back->keeper_start, 123456789u);
    EXPECT_EQ(back->ipc_ns, 4026531839u);
    EXPECT_TRUE(back->user_namespace);
    EXPECT_EQ(back->capabilities, std::vector<std::string>{"CAP_NET_ADMIN"});
    EXPECT_EQ(back->preseeded, s.preseeded);
    std::ofstream(dir_ + "/state.json") << "{\"name\": 5}";
    auto broken = read_state(dir_);
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("state.json"), std::string::npos);
    fs::remove(dir_ + "/state.json");
    auto missing = read_state(dir_);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().err, ENOENT);
}

// As nobody (a forked child that drops to 65534), with XDG_RUNTIME_DIR at `runtime`: the exit
// code says what domains_dir(true) did: 0 made it, 1 refused with `expected` in the message.
int domains_dir_as_nobody(const std::string& runtime, const std::string& expected) {
    const pid_t child = fork();
    if (child == 0) {
        if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(3);
        setenv("XDG_RUNTIME_DIR", runtime.c_str(), 1);
        auto dir = domains_dir(true);
        if (dir) _exit(dir->find(runtime + "/ipcbox/domains") == 0 ? 0 : 4);
        _exit(dir.error().message.find(expected) != std::string::npos ? 1 : 5);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST_F(RuntimeDir, AUsersDirectoryMustBeTheirsAlone) {
    if (geteuid() != 0) IPCBOX_SKIP("needs root to act as two users");
    ASSERT_EQ(chown(dir_.c_str(), 65534, 65534), 0);
    // Planted by root (another user, to nobody): refused.
    ASSERT_EQ(mkdir((dir_ + "/ipcbox").c_str(), 0755), 0);
    EXPECT_EQ(domains_dir_as_nobody(dir_, "belongs to uid 0"), 1);
    // Nobody's own, but writable by others: refused.
    ASSERT_EQ(chown((dir_ + "/ipcbox").c_str(), 65534, 65534), 0);
    ASSERT_EQ(chmod((dir_ + "/ipcbox").c_str(), 0777), 0);
    EXPECT_EQ(domains_dir_as_nobody(dir_, "writable by others"), 1);
    // A symlink to somewhere else: refused (lstat), never followed.
    fs::remove(dir_ + "/ipcbox");
    fs::create_directory_symlink("/tmp", dir_ + "/ipcbox");
    EXPECT_EQ(domains_dir_as_nobody(dir_, "is not a directory"), 1);
    // Nothing there: made, 0700, nobody's.
    fs::remove(dir_ + "/ipcbox");
    EXPECT_EQ(domains_dir_as_nobody(dir_, ""), 0);
    struct stat st;
    ASSERT_EQ(stat((dir_ + "/ipcbox/domains").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(RuntimeDir, RemoveRecordTakesTheDirectory) {
    const std::string domain_dir = dir_ + "/d";
    fs::create_directories(domain_dir + "/shm");
    std::ofstream(domain_dir + "/state.json") << "{}";
    remove_record(domain_dir);
    EXPECT_FALSE(fs::exists(domain_dir));
}

TEST(DomainKeeper, StartTimeIsStableAndNamesTheProcess) {
    auto mine = start_time_of(getpid());
    ASSERT_TRUE(mine) << mine.error().message;
    EXPECT_GT(*mine, 0u);
    auto again = start_time_of(getpid());
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *mine);
    auto init = start_time_of(1);
    ASSERT_TRUE(init);
    EXPECT_LE(*init, *mine);
    EXPECT_FALSE(start_time_of(0x3fffffff));
}

}  // namespace
}  // namespace ipcbox::launcher::domain
