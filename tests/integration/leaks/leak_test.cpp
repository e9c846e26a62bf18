// The leak report of `ipcbox run`: objects a command creates or changes, and processes it leaves
// running, are listed (on stderr or as JSON in a file), preseeded objects left alone are not leaks,
// --fail-on-leak turns a leak into exit 123, and the sandbox's namespaces are released afterwards.
#include <dirent.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/ls/ls_support.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

using nlohmann::json;
using Leaks = AsEachUser;

std::vector<std::string> make(const std::vector<std::string>& ops) {
    std::vector<std::string> argv{support("ipcmake")};
    argv.insert(argv.end(), ops.begin(), ops.end());
    return argv;
}

std::vector<std::string> args(std::vector<std::string> flags, const std::vector<std::string>& cmd) {
    flags.insert(flags.begin(), "run");
    flags.push_back("--");
    flags.insert(flags.end(), cmd.begin(), cmd.end());
    return flags;
}

// A report file the unprivileged runs can write; removed by the test.
std::string report_path(const std::string& name) {
    const std::string path = marker_dir() + "/" + name + "-" + std::to_string(getpid()) + ".json";
    unlink(path.c_str());
    return path;
}

bool has_row(const std::string& text, const std::string& pattern) {
    return std::regex_search(text, std::regex(pattern));
}

TEST_P(Leaks, LeakingCommandIsCaught) {
    Outcome o = ipcbox(args({"--leak-report"}, make({"msgq", "0x4c21", "hi", ",", "mq", "/left"})));
    ASSERT_EQ(o.exit_code, 0) << o.err;  // no --fail-on-leak: the command's status
    EXPECT_NE(o.err.find("ipcbox: leak report: 2 created, 0 changed, 0 preseeded and unchanged, 0 "
                         "preseeded and removed, 0 processes left running\n"),
              std::string::npos)
        << o.err;
    EXPECT_TRUE(has_row(o.err,
                        "\ncreated +sysv\\.queue +0x00004c21 +[0-9]+ +0640 +0:0 +0:0 +1 msgs, "
                        "2 bytes "))
        << o.err;
    EXPECT_TRUE(has_row(o.err, "\ncreated +posix\\.queue +/left +- +0640 +0:0 +- +0 msgs, 0 bytes"))
        << o.err;
}

// A command that is not root inside its user namespace (only its uid is mapped there): the check
// joins that namespace as the id it maps, and owners read as the command sees them.
TEST_P(Leaks, ANonRootInsideUidIsChecked) {
    Outcome o = ipcbox(args({"--user", "new", "--uid", "1000", "--gid", "1000", "--leak-report"},
                            make({"msgq", "0x4c2a", "hi"})));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.err.find("ipcbox: leak report: 1 created, 0 changed"), std::string::npos) << o.err;
    EXPECT_TRUE(has_row(o.err,
                        "\ncreated +sysv\\.queue +0x00004c2a +[0-9]+ +0640 +1000:1000 "
                        "+1000:1000 +1 msgs, 2 bytes "))
        << o.err;
}

TEST_P(Leaks, EveryKindInTheJsonFile) {
    const std::string file = report_path("every-kind");
    Outcome o = ipcbox(
        args({"--leak-report=" + file},
             make({"msgq", "0x4c22", ",", "sem",  "0x4c23", "2",  ",", "shm",  "0x4c24", "100", ",",
                   "mq",   "/q",     ",", "pshm", "/m",     "10", ",", "psem", "/s",     "3"})));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.err, "");  // the report went to the file
    json r = parse_json(read_text(file));
    unlink(file.c_str());
    ASSERT_TRUE(r.is_object()) << r;
    EXPECT_EQ(r["version"], 1);
    EXPECT_EQ(r["command_exit_code"], 0);
    EXPECT_EQ(r["leaked"], true);
    EXPECT_EQ(r["counts"],
              json::parse(R"({"created":6,"changed":0,"preseeded":0,"removed":0,"processes":0})"));
    ASSERT_EQ(r["objects"].size(), 6u) << r.dump(2);
    for (const auto& obj : r["objects"]) EXPECT_EQ(obj["status"], "created") << obj;
    EXPECT_EQ(find_object(r["objects"], "sysv.queue", "0x00004c22")["messages"], 0);
    EXPECT_EQ(find_object(r["objects"], "sysv.semaphore", "0x00004c23")["nsems"], 2);
    EXPECT_EQ(find_object(r["objects"], "sysv.shm", "0x00004c24")["size"], 100);
    EXPECT_EQ(find_object(r["objects"], "posix.queue", "/q")["max_messages"], 4);
    EXPECT_EQ(find_object(r["objects"], "posix.shm", "/m")["size"], 10);
    EXPECT_EQ(find_object(r["objects"], "posix.semaphore", "/s")["value"], 3);
}

