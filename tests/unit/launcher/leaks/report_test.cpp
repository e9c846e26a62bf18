// The leak report's comparison with the preseed snapshot, its exit code and its two formats.
#include "launcher/leaks/report.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include "launcher/exit_codes.hpp"
#include "launcher/leaks/check.hpp"
#include "launcher/run/options.hpp"

namespace ipcbox::launcher {
namespace {

using config::IpcKind;
using ipc::IpcObject;

IpcObject sysv(IpcKind kind, int id, key_t key) {
    IpcObject o;
    o.kind = kind;
    o.id = id;
    o.key = key;
    o.mode = 0600;
    return o;
}

IpcObject posix(IpcKind kind, const std::string& name) {
    IpcObject o;
    o.kind = kind;
    o.name = name;
    o.mode = 0600;
    return o;
}

ipc::Inventory inventory(std::vector<IpcObject> objects) {
    ipc::Inventory inv;
    inv.objects = std::move(objects);
    return inv;
}

TEST(LeakReport, StatusOfEachObject) {
    IpcObject queue = sysv(IpcKind::SysvQueue, 0, 0x10);
    queue.messages = 2;
    queue.size = 11;
    queue.digest = "a";
    IpcObject lock = posix(IpcKind::PosixSemaphore, "/lock");
    lock.values = std::vector<int>{1};
    IpcObject gone = posix(IpcKind::PosixShm, "/gone");

    IpcObject queue_after = queue;
    queue_after.messages = 1;
    queue_after.size = 6;
    queue_after.digest = "b";
    queue_after.recv_time = 99;  // times are not compared
    IpcObject lock_after = lock;
    lock_after.modify_time = 5;
    IpcObject made = sysv(IpcKind::SysvShm, 3, 0);

    LeakReport r = compare_inventories(inventory({queue, lock, gone}),
                                       inventory({queue_after, lock_after, made}), 0);
    ASSERT_EQ(r.entries.size(), 3u);
    EXPECT_EQ(r.entries[0].status, LeakStatus::Changed);
    EXPECT_EQ(r.entries[0].changes, (std::vector<std::string>{"messages 2 -> 1", "bytes 11 -> 6"}));
    EXPECT_EQ(r.entries[1].status, LeakStatus::Preseeded);
    EXPECT_TRUE(r.entries[1].changes.empty());
    EXPECT_EQ(r.entries[2].status, LeakStatus::Created);
    ASSERT_EQ(r.removed.size(), 1u);
    EXPECT_EQ(r.removed[0].name, "/gone");
    EXPECT_EQ(r.count(LeakStatus::Created), 1u);
    EXPECT_EQ(r.count(LeakStatus::Changed), 1u);
    EXPECT_EQ(r.count(LeakStatus::Preseeded), 1u);
    EXPECT_TRUE(r.leaked());
}

TEST(LeakReport, SysvObjectsMatchByIdAndKey) {
    // Same key, new id: the preseeded object was removed and another made in its place.
    LeakReport r = compare_inventories(inventory({sysv(IpcKind::SysvQueue, 0, 0x10)}),
                                       inventory({sysv(IpcKind::SysvQueue, 32768, 0x10)}), 0);
    ASSERT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.entries[0].status, LeakStatus::Created);
    EXPECT_EQ(r.removed.size(), 1u);
    // Same id and key but another kind is another object.
    r = compare_inventories(inventory({sysv(IpcKind::SysvQueue, 0, 0x10)}),
                            inventory({sysv(IpcKind::SysvShm, 0, 0x10)}), 0);
    EXPECT_EQ(r.entries[0].status, LeakStatus::Created);
}

TEST(LeakReport, DescribedChanges) {
    IpcObject a = sysv(IpcKind::SysvSemaphore, 1, 2);
    a.values = std::vector<int>{1, 0};
    IpcObject b = a;
    b.mode = 0644;
    b.uid = 5;
    b.values = std::vector<int>{0, 0};
    EXPECT_EQ(
        describe_changes(a, b),
        (std::vector<std::string>{"mode 0600 -> 0644", "owner 0:0 -> 5:0", "values 1 0 -> 0 0"}));
    IpcObject shm = posix(IpcKind::PosixShm, "/f");
    shm.size = 10;
    shm.digest = "x";
    IpcObject rewritten = shm;
    rewritten.digest = "y";
    EXPECT_EQ(describe_changes(shm, rewritten), (std::vector<std::string>{"contents differ"}));
    rewritten.size = 20;
    EXPECT_EQ(describe_changes(shm, rewritten), (std::vector<std::string>{"size 10 -> 20"}));
    IpcObject sem = posix(IpcKind::PosixSemaphore, "/s");
    IpcObject taken = sem;
    sem.values = std::vector<int>{1};
    taken.values = std::vector<int>{0};
    EXPECT_EQ(describe_changes(sem, taken), (std::vector<std::string>{"value 1 -> 0"}));
}

TEST(LeakReport, ExitCode) {
    config::Leaks fail{config::LeakOutput::Stderr, "", true};
    config::Leaks report_only{config::LeakOutput::Stderr, "", false};
    LeakReport clean = compare_inventories(inventory({}), inventory({}), 0);
    LeakReport leaked =
        compare_inventories(inventory({}), inventory({sysv(IpcKind::SysvShm, 0, 0)}), 0);
    LeakReport preseeded = compare_inventories(inventory({sysv(IpcKind::SysvShm, 0, 0)}),
                                               inventory({sysv(IpcKind::SysvShm, 0, 0)}), 0);
    EXPECT_EQ(leak_exit_code(fail, clean), 0);
    EXPECT_EQ(leak_exit_code(fail, leaked), kExitLeaked);
    EXPECT_EQ(leak_exit_code(fail, preseeded), 0);  // left as preseeded: not a leak
    EXPECT_EQ(leak_exit_code(report_only, leaked), 0);
    leaked.command_exit_code = 3;  // a failing command's own status wins
    EXPECT_EQ(leak_exit_code(fail, leaked), 3);
    leaked.command_exit_code = kExitTimeout;
    EXPECT_EQ(leak_exit_code(fail, leaked), kExitTimeout);
    // A process left running is a leak as well.
    clean.processes.push_back({4242, "sleep", SIGTERM});
    EXPECT_TRUE(clean.leaked());
    EXPECT_EQ(leak_exit_code(fail, clean), kExitLeaked);
    EXPECT_EQ(leak_exit_code(report_only, clean), 0);
}

TEST(LeakReport, Json) {
    IpcObject before = posix(IpcKind::PosixQueue, "/jobs");
    before.messages = 1;
    IpcObject after = before;
    after.messages = 0;
    LeakReport r = compare_inventories(inventory({before, posix(IpcKind::PosixShm, "/gone")}),
                                       inventory({after}), 0);
    r.notes.push_back("n");
    nlohmann::json j = leak_json(r);
    EXPECT_EQ(j["version"], 1);
    EXPECT_EQ(j["command_exit_code"], 0);
    EXPECT_EQ(j["leaked"], true);
    EXPECT_EQ(j["counts"],
              nlohmann::json::parse(
                  R"({"created":0,"changed":1,"preseeded":0,"removed":1,"processes":0})"));
    EXPECT_EQ(j["processes"], nlohmann::json::array());
    EXPECT_EQ(j["notes"], nlohmann::json::parse(R"(["n"])"));
    ASSERT_EQ(j["objects"].size(), 1u);
    EXPECT_EQ(j["objects"][0]["kind"], "posix.queue");
    EXPECT_EQ(j["objects"][0]["name"], "/jobs");
    EXPECT_EQ(j["objects"][0]["status"], "changed");
    EXPECT_EQ(j["objects"][0]["changes"], nlohmann::json::parse(R"(["messages 1 -> 0"])"));
    ASSERT_EQ(j["removed"].size(), 1u);
    EXPECT_EQ(j["removed"][0]["name"], "/gone");
}

TEST(LeakReport, Table) {
    LeakReport r =
        compare_inventories(inventory({}), inventory({sysv(IpcKind::SysvQueue, 7, 0x42)}), 0);
    const std::string table = leak_table(r);
    EXPECT_EQ(table.rfind("ipcbox: leak report: 1 created, 0 changed, 0 preseeded and unchanged, 0 "
                          "preseeded and removed, 0 processes left running\nSTATUS ",
                          0),
              0u)
        << table;
    EXPECT_NE(table.find("\ncreated  sysv.queue  0x00000042  7   0600"), std::string::npos)
        << table;
}

TEST(LeakReport, ProcessesLeftRunning) {
    LeakReport r = compare_inventories(inventory({}), inventory({}), 0);
    r.processes = {{41, "postgres", SIGTERM}, {42, "stubborn", SIGKILL}, {43, "child", 0}};
    EXPECT_TRUE(r.leaked());
    const std::string table = leak_table(r);
    EXPECT_EQ(table,
              "ipcbox: leak report: 0 created, 0 changed, 0 preseeded and unchanged, 0 preseeded "
              "and removed, 3 processes left running\n"
              "process: 41 postgres: ended after SIGTERM\n"
              "process: 42 stubborn: killed with SIGKILL after the grace\n"
              "process: 43 child: ended before ipcbox sent it a signal\n");
    r.processes.resize(1);
    EXPECT_NE(leak_table(r).find(", 1 process left running\n"), std::string::npos);

    nlohmann::json j = leak_json(r);
    EXPECT_EQ(j["leaked"], true);
    EXPECT_EQ(j["counts"]["processes"], 1);
    EXPECT_EQ(j["processes"],
              nlohmann::json::parse(R"([{"pid":41,"name":"postgres","signal":"SIGTERM"}])"));
}

// Names come from inside the sandbox: a shm name or a process name (comm) with a newline or an
// ESC sequence cannot forge a line of the report nor reach the terminal; JSON keeps them exact.
TEST(LeakReport, NamesFromTheSandboxCannotForgeLinesOrEscapes) {
    const std::string forged = "/x\nprocess: 1 init: ended after SIGTERM\x1b[2J";
    LeakReport r =
        compare_inventories(inventory({}), inventory({posix(IpcKind::PosixShm, forged)}), 0);
    r.processes = {{41, "evil\n\x1b]0;title\x07", SIGTERM}};
    r.notes = {"note with\nipcbox: forged"};
    const std::string table = leak_table(r);
    EXPECT_EQ(table.find('\x1b'), std::string::npos) << table;
    EXPECT_EQ(table.find("\nprocess: 1 init"), std::string::npos) << table;
    EXPECT_EQ(table.find("\nipcbox: forged"), std::string::npos) << table;
    EXPECT_NE(table.find("/x\\x0aprocess: 1 init: ended after SIGTERM\\x1b[2J"), std::string::npos)
        << table;
    EXPECT_NE(table.find("process: 41 evil\\x0a\\x1b]0;title\\x07: ended after SIGTERM\n"),
              std::string::npos)
        << table;
    EXPECT_NE(table.find("note: note with\\x0aipcbox: forged\n"), std::string::npos) << table;
    const nlohmann::json j = leak_json(r);
    EXPECT_EQ(j["objects"][0]["name"], forged);
    EXPECT_EQ(j["processes"][0]["name"], "evil\n\x1b]0;title\x07");
}

TEST(LeakReport, ProcessesRoundTripThroughJson) {
    const std::vector<EndedProcess> sent{{7, "a b", SIGKILL}, {8, "", 0}, {9, "x", SIGTERM}};
    const auto back = processes_from_json(processes_json(sent));
    ASSERT_EQ(back.size(), 3u);
    for (size_t i = 0; i < sent.size(); ++i) {
        EXPECT_EQ(back[i].pid, sent[i].pid);
        EXPECT_EQ(back[i].name, sent[i].name);
        EXPECT_EQ(back[i].signal, sent[i].signal);
    }
    EXPECT_EQ(processes_json(sent)[1]["signal"], nullptr);
    // What is not understood is skipped, not trusted.
    EXPECT_TRUE(processes_from_json(nlohmann::json::parse(R"({"pid":1})")).empty());
    EXPECT_EQ(processes_from_json(nlohmann::json::parse(R"([{"name":"x"},{"pid":3}])")).size(), 1u);
}

TEST(LeakOptions, FlagsSetTheSpec) {
    auto bare = parse_run_options({"--leak-report", "/bin/true"});
    ASSERT_TRUE(bare) << bare.error().message;
    EXPECT_EQ(bare->leak_report, config::LeakOutput::Stderr);
    EXPECT_EQ(bare->command, (std::vector<std::string>{"/bin/true"}));  // not taken as a PATH

    auto file = parse_run_options({"--leak-report=out.json", "--fail-on-leak", "x"});
    ASSERT_TRUE(file) << file.error().message;
    config::Spec spec;
    apply_overrides(spec, *file);
    EXPECT_EQ(spec.leaks.report, config::LeakOutput::File);
    EXPECT_EQ(spec.leaks.path, "out.json");
    EXPECT_TRUE(spec.leaks.fail);
    EXPECT_TRUE(spec.leaks.wanted());

    auto off = parse_run_options({"--leak-report=off", "x"});
    ASSERT_TRUE(off);
    config::Spec from_file;
    from_file.leaks.report = config::LeakOutput::Stderr;
    apply_overrides(from_file, *off);
    EXPECT_EQ(from_file.leaks.report, config::LeakOutput::Off);
    EXPECT_FALSE(from_file.leaks.wanted());

    EXPECT_FALSE(parse_run_options({"--leak-report=", "x"}));
}

TEST(LeakOptions, FailAloneReportsOnStderr) {
    config::Spec spec;
    spec.leaks.fail = true;
    EXPECT_TRUE(spec.leaks.wanted());
    EXPECT_EQ(describe_leak_settings(spec.leaks),
              "report on stderr; exit 123 when the command exits 0 but leaves objects it created "
              "or changed, or processes running");
    EXPECT_EQ(describe_leak_settings(config::Leaks{}), "off");
}

}  // namespace
}  // namespace ipcbox::launcher
