// Runs the real ipcbox binary, as root or as an unprivileged user, and captures what it did.
// The binary and the support programs are staged once per test process in a world-readable
// temporary directory, so the unprivileged runs work even when the checkout is not reachable.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/common/skip.hpp"

namespace ipcbox::test {

enum class As { Root, Nobody };
std::string as_name(const ::testing::TestParamInfo<As>& info);  // for INSTANTIATE_TEST_SUITE_P

struct Outcome {
    int exit_code = -1;  // exit status, or 128 + signal
    std::string out;
    std::string err;
};

// ipcbox <args...> as `who`, with `stdin_data` on standard input; waits at most `limit_seconds`.
Outcome run_ipcbox(As who, const std::vector<std::string>& args, const std::string& stdin_data = "",
                   int limit_seconds = 60);
// Any program, as `who` (for checks outside the sandbox).
Outcome run_program(As who, const std::vector<std::string>& argv,
                    const std::string& stdin_data = "", int limit_seconds = 60);

// A process started in the background (ipcbox or anything else), owned by the test: the only
// process a test may signal.
class Spawned {
  public:
    Spawned(As who, const std::vector<std::string>& argv);
    ~Spawned();  // kills and reaps the process if the test did not wait for it
    Spawned(const Spawned&) = delete;
    Spawned& operator=(const Spawned&) = delete;
    pid_t pid() const { return pid_; }
    // Reads stdout until it contains `text` (true) or the limit passes (false).
    bool wait_for_output(const std::string& text, int limit_seconds = 20);
    const std::string& out() const { return out_; }
    void send(int sig);
    // Waits for exit (killing it after `limit_seconds`); the rest of stdout/stderr is collected.
    Outcome wait(int limit_seconds = 30);

  private:
    pid_t pid_ = -1;
    int out_fd_ = -1, err_fd_ = -1;
    std::string out_, err_;
    bool reaped_ = false;
};

// True when some process's command line contains `marker` (to find a test's own descendants).
bool process_with_marker_exists(const std::string& marker);

// Path of a staged support program built from tests/support/<name>.cpp.
std::string support(const std::string& name);
// Writes `toml` to a fresh world-readable file in the staging directory; returns its path.
std::string write_spec(const std::string& toml);
// The staging directory (world-readable, removed at exit).
const std::string& staging_dir();

// The uid/gid of As::Nobody.
inline constexpr unsigned kNobody = 65534;

// Skips (or fails under IPCBOX_STRICT=1) when unprivileged user namespaces do not work here.
#define IPCBOX_REQUIRE_USERNS()                                                                  \
    do {                                                                                         \
        if (!::ipcbox::test::userns_available()) IPCBOX_SKIP("user namespaces are unavailable"); \
    } while (0)
bool userns_available();

// Parameterised fixture: every test runs once as root and once as nobody.
class AsEachUser : public ::testing::TestWithParam<As> {
  protected:
    void SetUp() override {
        if (GetParam() == As::Nobody) IPCBOX_REQUIRE_USERNS();
    }
    As who() const { return GetParam(); }
    Outcome ipcbox(const std::vector<std::string>& args, const std::string& stdin_data = "") {
        return run_ipcbox(GetParam(), args, stdin_data);
    }
};

}  // namespace ipcbox::test