TEST_P(Leaks, CleanCommandIsNotCaught) {
    const std::string spec = write_spec(kEveryKindSpec);
    Outcome o = ipcbox(args({"-c", spec, "--leak-report", "--fail-on-leak"}, {"/bin/true"}));
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.err.find("ipcbox: leak report: 0 created, 0 changed, 6 preseeded and unchanged, 0 "
                         "preseeded and removed, 0 processes left running\n"),
              std::string::npos)
        << o.err;
    EXPECT_TRUE(has_row(o.err, "\npreseeded +sysv\\.queue +0x00004c01 ")) << o.err;
    EXPECT_TRUE(has_row(o.err, "\npreseeded +posix\\.semaphore +/lock ")) << o.err;
    EXPECT_EQ(o.err.find("\ncreated"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("\nchanged"), std::string::npos) << o.err;

    Outcome nothing = ipcbox(args({"--fail-on-leak"}, {"/bin/true"}));
    EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
    EXPECT_EQ(nothing.err,
              "ipcbox: leak report: 0 created, 0 changed, 0 preseeded and unchanged, "
              "0 preseeded and removed, 0 processes left running\n");
}

TEST_P(Leaks, UsingAPreseededObjectAndLeavingItAsItWasIsNoChange) {
    // A lock taken and released, a message taken and put back: times and pids change, the state a
    // later user finds does not.
    const std::string spec = write_spec(R"(
[[sysv.queue]]
key = 0x4c31
messages = [{ type = 1, text = "token" }]
[[sysv.semaphore]]
key = 0x4c32
values = [1]
)");
    Outcome used = ipcbox(args({"-c", spec, "--leak-report", "--fail-on-leak"},
                               make({"semuse", "0x4c32", ",", "msgecho", "0x4c31"})));
    EXPECT_EQ(used.exit_code, 0) << used.out << used.err;
    EXPECT_NE(used.err.find(" 0 created, 0 changed, 2 preseeded and unchanged"), std::string::npos)
        << used.err;

    Outcome posted = ipcbox(args({"-c", spec, "--leak-report", "--fail-on-leak"},
                                 {support("ipcread"), "try", "semop", "0x4c32"}));
    EXPECT_EQ(posted.exit_code, 123) << posted.out << posted.err;
    EXPECT_TRUE(has_row(posted.err, "\nchanged +sysv\\.semaphore +0x00004c32 .* values 1 -> 2\n"))
        << posted.err;
}

TEST_P(Leaks, ConsumedMessagesAreChanges) {
    const std::string spec = write_spec(kEveryKindSpec);
    const std::string file = report_path("consumed");
    Outcome o = ipcbox(args({"-c", spec, "--leak-report=" + file, "--fail-on-leak"},
                            {support("ipcread"), "msgrcv", "0x4c01", ",", "mqread", "/jobs"}));
    EXPECT_EQ(o.exit_code, 123) << o.out << o.err;
    json r = parse_json(read_text(file));
    unlink(file.c_str());
    ASSERT_TRUE(r.is_object()) << r;
    EXPECT_EQ(r["counts"],
              json::parse(R"({"created":0,"changed":2,"preseeded":4,"removed":0,"processes":0})"));
    json q = find_object(r["objects"], "sysv.queue", "0x00004c01");
    EXPECT_EQ(q["status"], "changed");
    EXPECT_EQ(q["changes"], json::parse(R"(["messages 2 -> 0", "bytes 11 -> 0"])"));
    json mq = find_object(r["objects"], "posix.queue", "/jobs");
    EXPECT_EQ(mq["status"], "changed");
    EXPECT_EQ(mq["changes"], json::parse(R"(["messages 1 -> 0", "bytes 6 -> 0"])"));
    EXPECT_EQ(find_object(r["objects"], "sysv.shm", "0x00004c03")["status"], "preseeded");
}

