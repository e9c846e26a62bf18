// `ipcbox snapshot` of objects beyond the target's own limits (limits lowered after they were
// made): those limits are raised in the spec, with a comment, so that the snapshot replays as root
// and as nobody; a message longer than kernel.msgmax cannot be copied and is refused with why.
#include <unistd.h>

#include <filesystem>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/ls/ls_support.hpp"
#include "tests/integration/snapshot/snapshot_support.hpp"

namespace ipcbox::test {
namespace {

using nlohmann::json;
using SnapshotLimits = AsEachUser;

const char* kBeyondSpec = R"(
[[sysv.queue]]
key = 0x5e31
mode = 0o640
messages = [{ type = 3, text = "abcdefghijklmnopqrstuvwxyz" }]

[[sysv.semaphore]]
key = 0x5e32
mode = 0o660
values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]

[[sysv.shm]]
key = 0x5e33
size = 65536
mode = 0o640
hex = "c0ffee"

[[posix.queue]]
name = "/snaplim"
max_messages = 10
message_size = 8192
mode = 0o640
)";

// Runs `script` in the IPC namespace of `pid` as root of the user namespace that owns it (the
// sandbox's own for nobody): how a limit is lowered after the objects were made.
Outcome in_namespace_of(As who, const std::string& pid, const std::string& script) {
    std::vector<std::string> argv = {"/usr/bin/nsenter", "-t", pid, "-i"};
    std::error_code ec;
    if (std::filesystem::read_symlink("/proc/" + pid + "/ns/user", ec) !=
        std::filesystem::read_symlink("/proc/self/ns/user", ec))
        argv.insert(argv.begin() + 3, {"-U", "--preserve-credentials"});
    argv.insert(argv.end(), {"/bin/sh", "-c", script});
    return run_program(who, argv);
}

const char* kKnobs =
    "kernel/msgmax kernel/msgmnb kernel/msgmni kernel/shmmax kernel/shmall kernel/shmmni "
    "kernel/sem fs/mqueue/queues_max fs/mqueue/msg_max fs/mqueue/msgsize_max";

std::string print_knobs() {
    return std::string("for k in ") + kKnobs + "; do echo $k $(cat /proc/sys/$k); done";
}

