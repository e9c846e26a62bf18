// `ipcbox hook` on its own, without a runtime: what it does with states that need no work, broken
// input, a target that is gone, and its own deadline.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {
namespace {

namespace fs = std::filesystem;

class HookCli : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-hookcli-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        fs::create_directories(dir_ + "/bundle/rootfs");
        std::ofstream(dir_ + "/bundle/config.json") << R"({"root":{"path":"rootfs"}})";
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string log() const {
        std::ifstream in(dir_ + "/hook.log");
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    Outcome hook(const std::string& state, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"hook", "--log", dir_ + "/hook.log"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_ipcbox(As::Root, args, state);
    }

    std::string dir_;
};

TEST_F(HookCli, StateWithoutAProcessNeedsNothing) {
    std::ofstream(dir_ + "/bundle/ipcbox.toml") << "[[sysv.queue]]\nkey = 1\n";
    Outcome o = hook(R"({"ociVersion":"1.0.2","id":"c1","status":"stopped","bundle":")" + dir_ +
                     R"(/bundle"})");
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.err, "");
    EXPECT_NE(
        log().find(
            "ipcbox hook: container c1: status \"stopped\" without a process: nothing to do\n"),
        std::string::npos)
        << log();
}

TEST_F(HookCli, BrokenStateIsOneLineOnStderrAndInTheLog) {
    Outcome o = hook("not json");
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.err, "ipcbox hook: OCI state on stdin is not valid JSON\n");
    EXPECT_NE(log().find("Z ipcbox hook: OCI state on stdin is not valid JSON\n"),
              std::string::npos)
        << log();
}

TEST_F(HookCli, ProcessThatIsGoneIsAnError) {
    std::ofstream(dir_ + "/bundle/ipcbox.toml") << "[[sysv.queue]]\nkey = 1\n";
    const pid_t gone = fork();
    if (gone == 0) _exit(0);
    waitpid(gone, nullptr, 0);
    Outcome o = hook(R"({"id":"c2","pid":)" + std::to_string(gone) + R"(,"bundle":")" + dir_ +
                     R"(/bundle"})");
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.err, "ipcbox hook: container c2: pid " + std::to_string(gone) +
                         ": pidfd_open: No such process\n");
}

// podman turns a hook failure whose text holds "No such file or directory" into exit 127
// ("command not found"): a missing spec or file says so in other words.
TEST_F(HookCli, MissingSpecOrFileNeverReadsAsCommandNotFound) {
    fs::create_directories(dir_ + "/specs");
    const std::string state = R"({"id":"c3","pid":)" + std::to_string(getpid()) + R"(,"bundle":")" +
                              dir_ + R"(/bundle","annotations":)";
    Outcome named =
        hook(state + R"({"io.ipcbox.spec":"absent"}})", {"--spec-dir", dir_ + "/specs"});
    EXPECT_EQ(named.exit_code, 1);
    EXPECT_EQ(named.err, "ipcbox hook: container c3: spec not found: " + dir_ +
                             "/specs/absent.toml (hint: the io.ipcbox.spec annotation names a "
                             "spec 'absent' that is not installed in the hook's spec directory " +
                             dir_ + "/specs (--spec-dir))\n");
    // A payload file the spec names that is not there.
    std::ofstream(dir_ + "/specs/payload.toml")
        << "[[sysv.queue]]\nkey = 1\n[[sysv.queue.messages]]\nfile = 'gone.bin'\n";
    Outcome payload =
        hook(state + R"({"io.ipcbox.spec":"payload"}})", {"--spec-dir", dir_ + "/specs"});
    EXPECT_EQ(payload.exit_code, 1);
    EXPECT_NE(payload.err.find("gone.bin"), std::string::npos) << payload.err;
    for (const std::string& text : {named.err, payload.err, log()})
        EXPECT_EQ(text.find("No such file or directory"), std::string::npos) << text;
}

TEST_F(HookCli, BadFlagsAreOneLine) {
    Outcome o = run_ipcbox(As::Root, {"hook", "--log", "relative.log"});
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.err, "ipcbox hook: --log: 'relative.log' must be an absolute path\n");
}

TEST_F(HookCli, DeadlineEndsAHookWhoseInputNeverEnds) {
    // stdin stays open: the hook waits for the state until its deadline.
    int in[2], err[2];
    ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(err, O_CLOEXEC), 0);
    const std::string binary = staging_dir() + "/ipcbox";
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(err[1], 2);
        execl(binary.c_str(), "ipcbox", "hook", "--deadline", "0.3", nullptr);
        _exit(127);
    }
    close(in[0]);
    close(err[1]);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);  // would hang here without the deadline
    const auto took = std::chrono::steady_clock::now() - start;
    close(in[1]);
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = read(err[0], buf, sizeof buf)) > 0;) text.append(buf, n);
    close(err[0]);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    EXPECT_EQ(text,
              "ipcbox hook: gave up after 300 ms (--deadline): the container is not started\n");
    EXPECT_GE(took, std::chrono::milliseconds(290));
    EXPECT_LT(took, std::chrono::seconds(3));
}

}  // namespace
}  // namespace ipcbox::test