TEST_P(Leaks, ChangedContentsAreSeenAtTheSameSize) {
    const std::string spec = write_spec(R"(
[[posix.shm]]
name = "/frame"
size = 4
text = "abcd"
)");
    Outcome o = ipcbox(
        args({"-c", spec, "--leak-report"}, {"/bin/sh", "-c", "printf wxyz >/dev/shm/frame"}));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_TRUE(has_row(o.err, "\nchanged +posix\\.shm +/frame .* contents differ\n")) << o.err;
}

TEST_P(Leaks, RemovedPreseededObjectsAreNoLeak) {
    const std::string spec = write_spec(R"(
[[posix.shm]]
name = "/frame"
size = 4
)");
    Outcome o = ipcbox(
        args({"-c", spec, "--leak-report", "--fail-on-leak"}, {"/bin/rm", "/dev/shm/frame"}));
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.err.find(" 0 preseeded and unchanged, 1 preseeded and removed, 0 processes"),
              std::string::npos)
        << o.err;
    EXPECT_NE(o.err.find("\nremoved: posix.shm /frame\n"), std::string::npos) << o.err;
}

TEST_P(Leaks, ExitCodes) {
    const auto leak = make({"shm", "0x4c41", "64"});
    EXPECT_EQ(ipcbox(args({"--fail-on-leak"}, leak)).exit_code, 123);
    EXPECT_EQ(ipcbox(args({"--leak-report"}, leak)).exit_code, 0);
    EXPECT_EQ(ipcbox(args({}, leak)).exit_code, 0);
    // A failing command's own status wins over the leak.
    Outcome failed =
        ipcbox(args({"--fail-on-leak"}, {"/bin/sh", "-c", leak[0] + " shm 1 64; exit 3"}));
    EXPECT_EQ(failed.exit_code, 3);
    EXPECT_NE(failed.err.find("1 created"), std::string::npos) << failed.err;
    // From the spec as well.
    const std::string spec = write_spec("[leaks]\nreport = \"stderr\"\nfail = true\n");
    Outcome from_spec = ipcbox(args({"-c", spec}, leak));
    EXPECT_EQ(from_spec.exit_code, 123);
    EXPECT_NE(from_spec.err.find("1 created"), std::string::npos) << from_spec.err;
    // A timeout keeps 124, and the objects are still reported.
    Outcome timeout = ipcbox(args({"--timeout", "1", "--fail-on-leak"},
                                  {"/bin/sh", "-c", leak[0] + " shm 2 64; exec sleep 30"}));
    EXPECT_EQ(timeout.exit_code, 124);
    EXPECT_NE(timeout.err.find("1 created"), std::string::npos) << timeout.err;
}

TEST_P(Leaks, WithAPidNamespace) {
    Outcome o = ipcbox(args({"--pid", "--fail-on-leak"}, make({"msgq", "0x4c51"})));
    EXPECT_EQ(o.exit_code, 123) << o.err;
    EXPECT_TRUE(has_row(o.err, "\ncreated +sysv\\.queue +0x00004c51 ")) << o.err;
}

TEST_P(Leaks, SharedDevShmIsNoted) {
    Outcome o = ipcbox(args({"--dev-shm", "host", "--leak-report"}, {"/bin/true"}));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.err.find("\nnote: posix.shm, posix.semaphore: the host's /dev/shm, shared with the "
                         "sandbox: objects there outlive the run"),
              std::string::npos)
        << o.err;
}

// Whether any process has `ns` ("ipc:[N]") as its namespace or holds an fd to it.
bool namespace_in_use(const std::string& ns) {
    for (const auto& proc : std::filesystem::directory_iterator("/proc")) {
        const std::string pid = proc.path().filename();
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        std::error_code ec;
        if (std::filesystem::read_symlink(proc.path() / "ns/ipc", ec).string() == ns) return true;
        for (const auto& fd : std::filesystem::directory_iterator(proc.path() / "fd", ec)) {
            if (std::filesystem::read_symlink(fd.path(), ec).string() == ns) return true;
        }
    }
    return false;
}

