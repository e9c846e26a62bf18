// `ipcbox ls`: run inside a sandbox (its own namespaces), against a running sandbox (--pid, --ns),
// in both formats. The objects come from preseeding, so the host is never touched.
#include <regex>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/ls/ls_support.hpp"

namespace ipcbox::test {
namespace {

using nlohmann::json;
using Ls = AsEachUser;

std::string staged_ipcbox() {
    return staging_dir() + "/ipcbox";
}

// The note of a listing made inside a sandbox: its command has no capabilities, so it cannot mount
// the IPC namespace's mqueue to list POSIX queues (which `ls --pid` from outside does).
const char* kQueuesNotListedInside =
    "posix.queue: not listed: fsopen mqueue: Operation not permitted (needs CAP_SYS_ADMIN in the "
    "user namespace that owns the IPC namespace, which a sandboxed command does not have: list "
    "it from outside with ipcbox ls --pid)";

// Every preseeded object of kEveryKindSpec, as ls --json must show it from inside the sandbox
// (all but the POSIX queue: see kQueuesNotListedInside).
void expect_every_kind(const json& doc) {
    ASSERT_TRUE(doc.is_object()) << doc;
    EXPECT_EQ(doc["version"], 1);
    EXPECT_EQ(doc["notes"], json::array({kQueuesNotListedInside})) << doc["notes"];
    ASSERT_EQ(doc["objects"].size(), 5u) << doc["objects"].dump(2);
    const json& objects = doc["objects"];

    json q = find_object(objects, "sysv.queue", "0x00004c01");
    EXPECT_EQ(q["mode"], "0640");
    EXPECT_EQ(q["messages"], 2);
    EXPECT_EQ(q["bytes"], 11);
    EXPECT_EQ(q["uid"], 0);
    EXPECT_EQ(q["gid"], 0);
    EXPECT_EQ(q["cuid"], 0);
    EXPECT_GT(q["send_time"].get<int64_t>(), 0);
    EXPECT_EQ(q["recv_time"], 0);
    EXPECT_EQ(q["recv_pid"], 0);
    EXPECT_EQ(q["id"], 0);

    json sem = find_object(objects, "sysv.semaphore", "0x00004c02");
    EXPECT_EQ(sem["nsems"], 3);
    EXPECT_EQ(sem["values"], json::parse("[3, 0, 5]"));
    EXPECT_EQ(sem["mode"], "0600");

    json shm = find_object(objects, "sysv.shm", "0x00004c03");
    EXPECT_EQ(shm["size"], 8192);
    EXPECT_EQ(shm["attached"], 0);
    EXPECT_EQ(shm["removed"], false);
    EXPECT_EQ(shm["mode"], "0604");

    json pshm = find_object(objects, "posix.shm", "/frame");
    EXPECT_EQ(pshm["size"], 4096);
    EXPECT_EQ(pshm["mode"], "0644");

    json psem = find_object(objects, "posix.semaphore", "/lock");
    EXPECT_EQ(psem["value"], 2);
    EXPECT_EQ(psem["mode"], "0600");
    for (const auto& o : objects) EXPECT_FALSE(o.contains("digest")) << o;  // leak reports only
}

TEST_P(Ls, JsonOfItsOwnNamespace) {
    const std::string spec = write_spec(kEveryKindSpec);
    Outcome o = ipcbox({"run", "-c", spec, "--", "/bin/sh", "-c",
                        "readlink /proc/self/ns/ipc; exec " + staged_ipcbox() + " ls --json"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const size_t newline = o.out.find('\n');
    const std::string ipc = o.out.substr(0, newline);
    json doc = parse_json(o.out.substr(newline + 1));
    expect_every_kind(doc);
    EXPECT_EQ(doc["namespace"]["from"], "self");
    EXPECT_EQ("ipc:[" + std::to_string(doc["namespace"]["ipc"].get<uint64_t>()) + "]", ipc);
}

TEST_P(Ls, TableOfItsOwnNamespace) {
    const std::string spec = write_spec(kEveryKindSpec);
    Outcome o = ipcbox({"run", "-c", spec, "--", staged_ipcbox(), "ls"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const std::string t = o.out;
    EXPECT_TRUE(std::regex_search(t, std::regex("^IPC namespace ipc:\\[[0-9]+\\], mount namespace "
                                                "mnt:\\[[0-9]+\\]\n")))
        << t;
    EXPECT_TRUE(std::regex_search(
        t, std::regex(
               "\nKIND +KEY/NAME +ID +MODE +OWNER +CREATOR +CONTENT +PIDS +LAST USE +CHANGED\n")))
        << t;
    const char* rows[] = {
        "\nsysv\\.queue +0x00004c01 +0 +0640 +0:0 +0:0 +2 msgs, 11 bytes +snd [0-9]+ rcv - ",
        "\nsysv\\.semaphore +0x00004c02 +0 +0600 +0:0 +0:0 +3 sems: 3 0 5 +- +- ",
        "\nsysv\\.shm +0x00004c03 +0 +0604 +0:0 +0:0 +8192 bytes, 0 attached +cpid [0-9]+ lpid - ",
        "\nposix\\.shm +/frame +- +0644 +0:0 +- +4096 bytes +- ",
        "\nposix\\.semaphore +/lock +- +0600 +0:0 +- +value 2 +- ",
    };
    for (const char* row : rows)
        EXPECT_TRUE(std::regex_search(t, std::regex(row))) << row << "\n" << t;
    EXPECT_EQ(t.find("\nposix.queue "), std::string::npos) << t;
    EXPECT_NE(t.find(std::string("\nnote: ") + kQueuesNotListedInside + "\n"), std::string::npos)
        << t;
}

TEST_P(Ls, EmptyNamespace) {
    Outcome o = ipcbox({"run", "--", staged_ipcbox(), "ls"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("\nno IPC objects\n"), std::string::npos) << o.out;
    Outcome j = ipcbox({"run", "--", staged_ipcbox(), "ls", "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    EXPECT_EQ(parse_json(j.out)["objects"], json::array()) << j.out;
}

// A sandbox whose command waits; `pid` is a process inside it (host pid).
class RunningSandbox {
  public:
    RunningSandbox(As who, const std::vector<std::string>& run_flags) {
        std::vector<std::string> argv{staged_ipcbox(), "run", "-c", write_spec(kEveryKindSpec)};
        argv.insert(argv.end(), run_flags.begin(), run_flags.end());
        argv.insert(argv.end(), {"--", support("ipcmake"), "msgq", "0x4c09", "made", ",", "pause"});
        spawned_ = std::make_unique<Spawned>(who, argv);
        ready_ = spawned_->wait_for_output("ready ");
    }
    ~RunningSandbox() {
        spawned_->send(SIGTERM);  // forwarded to the command
        spawned_->wait();
    }
    bool ready() const { return ready_; }
    const std::string& out() const { return spawned_->out(); }
    // What the command printed: "ready PID", its pid in its own pid namespace.
    std::string command_pid() const {
        const std::string& out = spawned_->out();
        const size_t at = out.find("ready ") + 6;
        return out.substr(at, out.find('\n', at) - at);
    }
    pid_t ipcbox_pid() const { return spawned_->pid(); }

  private:
    std::unique_ptr<Spawned> spawned_;
    bool ready_ = false;
};

TEST_P(Ls, PidOfARunningSandbox) {
    RunningSandbox sandbox(who(), {});
    ASSERT_TRUE(sandbox.ready()) << sandbox.out();
    // Without a pid namespace the command's own pid is a host pid.
    const std::string pid = sandbox.command_pid();
    Outcome o = ipcbox({"ls", "--pid", pid, "--json"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    json doc = parse_json(o.out);
    ASSERT_EQ(doc["objects"].size(), 7u) << o.out;
    json made = find_object(doc["objects"], "sysv.queue", "0x00004c09");
    EXPECT_EQ(made["messages"], 1) << o.out;
    EXPECT_EQ(made["mode"], "0640");
    EXPECT_EQ(made["uid"], 0);  // the sandbox's root, seen from inside its user namespace
    EXPECT_EQ(find_object(doc["objects"], "posix.queue", "/jobs")["messages"], 1) << o.out;
    EXPECT_EQ(find_object(doc["objects"], "posix.semaphore", "/lock")["value"], 2) << o.out;
    EXPECT_EQ(doc["namespace"]["from"], "pid");
    EXPECT_EQ(doc["namespace"]["pid"], std::stoi(pid));
    EXPECT_EQ(doc["namespace"]["ipc"], namespace_inode(pid, "ipc"));
    EXPECT_EQ(doc["namespace"]["mnt"], namespace_inode(pid, "mnt"));
    EXPECT_NE(doc["namespace"]["ipc"], namespace_inode("self", "ipc"));

    Outcome table = ipcbox({"ls", "--pid", pid});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find(" of pid " + pid + ", "), std::string::npos) << table.out;
    EXPECT_TRUE(
        std::regex_search(table.out, std::regex("\nsysv\\.queue +0x00004c09 +[0-9]+ +0640 ")))
        << table.out;
}

// Only the command's uid is mapped in its user namespace: ls joins it as that uid.
TEST_P(Ls, PidOfASandboxWithANonRootUid) {
    RunningSandbox sandbox(who(), {"--user", "new", "--uid", "1000", "--gid", "1000"});
    ASSERT_TRUE(sandbox.ready()) << sandbox.out();
    Outcome o = ipcbox({"ls", "--pid", sandbox.command_pid(), "--json"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    json doc = parse_json(o.out);
    json made = find_object(doc["objects"], "sysv.queue", "0x00004c09");
    EXPECT_EQ(made["uid"], 1000) << o.out;
    EXPECT_EQ(made["gid"], 1000) << o.out;
    EXPECT_EQ(find_object(doc["objects"], "posix.queue", "/jobs")["messages"], 1) << o.out;
}

TEST_P(Ls, PidOfASandboxWithItsOwnPidNamespace) {
    RunningSandbox sandbox(who(), {"--pid"});
    ASSERT_TRUE(sandbox.ready()) << sandbox.out();
    EXPECT_EQ(sandbox.command_pid(), "2");
    // The sandbox's init, our Spawned ipcbox's child: its /proc is not the one ls runs with.
    const std::string init = first_child(sandbox.ipcbox_pid());
    ASSERT_FALSE(init.empty());
    Outcome o = ipcbox({"ls", "--pid", init, "--json"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    json doc = parse_json(o.out);
    EXPECT_EQ(doc["objects"].size(), 7u) << o.out;
    EXPECT_EQ(find_object(doc["objects"], "posix.shm", "/frame")["size"], 4096) << o.out;
    EXPECT_EQ(doc["namespace"]["ipc"], namespace_inode(init, "ipc"));
    EXPECT_EQ(doc["namespace"]["mnt"], namespace_inode(init, "mnt"));
}

TEST_P(Ls, NamespaceFile) {
    RunningSandbox sandbox(who(), {});
    ASSERT_TRUE(sandbox.ready()) << sandbox.out();
    const std::string pid = sandbox.command_pid();
    Outcome o = ipcbox({"ls", "--ns", "/proc/" + pid + "/ns/ipc", "--json"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    json doc = parse_json(o.out);
    EXPECT_EQ(doc["namespace"]["from"], "path");
    EXPECT_EQ(doc["namespace"]["ipc"], namespace_inode(pid, "ipc"));
    EXPECT_EQ(find_object(doc["objects"], "sysv.queue", "0x00004c01")["messages"], 2) << o.out;
    EXPECT_EQ(find_object(doc["objects"], "sysv.semaphore", "0x00004c02")["values"],
              json::parse("[3, 0, 5]"))
        << o.out;
    EXPECT_EQ(find_object(doc["objects"], "posix.queue", "/jobs")["messages"], 1) << o.out;
    // POSIX shm is not in an IPC namespace: ls says where it looked instead.
    EXPECT_TRUE(find_object(doc["objects"], "posix.shm", "/frame").is_null()) << o.out;
    ASSERT_FALSE(doc["notes"].empty());
    EXPECT_NE(doc["notes"].back().get<std::string>().find("posix.shm, posix.semaphore: from "
                                                          "ipcbox's own /dev/shm"),
              std::string::npos);
}

TEST_P(Ls, Errors) {
    Outcome gone = ipcbox({"ls", "--pid", "2147483647"});
    EXPECT_EQ(gone.exit_code, 1);
    EXPECT_EQ(gone.err,
              "ipcbox: ls: pid 2147483647: pidfd_open: No such process\n"
              "ipcbox: hint: is the process running?\n");
    Outcome both = ipcbox({"ls", "--pid", "1", "--ns", "/proc/1/ns/ipc"});
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_EQ(both.err, "ipcbox: ls: --pid, --ns and --domain name different targets; give one\n");
    Outcome extra = ipcbox({"ls", "extra"});
    EXPECT_EQ(extra.exit_code, 2);
    Outcome not_ipc = ipcbox({"ls", "--ns", "/proc/self/ns/mnt"});
    EXPECT_EQ(not_ipc.exit_code, 1);
    EXPECT_NE(not_ipc.err.find("is not an IPC namespace file"), std::string::npos) << not_ipc.err;
    if (who() == As::Nobody) {
        Outcome denied = ipcbox({"ls", "--pid", "1"});
        EXPECT_EQ(denied.exit_code, 1);
        EXPECT_NE(denied.err.find("ipcbox: ls: pid 1: open /proc/1/ns/user: Permission denied\n"
                                  "ipcbox: hint: reading another process's namespaces needs root"),
                  std::string::npos)
            << denied.err;
    }
}

INSTANTIATE_TEST_SUITE_P(, Ls, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
