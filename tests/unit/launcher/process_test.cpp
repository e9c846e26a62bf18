// end_all_children(): what a subreaper records and how it ends what is left, on a real tree of
// processes made by a forked child (the test process itself is never made a subreaper).
#include "launcher/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "base/io.hpp"

namespace ipcbox::launcher {
namespace {

// Forks a process named `name` that says so on `ready` once it ignores SIGTERM (if asked) and
// then waits to be ended. Returns its pid.
pid_t start(const char* name, bool ignore_term, int ready) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    prctl(PR_SET_NAME, name);
    if (ignore_term) signal(SIGTERM, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (write(ready, "x", 1) != 1) _exit(1);
    for (;;) pause();
}

struct Ending {
    std::vector<EndedProcess> ended;
    double millis = 0;
    bool none_left = false;
};

// In a forked subreaper: `make` builds a tree in which `ready_count` processes write a byte on
// `ready` once set up, and returns the child to leave out of the record (or 0); then
// end_all_children(that child, grace) runs. The results come back as JSON.
Ending in_a_subreaper(int ready_count, std::chrono::milliseconds grace, pid_t (*make)(int ready)) {
    int results[2], ready[2];
    if (pipe(results) != 0 || pipe(ready) != 0) return {};
    pid_t reaper = fork();
    if (reaper == 0) {
        close(results[0]);
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        sigset_t chld;
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        sigprocmask(SIG_BLOCK, &chld, nullptr);
        const pid_t unrecorded = make(ready[1]);
        close(ready[1]);
        char byte;
        for (int i = 0; i < ready_count; ++i)
            if (read(ready[0], &byte, 1) != 1) _exit(2);
        const auto start_time = std::chrono::steady_clock::now();
        nlohmann::json out;
        out["ended"] = nlohmann::json::array();
        for (const EndedProcess& p : end_all_children(unrecorded, grace))
            out["ended"].push_back({p.pid, p.name, p.signal});
        out["millis"] =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_time)
                .count();
        out["none_left"] = waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD;
        _exit(write_all(results[1], out.dump()) ? 0 : 1);
    }
    close(results[1]);
    close(ready[0]);
    close(ready[1]);
    auto text = read_to_end(results[0], 1 << 20);
    close(results[0]);
    waitpid(reaper, nullptr, 0);
    Ending run;
    if (!text) return run;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object()) return run;
    for (const auto& p : j["ended"]) run.ended.push_back({p[0], p[1], p[2]});
    run.millis = j["millis"];
    run.none_left = j["none_left"];
    return run;
}

const EndedProcess* find(const std::vector<EndedProcess>& list, const std::string& name) {
    for (const auto& p : list)
        if (p.name == name) return &p;
    return nullptr;
}

TEST(EndAllChildren, TermFirstThenKillAfterTheGraceAndGrandchildrenToo) {
    Ending run = in_a_subreaper(2, std::chrono::milliseconds(300), [](int ready) -> pid_t {
        start("left-polite", false, ready);
        // An orphan-to-be: its parent ends on SIGTERM, and it ignores SIGTERM.
        if (fork() == 0) {
            prctl(PR_SET_NAME, "left-parent");
            start("left-stubborn", true, ready);
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, nullptr);
            for (;;) pause();
        }
        // Exits at once, and is left unreaped: a zombie is not a process left running.
        pid_t zombie = fork();
        if (zombie == 0) _exit(0);
        siginfo_t info;
        waitid(P_PID, zombie, &info, WEXITED | WNOWAIT);
        return 0;
    });
    ASSERT_EQ(run.ended.size(), 3u);
    const EndedProcess* polite = find(run.ended, "left-polite");
    const EndedProcess* parent = find(run.ended, "left-parent");
    const EndedProcess* stubborn = find(run.ended, "left-stubborn");
    ASSERT_TRUE(polite && parent && stubborn);
    EXPECT_EQ(polite->signal, SIGTERM);
    EXPECT_EQ(parent->signal, SIGTERM);
    EXPECT_EQ(stubborn->signal, SIGKILL);  // reached once orphaned, killed after the grace
    EXPECT_GE(run.millis, 300);
    EXPECT_LT(run.millis, 3000);
    EXPECT_TRUE(run.none_left);
}

TEST(EndAllChildren, NoWaitWhenEverythingEndsOnSigterm) {
    Ending run = in_a_subreaper(1, std::chrono::milliseconds(5000), [](int ready) -> pid_t {
        start("left-quick", false, ready);
        return 0;
    });
    ASSERT_EQ(run.ended.size(), 1u);
    EXPECT_EQ(run.ended[0].name, "left-quick");
    EXPECT_EQ(run.ended[0].signal, SIGTERM);
    EXPECT_LT(run.millis, 2000);
    EXPECT_TRUE(run.none_left);
}

TEST(EndAllChildren, TheUnrecordedChildIsEndedButNotListed) {
    Ending run = in_a_subreaper(2, std::chrono::milliseconds(0), [](int ready) -> pid_t {
        pid_t command = start("the-command", false, ready);
        start("left-other", false, ready);
        return command;
    });
    ASSERT_EQ(run.ended.size(), 1u);
    EXPECT_EQ(run.ended[0].name, "left-other");
    EXPECT_EQ(run.ended[0].signal, SIGKILL);  // no grace: straight to SIGKILL
    EXPECT_TRUE(run.none_left);
}

TEST(EndAllChildren, SparedChildrenAreLeftAlone) {
    // The spared child would die of SIGTERM; it must still be there, unreaped, afterwards.
    pid_t reaper = fork();
    if (reaper == 0) {
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        sigset_t chld;
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        sigprocmask(SIG_BLOCK, &chld, nullptr);
        int ready[2];
        if (pipe(ready) != 0) _exit(2);
        const pid_t spared = start("spared", false, ready[1]);
        start("left-other", false, ready[1]);
        char bytes[2];
        for (char& byte : bytes)
            if (read(ready[0], &byte, 1) != 1) _exit(2);
        auto ended = end_all_children(0, std::chrono::milliseconds(200), {spared});
        const bool untouched = waitpid(spared, nullptr, WNOHANG) == 0;
        const bool right = ended.size() == 1 && ended[0].name == "left-other" && untouched;
        kill(spared, SIGKILL);
        waitpid(spared, nullptr, 0);
        _exit(right ? 0 : 1);
    }
    int status = 0;
    waitpid(reaper, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(EndAllChildren, NothingLeftIsNothingToDo) {
    Ending run = in_a_subreaper(0, std::chrono::milliseconds(5000), [](int) -> pid_t { return 0; });
    EXPECT_TRUE(run.ended.empty());
    EXPECT_LT(run.millis, 1000);
    EXPECT_TRUE(run.none_left);
}

}  // namespace
}  // namespace ipcbox::launcher