// Nothing ipcbox started for the report (inventory helpers, the kept handles) survives it.
TEST_P(Leaks, NamespacesAreReleasedAfterTheReport) {
    Outcome o = ipcbox(args(
        {"--leak-report"},
        {"/bin/sh", "-c", "readlink /proc/self/ns/ipc; " + support("ipcmake") + " msgq 0x4c61"}));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const std::string ns = o.out.substr(0, o.out.find('\n'));
    ASSERT_EQ(ns.rfind("ipc:[", 0), 0u) << o.out;
    EXPECT_NE(o.err.find("1 created"), std::string::npos) << o.err;
    EXPECT_FALSE(namespace_in_use(ns));
}

// A command that starts `sleep` with setsid in the background, waits until it runs, prints its pid
// (as the command sees it) and exits with `status`.
std::vector<std::string> leave_a_daemon(int status = 0) {
    return {"/bin/bash", "-c",
            "setsid sleep 300 </dev/null & d=$!; while [ \"$(cat /proc/$d/comm)\" != sleep ]; do "
            "sleep 0.01; done; echo $d; exit " +
                std::to_string(status)};
}

TEST_P(Leaks, ProcessesLeftRunningAreListedAndAreLeaks) {
    for (bool pid_ns : {false, true}) {
        const std::string file = report_path(pid_ns ? "daemon-pid" : "daemon");
        std::vector<std::string> flags{"--leak-report=" + file, "--fail-on-leak"};
        if (pid_ns) flags.push_back("--pid");
        Outcome o = ipcbox(args(flags, leave_a_daemon()));
        EXPECT_EQ(o.exit_code, 123) << o.err;
        json r = parse_json(read_text(file));
        unlink(file.c_str());
        ASSERT_TRUE(r.is_object()) << r;
        EXPECT_EQ(r["leaked"], true);
        EXPECT_EQ(r["counts"]["processes"], 1) << r.dump(2);
        EXPECT_EQ(r["counts"]["created"], 0);
        ASSERT_EQ(r["processes"].size(), 1u) << r.dump(2);
        // With --pid too, the pid is the one the command saw.
        EXPECT_EQ(r["processes"][0],
                  json({{"pid", std::stoi(o.out)}, {"name", "sleep"}, {"signal", "SIGTERM"}}))
            << "pid ns " << pid_ns;
    }
}

TEST_P(Leaks, ProcessesLeftRunningOnStderrAndExitCodes) {
    Outcome o = ipcbox(args({"--leak-report"}, leave_a_daemon()));
    EXPECT_EQ(o.exit_code, 0) << o.err;  // no --fail-on-leak: the command's status
    EXPECT_NE(o.err.find(" 0 preseeded and removed, 1 process left running\nprocess: " +
                         std::to_string(std::stoi(o.out)) + " sleep: ended after SIGTERM\n"),
              std::string::npos)
        << o.err;
    EXPECT_EQ(ipcbox(args({"--fail-on-leak"}, leave_a_daemon(3))).exit_code, 3);
    EXPECT_EQ(ipcbox(args({}, leave_a_daemon())).exit_code, 0);
}

TEST_P(Leaks, ADaemonNoLongerHoldsTheNamespaces) {
    for (bool report : {false, true}) {
        std::vector<std::string> flags;
        if (report) flags.push_back("--leak-report");
        Outcome o = ipcbox(args(flags, {"/bin/bash", "-c",
                                        "readlink /proc/self/ns/ipc; " + support("ipcmake") +
                                            " msgq 0x4c71; setsid sleep 300 </dev/null &"}));
        ASSERT_EQ(o.exit_code, 0) << o.err;
        const std::string ns = o.out.substr(0, o.out.find('\n'));
        ASSERT_EQ(ns.rfind("ipc:[", 0), 0u) << o.out;
        EXPECT_FALSE(namespace_in_use(ns)) << "with a report: " << report;
    }
}

INSTANTIATE_TEST_SUITE_P(, Leaks, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
