// A signal sent to ipcbox's whole process group (`kill -INT -PGID`, a shell's `kill %1`, a
// service manager that signals the group) reaches the command exactly once, with and without a
// pid namespace; a signal sent to ipcbox alone is passed on, once.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {
namespace {

using SignalGroup = AsEachUser;

TEST_P(SignalGroup, GroupSignalReachesTheCommandOnce) {
    for (bool pid_ns : {false, true}) {
        // setsid(1) makes ipcbox the leader of a new session and process group, as a shell's job
        // or a service is, without a controlling terminal; its pgid is its pid.
        std::vector<std::string> argv{"/usr/bin/setsid", staging_dir() + "/ipcbox", "run"};
        if (pid_ns) argv.push_back("--pid");
        argv.insert(argv.end(), {"--", support("isolation"), "count-sigint"});
        Spawned box(GetParam(), argv);
        ASSERT_TRUE(box.wait_for_output("ready")) << "pid ns " << pid_ns;
        const std::string group = "-" + std::to_string(box.pid());
        // Twice to the group, from a process of the test's own (as a shell's `kill %1` is), then
        // once to ipcbox alone; each given time to arrive (and, wrongly, to be passed on too).
        for (int round = 0; round < 2; ++round) {
            Outcome sent = run_program(
                GetParam(), {support("isolation"), "kill", group, std::to_string(SIGINT)});
            ASSERT_EQ(sent.exit_code, 0) << sent.err;
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
        box.send(SIGINT);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        box.send(SIGUSR2);  // the command exits with 100 + the number of SIGINTs it received
        Outcome o = box.wait();
        EXPECT_EQ(o.exit_code, 103) << "pid ns " << pid_ns << ": " << o.err;
    }
}

INSTANTIATE_TEST_SUITE_P(Run, SignalGroup, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
