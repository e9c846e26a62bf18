// `ipcbox snapshot`: the round trip. A running sandbox holds queues with text and binary messages
// (one over 4 KiB, written as a payload file), a semaphore set, a segment with bytes at both ends,
// POSIX shm, a named semaphore, a POSIX queue, an object its command made itself and a changed
// kernel.msgmnb. Snapshotting leaves it unchanged; a sandbox run from the snapshot sees the same
// objects, modes, owners, sizes, bytes, values and sysctl (and ids with --keep-ids).
#include <regex>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/ls/ls_support.hpp"
#include "tests/integration/snapshot/snapshot_support.hpp"

namespace ipcbox::test {
namespace {

using nlohmann::json;
using Snapshot = AsEachUser;

const std::string kBigMessage = std::string(3000, 'x') + std::string(3000, 'y');  // > 4 KiB

// 8 KiB with bytes at both ends.
std::string segment_hex() {
    std::string hex = "c0ffee01" + std::string(2 * (8192 - 8), '0') + "0badbeef";
    return hex;
}

std::string original_spec() {
    return R"(
[sysctl]
"kernel.msgmnb" = 20000

[[sysv.queue]]
key = 0x5e01
mode = 0o640
max_bytes = 19000
messages = [
  { type = 1, text = "hello" },
  { type = 7, hex = "00ff10" },
  { type = 3, text = "quote\" back\\ caf\u00e9" },
  { type = 9, text = ")" +
           kBigMessage + R"(" },
]

[[sysv.queue]]
key = 0x5e02
id = 40
mode = 0o600

[[sysv.shm]]
private = true
size = 100
hex = "01 02"

[[sysv.semaphore]]
key = 0x5e03
values = [4, 0, 9]
mode = 0o660

[[sysv.shm]]
key = 0x5e04
size = 8192
mode = 0o604
hex = ")" + segment_hex() +
           R"("

[[posix.queue]]
name = "/snapjobs"
max_messages = 5
message_size = 128
mode = 0o640
messages = [{ priority = 2, text = "urgent" }]

[[posix.shm]]
name = "/snapframe"
size = 4096
mode = 0o640
text = "frame-data"

[[posix.semaphore]]
name = "/snaplock"
value = 2
mode = 0o640
)";
}

// Reads that leave every object as it is, run inside a sandbox; then the command waits.
std::string inside_reads() {
    const std::string r = support("ipcread");
    return r + " id , msgstat 0x5e01 , msgstat 0x5e02 , msgstat 0x5e05 , semstat 0x5e03 , " +
           "semgetall 0x5e03 , shmstat 0x5e04 , shmread 0x5e04 8192 , stat /dev/shm/snapframe , " +
           "fileread /dev/shm/snapframe 4096 , stat /dev/shm/sem.snaplock , semvalue /snaplock , " +
           "fileread /proc/sys/kernel/msgmnb 32";
}

// A sandbox that ran `first`, inside_reads() and `then`, waiting: its output and a pid inside it.
class Sandbox : public PausedSandbox {
  public:
    Sandbox(As who, const std::string& spec, const std::string& first = "",
            const std::string& then = "")
        : PausedSandbox(who, spec,
                        (first.empty() ? "" : first + "; ") + inside_reads() +
                            (then.empty() ? "" : "; " + then)) {}
    // The reads, without the "ready PID" line.
    std::string reads() const { return printed(); }
};

std::string without_ids(const std::string& reads) {
    return std::regex_replace(reads, std::regex(" id=[0-9]+"), " id=N");
}

TEST_P(Snapshot, RoundTrip) {
    const std::string made = support("ipcmake") + " msgq 0x5e05 made-inside";
    Sandbox original(who(), write_spec(original_spec()), made);
    ASSERT_TRUE(original.ready()) << original.reads();
    const std::string reads = original.reads();
    ASSERT_EQ(reads.find("error"), std::string::npos) << reads;
    Outcome before = ipcbox({"ls", "--pid", original.pid(), "--json"});
    ASSERT_EQ(before.exit_code, 0) << before.err;

    OutputDir dir;
    const std::string snap = dir.path() + "/snap.toml";
    Outcome taken = ipcbox({"snapshot", "--pid", original.pid(), "-o", snap});
    ASSERT_EQ(taken.exit_code, 0) << taken.err;
    EXPECT_EQ(taken.out, "");
    EXPECT_NE(taken.err.find("ipcbox snapshot: note: posix.queue /snapjobs: 1 message(s) left "
                             "out: a POSIX queue cannot be read without taking them\n"),
              std::string::npos)
        << taken.err;
    const std::string text = read_text(snap);
    EXPECT_NE(text.find("\"kernel.msgmnb\" = 20000\n"), std::string::npos) << text;
    EXPECT_NE(text.find("{ type = 7, hex = \"00ff10\" }"), std::string::npos) << text;
    EXPECT_NE(text.find("{ type = 9, file = \"snap.sysv.queue-0-message-3.bin\" }"),
              std::string::npos)
        << text;
    EXPECT_EQ(read_text(dir.path() + "/snap.sysv.queue-0-message-3.bin"), kBigMessage);
    EXPECT_EQ(text.find("id = "), std::string::npos) << text;

    Outcome valid = ipcbox({"validate", snap});
    EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;

    // The original is undisturbed: every message still queued, every value as it was.
    Outcome after = ipcbox({"ls", "--pid", original.pid(), "--json"});
    ASSERT_EQ(after.exit_code, 0) << after.err;
    json objects_before = parse_json(before.out)["objects"];
    json objects_after = parse_json(after.out)["objects"];
    EXPECT_EQ(find_object(objects_after, "sysv.queue", "0x00005e01")["messages"], 4);
    EXPECT_EQ(find_object(objects_after, "posix.queue", "/snapjobs")["messages"], 1);
    EXPECT_EQ(find_object(objects_after, "sysv.queue", "0x00005e01"),
              find_object(objects_before, "sysv.queue", "0x00005e01"));
    EXPECT_EQ(comparable(objects_after), comparable(objects_before));

    // The replay sees what the original saw, and every message of the original.
    const std::string drain = support("ipcread") + " msgrcv 0x5e01 , msgrcv 0x5e05";
    Sandbox replay(who(), snap, "", drain);
    ASSERT_TRUE(replay.ready()) << replay.reads();
    const std::string replayed = replay.reads();
    const std::string hex_big = [] {
        std::string h;
        for (char c : kBigMessage) h += c == 'x' ? "78" : "79";
        return h;
    }();
    const std::string messages = "msg 1 68656c6c6f\nmsg 7 00ff10\nmsg 3 " +
                                 std::string("71756f746522206261636b5c20636166c3a9") + "\nmsg 9 " +
                                 hex_big + "\nmsgend 4\nmsg 1 " +
                                 "6d6164652d696e73696465\nmsgend 1\n";
    ASSERT_GT(replayed.size(), messages.size());
    EXPECT_EQ(without_ids(replayed.substr(0, replayed.size() - messages.size())),
              without_ids(reads));
    EXPECT_EQ(replayed.substr(replayed.size() - messages.size()), messages);
    EXPECT_NE(reads.find("sem 4 0 9\n"), std::string::npos) << reads;
    EXPECT_NE(reads.find("file 3230303030"), std::string::npos) << reads;  // "20000"
}

TEST_P(Snapshot, KeepIdsAndLsAgree) {
    // The spec's queue with id 40 and its IPC_PRIVATE segment come back as they were.
    const std::string first = support("ipcmake") + " msgq 0x5e05 made-inside";
    Sandbox original(who(), write_spec(original_spec()), first);
    ASSERT_TRUE(original.ready()) << original.reads();
    OutputDir dir;
    const std::string snap = dir.path() + "/ids.toml";
    Outcome taken = ipcbox({"snapshot", "--pid", original.pid(), "--keep-ids", "-o", snap});
    ASSERT_EQ(taken.exit_code, 0) << taken.err;
    EXPECT_NE(read_text(snap).find("\nid = "), std::string::npos);

    Sandbox replay(who(), snap);
    ASSERT_TRUE(replay.ready()) << replay.reads();
    EXPECT_EQ(replay.reads(), original.reads());  // ids included

    Outcome a = ipcbox({"ls", "--pid", original.pid(), "--json"});
    Outcome b = ipcbox({"ls", "--pid", replay.pid(), "--json"});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    json left = comparable(parse_json(a.out)["objects"]);
    json right = comparable(parse_json(b.out)["objects"]);
    // The one known difference: a POSIX queue's messages are not captured.
    for (json* side : {&left, &right})
        for (json& o : *side)
            if (o["kind"] == "posix.queue") o.erase("messages"), o.erase("bytes");
    EXPECT_EQ(left, right) << left.dump(1) << "\n" << right.dump(1);
}

TEST_P(Snapshot, NoContentsAndStdout) {
    Sandbox original(who(), write_spec(original_spec()));
    ASSERT_TRUE(original.ready()) << original.reads();
    Outcome o = ipcbox({"snapshot", "--pid", original.pid(), "--no-contents"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out.find("text ="), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("hex ="), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("messages = ["), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("values = [0, 0, 0]  # --no-contents: not captured"), std::string::npos)
        << o.out;
    EXPECT_NE(o.out.find("size = 8192\n"), std::string::npos) << o.out;

    // On stdout without --payload-dir the big message is inline.
    Outcome full = ipcbox({"snapshot", "--pid", original.pid()});
    ASSERT_EQ(full.exit_code, 0) << full.err;
    EXPECT_NE(full.out.find("{ type = 9, text = \"xxxx"), std::string::npos);
    EXPECT_EQ(full.out.find("file ="), std::string::npos);
}

// On stdout with --payload-dir, payload files are named relative to the current directory, where
// the spec is then saved.
TEST_P(Snapshot, PayloadDirWithStdoutAndNamespaceFile) {
    Sandbox original(who(), write_spec(original_spec()));
    ASSERT_TRUE(original.ready()) << original.reads();
    OutputDir dir;
    Outcome o = run_program(
        who(), {"/bin/sh", "-c",
                "cd " + dir.path() + " && " + staging_dir() + "/ipcbox snapshot --pid " +
                    original.pid() + " --payload-dir payloads >snap.toml"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const std::string text = read_text(dir.path() + "/snap.toml");
    EXPECT_NE(text.find("file = \"payloads/snapshot.sysv.queue-0-message-3.bin\""),
              std::string::npos)
        << text;
    EXPECT_EQ(read_text(dir.path() + "/payloads/snapshot.sysv.queue-0-message-3.bin"), kBigMessage);
    Outcome valid = ipcbox({"validate", dir.path() + "/snap.toml"});
    EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;

    // A namespace file names no mount namespace: no POSIX shm or semaphores, with a note.
    Outcome ns = ipcbox({"snapshot", "--ns", "/proc/" + original.pid() + "/ns/ipc"});
    ASSERT_EQ(ns.exit_code, 0) << ns.err;
    EXPECT_NE(ns.out.find("key = 0x00005e01\n"), std::string::npos) << ns.out;
    EXPECT_NE(ns.out.find("name = \"/snapjobs\""), std::string::npos) << ns.out;
    EXPECT_EQ(ns.out.find("[[posix.shm]]"), std::string::npos) << ns.out;
    EXPECT_NE(ns.err.find("ipcbox snapshot: note: posix.shm, posix.semaphore: not captured (a "
                          "namespace file names no mount namespace; use --pid)\n"),
              std::string::npos)
        << ns.err;
}

// Owners are written as the target sees them: a command running as uid 1000 in its own user
// namespace made the queue 0x5e05.
TEST_P(Snapshot, OwnersAsTheTargetSeesThem) {
    Spawned sandbox(
        who(), {staging_dir() + "/ipcbox", "run", "--user", "new", "--uid", "1000", "--gid", "1000",
                "--", support("ipcmake"), "msgq", "0x5e05", "x", ",", "pause"});
    ASSERT_TRUE(sandbox.wait_for_output("ready ")) << sandbox.out();
    const std::string& out = sandbox.out();
    const size_t at = out.find("ready ") + 6;
    const std::string pid = out.substr(at, out.find('\n', at) - at);
    Outcome o = ipcbox({"snapshot", "--pid", pid});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("key = 0x00005e05\nmode = 0o640\nowner = 1000\ngroup = 1000\n"),
              std::string::npos)
        << o.out;
    sandbox.send(SIGTERM);
    sandbox.wait();
}

TEST_P(Snapshot, Errors) {
    Outcome gone = ipcbox({"snapshot", "--pid", "2147483647"});
    EXPECT_EQ(gone.exit_code, 125);
    EXPECT_EQ(gone.err,
              "ipcbox: snapshot: pid 2147483647: pidfd_open: No such process\n"
              "ipcbox: hint: is the process running?\n");
    Outcome none = ipcbox({"snapshot"});
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_EQ(none.err,
              "ipcbox: snapshot: give the target: --pid PID, --ns PATH or --domain NAME (one of "
              "them)\n");
    if (who() == As::Nobody) {
        // A process of another user (init, root's) may not be inspected: refused with the reason.
        Outcome refused = ipcbox({"snapshot", "--pid", "1"});
        EXPECT_EQ(refused.exit_code, 125);
        EXPECT_TRUE(std::regex_search(refused.err,
                                      std::regex("^ipcbox: snapshot: pid 1: .*(Permission denied|"
                                                 "Operation not permitted)\n")))
            << refused.err;
        EXPECT_NE(refused.err.find("ipcbox: hint: reading another process's namespaces needs "
                                   "root, or the same user as that process\n"),
                  std::string::npos)
            << refused.err;
        EXPECT_EQ(refused.out, "");
    }
}

INSTANTIATE_TEST_SUITE_P(As, Snapshot, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
