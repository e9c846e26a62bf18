// Nothing the command started outlives the run: whatever it left running when it exited (a setsid
// daemon, a double fork) is sent SIGTERM, then SIGKILL after the grace, before ipcbox exits. With
// --pid, SIGKILL of ipcbox itself takes the whole tree down as well.
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

using LeftProcesses = AsEachUser;
using Clock = std::chrono::steady_clock;

std::string marker(const std::string& what) {
    return "ipcbox-left-" + what + "-" + std::to_string(getpid());
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A pidfd on `pid` if that is our test's process (its command line holds `m`), else -1. Checked
// after opening, so the pidfd cannot refer to a process that reused the pid.
int pidfd_of(pid_t pid, const std::string& m) {
    const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) return -1;
    if (read_file("/proc/" + std::to_string(pid) + "/cmdline").find(m) == std::string::npos) {
        close(fd);
        return -1;
    }
    return fd;
}

bool has_exited(int pidfd) {
    pollfd p{pidfd, POLLIN, 0};
    return poll(&p, 1, 0) == 1;
}

struct DaemonRun {
    Outcome ipcbox;
    bool daemon_gone = false;
    Clock::duration after_the_command{};  // from the command's exit to ipcbox's
};

// Runs ipcbox with `flags` on a command that starts `daemon` with setsid in the background
// (`daemon` must leave `m` in its command line), prints its pid, and exits once the test has a
// pidfd on it (and, with `ready`, once the daemon has made that file: its traps are set). Whether
// the daemon is gone is checked on that pidfd the moment ipcbox has exited.
DaemonRun run_leaving(As who, const std::vector<std::string>& flags, const std::string& daemon,
                      const std::string& m, const std::string& ready = "") {
    const std::string go = marker_dir() + "/" + m + "-go";
    std::vector<std::string> argv{staging_dir() + "/ipcbox", "run"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {"--", "/bin/bash", "-c",
                             "setsid " + daemon + " </dev/null & echo $!; while [ ! -e " + go +
                                 " ]; do sleep 0.01; done"});
    DaemonRun run;
    Spawned box(who, argv);
    if (!box.wait_for_output("\n")) return run;
    const pid_t pid = std::stoi(box.out());
    int pidfd = -1;
    for (int i = 0; i < 500 && pidfd < 0; ++i)
        if ((pidfd = pidfd_of(pid, m)) < 0) usleep(10000);
    for (int i = 0; i < 500 && !ready.empty() && access(ready.c_str(), F_OK) != 0; ++i)
        usleep(10000);
    std::ofstream(go).close();
    const auto told = Clock::now();
    run.ipcbox = box.wait();
    run.after_the_command = Clock::now() - told;
    run.daemon_gone = pidfd >= 0 && has_exited(pidfd);
    if (pidfd >= 0) close(pidfd);
    unlink(go.c_str());
    return run;
}

TEST_P(LeftProcesses, ADaemonIsEndedBeforeIpcboxExits) {
    const std::string m = marker("daemon");
    DaemonRun run = run_leaving(who(), {}, "/bin/bash -c 'exec -a " + m + " sleep 300'", m);
    EXPECT_EQ(run.ipcbox.exit_code, 0) << run.ipcbox.err;
    EXPECT_EQ(run.ipcbox.err, "");  // quiet without -v or a leak report
    EXPECT_TRUE(run.daemon_gone);
    // sleep dies of SIGTERM: no grace to wait out.
    EXPECT_LT(run.after_the_command, std::chrono::milliseconds(900));
}

TEST_P(LeftProcesses, SigtermComesFirst) {
    const std::string m = marker("polite");
    const std::string note = marker_dir() + "/" + m + "-term";
    const std::string ready = marker_dir() + "/" + m + "-ready";
    // The daemon says it was asked to stop, and stops.
    DaemonRun run = run_leaving(who(), {"--leak-report"},
                                "/bin/bash -c 'trap \"echo term >" + note + "; exit 0\" TERM; >" +
                                    ready + "; while :; do sleep 0.02; done' " + m,
                                m, ready);
    EXPECT_EQ(run.ipcbox.exit_code, 0) << run.ipcbox.err;
    EXPECT_TRUE(run.daemon_gone);
    EXPECT_EQ(read_file(note), "term\n");
    EXPECT_NE(run.ipcbox.err.find(": ended after SIGTERM\n"), std::string::npos) << run.ipcbox.err;
    unlink(note.c_str());
    unlink(ready.c_str());
}

TEST_P(LeftProcesses, OneThatIgnoresSigtermIsKilledAfterTheGrace) {
    const std::string m = marker("stubborn");
    const std::string ready = marker_dir() + "/" + m + "-ready";
    DaemonRun run = run_leaving(
        who(), {"-v"}, "/bin/bash -c \"trap '' TERM; >" + ready + "; exec -a " + m + " sleep 300\"",
        m, ready);
    unlink(ready.c_str());
    EXPECT_EQ(run.ipcbox.exit_code, 0) << run.ipcbox.err;
    EXPECT_TRUE(run.daemon_gone);
    EXPECT_GE(run.after_the_command, std::chrono::milliseconds(1000));  // the grace
    EXPECT_LT(run.after_the_command, std::chrono::seconds(5));
    EXPECT_NE(run.ipcbox.err.find(" (sleep) left running: killed with SIGKILL after the grace\n"),
              std::string::npos)
        << run.ipcbox.err;
}

TEST_P(LeftProcesses, TheCommandsOwnStatusStays) {
    Outcome o = ipcbox({"run", "--", "/bin/bash", "-c", "setsid sleep 300 </dev/null & exit 7"});
    EXPECT_EQ(o.exit_code, 7) << o.err;
    Outcome killed =
        ipcbox({"run", "--", "/bin/bash", "-c", "setsid sleep 300 </dev/null & kill -USR1 $$"});
    EXPECT_EQ(killed.exit_code, 128 + SIGUSR1) << killed.err;
}

// Waits until no process carries `m` in its command line; false if one still does after 5 s.
bool gone(const std::string& m) {
    for (int i = 0; i < 500; ++i) {
        if (!process_with_marker_exists(m)) return true;
        usleep(10000);
    }
    return false;
}

// Only a pid namespace survives SIGKILL of ipcbox itself: its init dies with ipcbox, and the
// kernel kills everything in the namespace.
TEST_P(LeftProcesses, WithAPidNamespaceSigkillOfIpcboxTakesTheDaemonDown) {
    const std::string m = marker("pidns");
    Spawned box(who(), {staging_dir() + "/ipcbox", "run", "--pid", "--", "/bin/bash", "-c",
                        "setsid bash -c 'exec -a " + m +
                            " sleep 300' </dev/null & d=$!; while [ \"$(cat /proc/$d/comm)\" "
                            "!= sleep ]; do sleep 0.01; done; echo ready; exec sleep 300"});
    ASSERT_TRUE(box.wait_for_output("ready"));
    ASSERT_TRUE(process_with_marker_exists(m));
    box.send(SIGKILL);
    box.wait();
    EXPECT_TRUE(gone(m));
}

INSTANTIATE_TEST_SUITE_P(Run, LeftProcesses, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
