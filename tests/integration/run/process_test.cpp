// ipcbox run as a process: exit codes, signals, the timeout and the parent's death.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {
namespace {

using Process = AsEachUser;

std::string marker(const std::string& what) {
    return "ipcbox-marker-" + what + "-" + std::to_string(getpid());
}

// Waits until no process carries `m` in its command line; false if one still does after 5 s.
bool gone(const std::string& m) {
    for (int i = 0; i < 500; ++i) {
        if (!process_with_marker_exists(m)) return true;
        usleep(10000);
    }
    return false;
}

TEST_P(Process, CommandExitStatusPassesThrough) {
    EXPECT_EQ(ipcbox({"run", "--", "/bin/sh", "-c", "exit 0"}).exit_code, 0);
    EXPECT_EQ(ipcbox({"run", "--", "/bin/sh", "-c", "exit 7"}).exit_code, 7);
    EXPECT_EQ(ipcbox({"run", "--", "/bin/sh", "-c", "exit 123"}).exit_code, 123);
}

TEST_P(Process, DeathBySignalIs128PlusN) {
    EXPECT_EQ(ipcbox({"run", "--", support("isolation"), "raise", "9"}).exit_code, 128 + 9);
    EXPECT_EQ(ipcbox({"run", "--", support("isolation"), "raise", "15"}).exit_code, 128 + 15);
    EXPECT_EQ(ipcbox({"run", "--pid", "--", support("isolation"), "raise", "9"}).exit_code,
              128 + 9);
}

TEST_P(Process, NotFoundIs127AndNothingRuns) {
    Outcome o = ipcbox({"run", "--", "no-such-command-ipcbox"});
    EXPECT_EQ(o.exit_code, 127);
    EXPECT_EQ(o.err, "ipcbox: no-such-command-ipcbox: command not found\n");
    Outcome path = ipcbox({"run", "--", "/no/such/program"});
    EXPECT_EQ(path.exit_code, 127);
    EXPECT_EQ(path.err, "ipcbox: /no/such/program: No such file or directory\n");
}

TEST_P(Process, NotExecutableIs126) {
    const std::string file = staging_dir() + "/not-executable";
    std::ofstream(file) << "#!/bin/sh\nexit 0\n";
    chmod(file.c_str(), 0644);
    Outcome o = ipcbox({"run", "--", file});
    EXPECT_EQ(o.exit_code, 126);
    EXPECT_EQ(o.err, "ipcbox: " + file + ": Permission denied\n");
    // Executable, but not a format the kernel runs.
    const std::string junk = staging_dir() + "/junk-executable";
    std::ofstream(junk) << "\x7f"
                           "ELF-but-not-really";
    chmod(junk.c_str(), 0755);
    Outcome exec = ipcbox({"run", "--", junk});
    EXPECT_EQ(exec.exit_code, 126);
    EXPECT_EQ(exec.err, "ipcbox: exec " + junk + ": Exec format error\n");
}

TEST_P(Process, SetupFailureIs125WithTheStepAndCommandNeverStarts) {
    // uid_map refuses (uid_t)-1, so the user namespace step fails inside the child.
    const std::string m = staging_dir() + "/" + marker("setup");
    Outcome o = ipcbox({"run", "--user", "new", "--uid", "4294967295", "--", "/bin/touch", m});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_FALSE(std::filesystem::exists(m));
    EXPECT_EQ(o.err.rfind("ipcbox: ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find("uid"), std::string::npos) << o.err;
}

TEST(Unprivileged, NamespacesWithoutAUserNamespaceNeedRoot) {
    Outcome o = run_ipcbox(As::Nobody, {"run", "--user", "host", "--", "/bin/true"});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_EQ(o.err,
              "ipcbox: create namespaces: Operation not permitted\n"
              "ipcbox: hint: without a user namespace only root may create namespaces; use user = "
              "\"auto\"\n");
}

TEST_P(Process, SignalsReachTheCommand) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) {
        for (bool pid_ns : {false, true}) {
            std::vector<std::string> argv{staging_dir() + "/ipcbox", "run"};
            if (pid_ns) argv.push_back("--pid");
            argv.insert(argv.end(), {"--", support("isolation"), "wait-signal"});
            Spawned box(who(), argv);
            ASSERT_TRUE(box.wait_for_output("ready")) << "signal " << sig;
            box.send(sig);
            Outcome o = box.wait();
            EXPECT_EQ(o.exit_code, 100 + sig) << "signal " << sig << " pid ns " << pid_ns << o.err;
        }
    }
}

TEST_P(Process, TimeoutKillsTheWholeTreeAndExits124) {
    for (bool pid_ns : {false, true}) {
        const std::string m = marker(pid_ns ? "timeout-pid" : "timeout");
        // A grandchild that escapes into its own session, and a child that ignores SIGTERM.
        const std::string script = "setsid /bin/bash -c 'exec -a " + m +
                                   " sleep 300' & trap '' TERM; exec -a " + m + " sleep 300";
        std::vector<std::string> args{"run", "--timeout", "1"};
        if (pid_ns) args.push_back("--pid");
        args.insert(args.end(), {"--", "/bin/bash", "-c", script});
        auto start = std::chrono::steady_clock::now();
        Outcome o = ipcbox(args);
        auto took = std::chrono::steady_clock::now() - start;
        EXPECT_EQ(o.exit_code, 124) << o.err;
        EXPECT_EQ(o.err,
                  "ipcbox: command timed out after 1s; killed it and everything it started\n");
        EXPECT_LT(took, std::chrono::seconds(10));
        EXPECT_TRUE(gone(m)) << "a process of the sandbox survived the timeout";
    }
}

TEST_P(Process, SandboxDiesWithIpcbox) {
    const std::string m = marker("orphan");
    Spawned box(who(), {staging_dir() + "/ipcbox", "run", "--", "/bin/bash", "-c",
                        "echo ready; exec -a " + m + " sleep 300"});
    ASSERT_TRUE(box.wait_for_output("ready"));
    ASSERT_TRUE(process_with_marker_exists(m));
    box.send(SIGKILL);
    box.wait();
    EXPECT_TRUE(gone(m));
}

TEST_P(Process, PidNamespaceGivesAFreshProcAndReapsOrphans) {
    // The command is pid 2 under ipcbox's init; an orphan it leaves is reaped, not a zombie.
    const std::string script =
        "echo $$; (sleep 0.1 &); sleep 0.5; grep -l '^State:.*Z' /proc/[0-9]*/status | wc -l; "
        "ls -d /proc/[0-9]* | wc -l";
    Outcome o = ipcbox({"run", "--pid", "--", "/bin/sh", "-c", script});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    // pid 2; no zombie; only init, the shell and the two pipelines' processes are in /proc.
    EXPECT_EQ(o.out.substr(0, 4), "2\n0\n") << o.out;
}

TEST_P(Process, NetAndUtsNamespacesOnRequest) {
    Outcome net = ipcbox({"run", "--net", "--", support("isolation"), "links"});
    ASSERT_EQ(net.exit_code, 0) << net.err;
    EXPECT_EQ(net.out, "lo:up\n");
    Outcome shared = ipcbox({"run", "--", support("isolation"), "links"});
    EXPECT_NE(shared.out, "lo:up\n");  // control: without --net the host's interfaces show
    Outcome uts = ipcbox({"run", "--hostname", "ipcbox-test", "--", "/bin/hostname"});
    EXPECT_EQ(uts.out, "ipcbox-test\n");
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    EXPECT_NE(std::string(host), "ipcbox-test");
}

TEST_P(Process, AbstractSocketsNeedTheNetNamespace) {
    const std::string name = marker("abstract");
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path + 1, name.data(), name.size());
    socklen_t len = offsetof(sockaddr_un, sun_path) + 1 + name.size();
    ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), len), 0);
    ASSERT_EQ(listen(listener, 8), 0);
    Outcome shared = ipcbox({"run", "--", support("isolation"), "abstract-connect", name});
    Outcome isolated =
        ipcbox({"run", "--net", "--", support("isolation"), "abstract-connect", name});
    close(listener);
    EXPECT_EQ(shared.exit_code, 0) << shared.out;
    EXPECT_EQ(isolated.exit_code, 1);
    EXPECT_EQ(isolated.out, "ECONNREFUSED\n");
}