TEST_P(SnapshotLimits, LimitsLoweredAfterTheObjectsWereMadeAreRaisedToReplay) {
    PausedSandbox original(who(), write_spec(kBeyondSpec));
    ASSERT_TRUE(original.ready()) << original.printed();
    OutputDir dir;
    const std::string snap = dir.path() + "/snap.toml";

    // MSG_COPY copies at most kernel.msgmax bytes: a longer message cannot be read, and the
    // snapshot says why.
    Outcome lowered = in_namespace_of(who(), original.pid(), "echo 10 > /proc/sys/kernel/msgmax");
    ASSERT_EQ(lowered.exit_code, 0) << lowered.err;
    Outcome refused = ipcbox({"snapshot", "--pid", original.pid(), "-o", snap});
    EXPECT_EQ(refused.exit_code, 125);
    EXPECT_NE(refused.err.find("msgrcv MSG_COPY: Invalid argument\nipcbox: hint: MSG_COPY copies "
                               "at most kernel.msgmax bytes (10): a message queued before "
                               "kernel.msgmax was lowered cannot be copied until it is raised "
                               "again\n"),
              std::string::npos)
        << refused.err;
    EXPECT_NE(access(snap.c_str(), F_OK), 0);

    lowered = in_namespace_of(
        who(), original.pid(),
        "cd /proc/sys/kernel && echo 26 > msgmax && echo 20 > msgmnb && echo 0 > msgmni && "
        "echo 4096 > shmmax && echo 1 > shmall && echo 0 > shmmni && echo '5 5 32 0' > sem && "
        "cd /proc/sys/fs/mqueue && echo 0 > queues_max && echo 5 > msg_max && "
        "echo 1024 > msgsize_max");
    ASSERT_EQ(lowered.exit_code, 0) << lowered.err;
    Outcome before = ipcbox({"ls", "--pid", original.pid(), "--json"});
    ASSERT_EQ(before.exit_code, 0) << before.err;
    Outcome taken = ipcbox({"snapshot", "--pid", original.pid(), "-o", snap});
    ASSERT_EQ(taken.exit_code, 0) << taken.err;
    EXPECT_NE(taken.err.find("ipcbox snapshot: note: kernel.shmmax = 65536: raised from the "
                             "target's 4096 so that the replay can recreate what it holds "
                             "(sysv.shm[0] (key 0x00005e33) has size 65536)\n"),
              std::string::npos)
        << taken.err;
    const std::string text = read_text(snap);
    const std::string sysctls =
        "\n[sysctl]\n"
        "\"kernel.msgmax\" = 26\n"
        "# raised from the target's 20: sysv.queue[0] (key 0x00005e31) has max_bytes 16384\n"
        "\"kernel.msgmnb\" = 16384\n"
        "# raised from the target's 0: 1 sysv.queue(s)\n"
        "\"kernel.msgmni\" = 1\n"
        "# raised from the target's 4096: sysv.shm[0] (key 0x00005e33) has size 65536\n"
        "\"kernel.shmmax\" = 65536\n"
        "# raised from the target's 1: 1 sysv.shm(s) take " +
        std::to_string(65536 / sysconf(_SC_PAGESIZE)) +
        " pages\n\"kernel.shmall\" = " + std::to_string(65536 / sysconf(_SC_PAGESIZE)) +
        "\n"
        "# raised from the target's 0: 1 sysv.shm(s)\n"
        "\"kernel.shmmni\" = 1\n"
        "# raised from the target's 5 5 32 0: sysv.semaphore[0] (key 0x00005e32) has 10 "
        "semaphores; 1 sysv.semaphore set(s) hold 10 semaphores; 1 sysv.semaphore set(s)\n"
        "\"kernel.sem\" = \"10 10 32 1\"\n"
        "# raised from the target's 0: 1 posix.queue(s)\n"
        "\"fs.mqueue.queues_max\" = 1\n"
        "# raised from the target's 5: posix.queue /snaplim has max_messages 10\n"
        "\"fs.mqueue.msg_max\" = 10\n"
        "# raised from the target's 1024: posix.queue /snaplim has message_size 8192\n"
        "\"fs.mqueue.msgsize_max\" = 8192\n";
    EXPECT_NE(text.find(sysctls), std::string::npos) << text;
    Outcome valid = ipcbox({"validate", snap});
    EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;

    // The replay runs with the raised limits and holds the same objects, bytes and values.
    PausedSandbox replay(who(), snap, print_knobs());
    ASSERT_TRUE(replay.ready()) << replay.printed();
    EXPECT_EQ(replay.printed(),
              "kernel/msgmax 26\nkernel/msgmnb 16384\nkernel/msgmni 1\nkernel/shmmax 65536\n"
              "kernel/shmall " +
                  std::to_string(65536 / sysconf(_SC_PAGESIZE)) +
                  "\nkernel/shmmni 1\nkernel/sem 10 10 32 1\nfs/mqueue/queues_max 1\n"
                  "fs/mqueue/msg_max 10\nfs/mqueue/msgsize_max 8192\n");
    Outcome replayed = ipcbox({"snapshot", "--pid", replay.pid()});
    ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
    EXPECT_NE(objects_of(text).find("text = \"abcdefghijklmnopqrstuvwxyz\""), std::string::npos);
    EXPECT_EQ(objects_of(replayed.out), objects_of(text));
    Outcome a = ipcbox({"ls", "--pid", original.pid(), "--json"});
    Outcome b = ipcbox({"ls", "--pid", replay.pid(), "--json"});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    // The original is undisturbed, and the replay lists the same objects.
    EXPECT_EQ(comparable(parse_json(a.out)["objects"]),
              comparable(parse_json(before.out)["objects"]));
    EXPECT_EQ(comparable(parse_json(b.out)["objects"]), comparable(parse_json(a.out)["objects"]));
}

INSTANTIATE_TEST_SUITE_P(As, SnapshotLimits, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
