// `ipcbox snapshot` without MSG_COPY: a seccomp filter (support_nomsgcopy) makes it fail with
// ENOSYS, as on a kernel without CONFIG_CHECKPOINT_RESTORE. Queues are then written with their
// attributes only, said once on stderr; the spec validates and replays, and the target keeps
// every message.
#include "tests/integration/harness/harness.hpp"
#include "tests/integration/ls/ls_support.hpp"
#include "tests/integration/snapshot/snapshot_support.hpp"

namespace ipcbox::test {
namespace {

using nlohmann::json;
using SnapshotWithoutMsgCopy = AsEachUser;

const char* kQueuesSpec = R"(
[[sysv.queue]]
key = 0x5e21
mode = 0o640
max_bytes = 12000
messages = [{ type = 1, text = "one" }, { type = 2, hex = "00ff" }]

[[sysv.queue]]
key = 0x5e22
mode = 0o600
)";

TEST_P(SnapshotWithoutMsgCopy, QueuesKeepTheirAttributesOnly) {
    PausedSandbox original(who(), write_spec(kQueuesSpec));
    ASSERT_TRUE(original.ready()) << original.printed();
    Outcome before = ipcbox({"ls", "--pid", original.pid(), "--json"});
    ASSERT_EQ(before.exit_code, 0) << before.err;

    OutputDir dir;
    const std::string snap = dir.path() + "/snap.toml";
    Outcome taken = run_program(who(), {support("nomsgcopy"), staging_dir() + "/ipcbox", "snapshot",
                                        "--pid", original.pid(), "-o", snap});
    ASSERT_EQ(taken.exit_code, 0) << taken.err;
    EXPECT_EQ(taken.err,
              "ipcbox snapshot: note: sysv.queue: 2 message(s) of 1 queue(s) left out: msgrcv "
              "MSG_COPY is not available (ENOSYS: a kernel without CONFIG_CHECKPOINT_RESTORE, or "
              "a seccomp filter); those queues are written with their attributes only\n");
    const std::string text = read_text(snap);
    EXPECT_NE(text.find("key = 0x00005e21\nmode = 0o640\n"), std::string::npos) << text;
    EXPECT_NE(text.find("max_bytes = 12000\n"), std::string::npos) << text;
    EXPECT_NE(text.find("key = 0x00005e22\nmode = 0o600\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("messages ="), std::string::npos) << text;
    Outcome valid = ipcbox({"validate", snap});
    EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;

    // The target keeps every message: ls agrees, and a snapshot with MSG_COPY still copies them.
    Outcome after = ipcbox({"ls", "--pid", original.pid(), "--json"});
    ASSERT_EQ(after.exit_code, 0) << after.err;
    const json objects = parse_json(after.out)["objects"];
    EXPECT_EQ(find_object(objects, "sysv.queue", "0x00005e21")["messages"], 2);
    EXPECT_EQ(comparable(objects), comparable(parse_json(before.out)["objects"]));
    Outcome copied = ipcbox({"snapshot", "--pid", original.pid()});
    ASSERT_EQ(copied.exit_code, 0) << copied.err;
    EXPECT_NE(copied.out.find("messages = [\n  { type = 1, text = \"one\" },\n"
                              "  { type = 2, hex = \"00ff\" },\n]\n"),
              std::string::npos)
        << copied.out;

    // The replay has both queues, with their attributes and no messages.
    PausedSandbox replay(who(), snap);
    ASSERT_TRUE(replay.ready()) << replay.printed();
    Outcome replayed = ipcbox({"snapshot", "--pid", replay.pid()});
    ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
    EXPECT_EQ(objects_of(replayed.out), objects_of(text));
    Outcome listed = ipcbox({"ls", "--pid", replay.pid(), "--json"});
    EXPECT_EQ(
        find_object(parse_json(listed.out)["objects"], "sysv.queue", "0x00005e21")["messages"], 0);
}

INSTANTIATE_TEST_SUITE_P(As, SnapshotWithoutMsgCopy, ::testing::Values(As::Root, As::Nobody),
                         as_name);

}  // namespace
}  // namespace ipcbox::test