// The line of --explain's table for `mechanism`.
std::string row(const std::string& out, const std::string& mechanism) {
    auto at = out.find("  " + mechanism + "  ");
    if (at == std::string::npos) return "";
    return out.substr(at, out.find('\n', at) - at);
}

TEST_P(Process, ExplainRunsNothing) {
    const std::string m = staging_dir() + "/" + marker("explain");
    Outcome o = ipcbox({"run", "--explain", "--net", "--", "/bin/touch", m});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_FALSE(std::filesystem::exists(m));
    EXPECT_NE(row(o.out, "sysv.queue").find(" isolated  (new IPC namespace)"), std::string::npos)
        << o.out;
    EXPECT_NE(row(o.out, "unix socket (abstract)").find(" isolated "), std::string::npos) << o.out;
    EXPECT_NE(row(o.out, "tcp (loopback)").find(" isolated "), std::string::npos) << o.out;
    EXPECT_NE(row(o.out, "signals to host processes").find(" shared "), std::string::npos) << o.out;
    EXPECT_NE(row(o.out, "posix.shm").find(" isolated "), std::string::npos) << o.out;
    Outcome host = ipcbox({"run", "--explain", "--dev-shm", "host", "--pid", "--", "/bin/true"});
    EXPECT_NE(row(host.out, "posix.shm").find(" shared "), std::string::npos) << host.out;
    EXPECT_NE(row(host.out, "signals to host processes").find(" isolated "), std::string::npos)
        << host.out;
}

TEST_P(Process, VerboseLogsEachStep) {
    Outcome o = ipcbox({"run", "-v", "--", "/bin/true"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.err.find("ipcbox: [setup] /dev/shm: ok"), std::string::npos) << o.err;
}

INSTANTIATE_TEST_SUITE_P(Run, Process, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
