// [block] create through the real binary, as root and as nobody: the fixtures ipcbox preseeds stay
// usable, and nothing new can be created, on every ABI.
#include <gtest/gtest.h>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/block_probe.hpp"

namespace ipcbox::test {
namespace {

constexpr const char* kKey = "0x5eed";

const char* kFixtures = R"(
[[sysv.queue]]
key = 0x5eed
messages = [{ type = 1, text = "fixture" }]

[[sysv.semaphore]]
key = 0x5eed
values = [1]

[[sysv.shm]]
key = 0x5eed
size = "4K"

[[posix.queue]]                   # tiny: RLIMIT_MSGQUEUE stays charged until a dead IPC ns is freed
name = "/fixture"
max_messages = 1
message_size = 16
)";

class BlockCreate : public AsEachUser {
  protected:
    void SetUp() override {
        AsEachUser::SetUp();
        if (IsSkipped()) return;
        IPCBOX_REQUIRE_I386_ABI();
    }
    void expect(const std::string& spec, const std::string& op, const std::string& arg, int want) {
        Outcome o = try_in_sandbox(who(), spec, op, arg);
        EXPECT_EQ(o.exit_code, want) << "support_try " << op << " " << arg << "\nstderr: " << o.err;
    }
};

TEST_P(BlockCreate, FixturesStayUsableAndNothingNewCanBeCreated) {
    const std::string spec = write_spec(std::string(kFixtures) +
                                        "[block]\ncreate = [\"sysv.queue\", \"sysv.semaphore\", "
                                        "\"sysv.shm\", \"posix.queue\"]\n");
    // The preseeded objects, by key and by name, on x86_64 and through int $0x80.
    expect(spec, "msgget", kKey, 0);
    expect(spec, "msgsnd", kKey, 0);
    expect(spec, "semget", kKey, 0);
    expect(spec, "shmget", kKey, 0);
    expect(spec, "i386-msgget", kKey, 0);
    expect(spec, "mq_open", "/fixture", 0);
    expect(spec, "i386-mq_open", "/fixture", 0);
    expect(spec, "msgctl-info", "", 0);
    // New objects: IPC_CREAT, IPC_PRIVATE (which creates without IPC_CREAT), O_CREAT.
    expect(spec, "msgget-create", "", EPERM);
    expect(spec, "msgget-create", "0x7777", EPERM);
    expect(spec, "msgget-private", "", EPERM);
    expect(spec, "semget-create", "", EPERM);
    expect(spec, "semget-private", "", EPERM);
    expect(spec, "shmget-create", "", EPERM);
    expect(spec, "shmget-private", "", EPERM);
    expect(spec, "mq_open-create", "/new", EPERM);
    expect(spec, "i386-msgget-create", "", EPERM);
    expect(spec, "i386-semget-create", "", EPERM);
    expect(spec, "i386-shmget-create", "", EPERM);
    expect(spec, "i386-ipc-msgget-create", "", EPERM);
    expect(spec, "i386-ipc-semget-create-v", "", EPERM);
    expect(spec, "i386-mq_open-create", "/new", EPERM);
    expect(spec, "x32-msgget-create", "", EPERM);
    expect(spec, "x32-mq_open-create", "/new", EPERM);
    // libseccomp 2.5 cannot test ipc(2)'s shifted flag argument: its get calls are all refused.
    expect(spec, "i386-ipc-msgget", kKey, EPERM);
}

TEST_P(BlockCreate, OnlyTheListedKindsAreRestricted) {
    const std::string spec = write_spec(std::string(kFixtures) +
                                        "[block]\ncreate = [\"sysv.queue\"]\nerrno = \"EACCES\"\n");
    expect(spec, "msgget-create", "", EACCES);
    expect(spec, "msgget", kKey, 0);
    expect(spec, "semget-create", "", 0);
    expect(spec, "shmget-create", "", 0);
    expect(spec, "mq_open-create", "/new", 0);
    expect(spec, "i386-ipc-semget-create", "", 0);
}

TEST_P(BlockCreate, UnenforceableSpecsAreRefusedWithTheReason) {
    for (const char* kind : {"posix.shm", "posix.semaphore"}) {
        Outcome o = try_in_sandbox(
            who(), write_spec(std::string("[block]\ncreate = [\"") + kind + "\"]\n"), "pipe");
        EXPECT_EQ(o.exit_code, 125) << kind;
        EXPECT_NE(o.err.find("cannot be enforced"), std::string::npos) << o.err;
        EXPECT_NE(o.err.find(kind), std::string::npos) << o.err;
    }
    // Preseeding a POSIX kind that the same spec blocks (an empty read-only /dev/shm).
    Outcome o = try_in_sandbox(who(),
                               write_spec("[[posix.shm]]\nname = \"/a\"\nsize = 16\n"
                                          "[block]\nkinds = [\"posix.shm\"]\n"),
                               "pipe");
    EXPECT_EQ(o.exit_code, 125) << o.err;
    EXPECT_NE(o.err.find("posix.shm"), std::string::npos) << o.err;
    o = try_in_sandbox(who(),
                       write_spec("[[posix.semaphore]]\nname = \"/s\"\n"
                                  "[block]\nkinds = [\"posix.semaphore\"]\n"),
                       "pipe");
    EXPECT_EQ(o.exit_code, 125) << o.err;
}

INSTANTIATE_TEST_SUITE_P(Users, BlockCreate, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
