// A spec that parses but cannot be preseeded: ipcbox exits 125, says which object failed and why
// on the first line of stderr, and the command never starts.
#include <unistd.h>

#include <filesystem>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

// Runs `toml` as `who` with a command that would leave a marker file; checks the exit status and
// that the command never ran; returns stderr's first line.
std::string setup_failure(As who, const std::string& toml) {
    static int runs = 0;
    const std::string marker = marker_dir() + "/ran-" + std::to_string(++runs);
    const std::string spec = write_spec(toml);
    Outcome o = run_ipcbox(who, {"run", "-c", spec, "--", support("ipcread"), "touch", marker});
    EXPECT_EQ(o.exit_code, 125) << o.err;
    EXPECT_FALSE(std::filesystem::exists(marker)) << "the command ran";
    EXPECT_EQ(o.out, "");
    return o.err.substr(0, o.err.find('\n'));
}

class PreseedErrors : public AsEachUser {
  protected:
    std::string setup_failure(const std::string& toml) { return test::setup_failure(who(), toml); }
};

TEST_P(PreseedErrors, TheMarkerCommandRunsWhenNothingFails) {
    const std::string marker = marker_dir() + "/control";
    const std::string spec = write_spec("[[sysv.queue]]\nkey = 1\n");
    Outcome o = ipcbox({"run", "-c", spec, "--", support("ipcread"), "touch", marker});
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_TRUE(std::filesystem::exists(marker));
    std::filesystem::remove(marker);
}

TEST_P(PreseedErrors, QueueTooSmallForItsMessages) {
    const std::string spec = write_spec(R"([[sysv.queue]]
key = 0x1

[[sysv.queue]]
key = 0x1234
max_bytes = 64
messages = [ { type = 1, text = ")" + std::string(70, 'a') +
                                        R"(" }, { type = 2, text = ")" + std::string(30, 'b') +
                                        R"(" } ]
)");
    Outcome o = ipcbox({"run", "-c", spec, "--", "/bin/true"});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_EQ(o.err,
              "ipcbox: sysv.queue[1] (key 0x1234): msgsnd: Resource temporarily unavailable "
              "(max_bytes 64 < 100 bytes of messages)\n"
              "ipcbox: hint: sysv.queue[1] is defined at " +
                  spec + ":4:1\n");
}

TEST_P(PreseedErrors, MessageLongerThanMsgmax) {
    EXPECT_EQ(setup_failure(R"(
[sysctl]
"kernel.msgmax" = 16

[[sysv.queue]]
key = 0x99
messages = [ { type = 1, text = "short" }, { type = 1, text = "twenty bytes, really" } ]
)"),
              "ipcbox: sysv.queue[0] (key 0x99): msgsnd: Invalid argument "
              "(message[1] is 20 bytes > kernel.msgmax 16)");
}

TEST_P(PreseedErrors, MoreQueuesThanMsgmni) {
    EXPECT_EQ(setup_failure(R"(
[sysctl]
"kernel.msgmni" = 2

[[sysv.queue]]
key = 1
[[sysv.queue]]
key = 2
[[sysv.queue]]
key = 3
)"),
              "ipcbox: sysv.queue[2] (key 0x3): msgget: No space left on device "
              "(kernel.msgmni 2 queues reached)");
}

TEST_P(PreseedErrors, TwoIdsWithTheSameIndex) {
    EXPECT_EQ(setup_failure(R"(
[[sysv.shm]]
key = 1
size = 64
id = 3

[[sysv.shm]]
key = 2
size = 64
id = 32771
)"),
              "ipcbox: sysv.shm[1] (key 0x2): shmget returned id 32772, not id 32771 (another "
              "object already holds index 3; an id is index + 32768 * sequence)");
}

TEST_P(PreseedErrors, SemaphoreSetLargerThanSemmsl) {
    EXPECT_EQ(setup_failure(R"(
[sysctl]
"kernel.sem" = "4 100 32 10"

[[sysv.semaphore]]
key = 5
values = [1, 2, 3, 4, 5]
)"),
              "ipcbox: sysv.semaphore[0] (key 0x5): semget: Invalid argument "
              "(5 values > SEMMSL 4 (kernel.sem, first field))");
}

TEST_P(PreseedErrors, SegmentLargerThanShmmax) {
    EXPECT_EQ(setup_failure(R"(
[sysctl]
"kernel.shmmax" = 1000

[[sysv.shm]]
key = 6
size = 2000
)"),
              "ipcbox: sysv.shm[0] (key 0x6): shmget: Invalid argument "
              "(size 2000 is 0 or > kernel.shmmax 1000)");
}

TEST_P(PreseedErrors, FtokOfAPathMissingOnTheHost) {
    const std::string spec_text =
        "[[sysv.queue]]\n\nftok = { path = \"/nonexistent/ipcbox\", proj = 65 }\n";
    const std::string spec = write_spec(spec_text);
    const std::string error = spec +
                              ":3:17: sysv.queue[0].ftok.path: /nonexistent/ipcbox does not exist "
                              "(ftok takes the key from a file's inode)";
    Outcome run = ipcbox({"run", "-c", spec, "--", "/bin/true"});
    EXPECT_EQ(run.exit_code, 125);
    EXPECT_EQ(run.err, "ipcbox: " + error + "\n");
    Outcome o = ipcbox({"validate", spec});
    EXPECT_EQ(o.exit_code, 1) << o.err;
    EXPECT_NE(o.err.find(error), std::string::npos) << o.err;
}

// On the host but hidden inside by a tmpfs: only the sandbox can tell.
TEST_P(PreseedErrors, FtokOfAPathMissingInside) {
    const std::string dir = marker_dir() + "/ftok-hidden";
    std::filesystem::create_directories(dir);
    chmod(dir.c_str(), 0777);
    staged_file("markers/ftok-hidden/target", "x");
    EXPECT_EQ(
        setup_failure("[sandbox]\ntmpfs = [\"" + dir + "\"]\n[[sysv.queue]]\nftok = { path = \"" +
                      dir + "/target\", proj = 65 }\n"),
        "ipcbox: sysv.queue[0] (ftok(" + dir +
            "/target, 65)): ftok: No such file or directory (the path must exist inside the "
            "sandbox)");
    std::filesystem::remove_all(dir);
}

TEST_P(PreseedErrors, SysctlTheKernelRefuses) {
    EXPECT_EQ(setup_failure("[sysctl]\n\"kernel.shmmni\" = 100000\n"),
              "ipcbox: sysctl kernel.shmmni: write 100000: Invalid argument");
}

// Each fits, together they do not: tmpfs finds out only when the bytes are written.
TEST_P(PreseedErrors, PosixShmsThatOverfillDevShm) {
    const std::string file = staged_file("768k.bin", std::string(768 << 10, 'z'));
    EXPECT_EQ(setup_failure(R"(
[dev_shm]
size = "1M"

[[posix.shm]]
name = "/big"
size = "768K"
file = ")" + file + R"("

[[posix.shm]]
name = "/big2"
size = "768K"
file = ")" + file + "\"\n"),
              "ipcbox: posix.shm[1] (/big2): write: No space left on device "
              "(/dev/shm is full: raise dev_shm.size)");
}

// Limits that host root passes with CAP_SYS_RESOURCE (where the machine grants it): rootless only.
class PreseedErrorsRootless : public ::testing::Test {
  protected:
    void SetUp() override { IPCBOX_REQUIRE_USERNS(); }
    std::string setup_failure(const std::string& toml) {
        return test::setup_failure(As::Nobody, toml);
    }
};

TEST_F(PreseedErrorsRootless, MaxBytesAboveMsgmnb) {
    EXPECT_EQ(setup_failure("[[sysv.queue]]\nkey = 7\nmax_bytes = 100000\n"),
              "ipcbox: sysv.queue[0] (key 0x7): msgctl IPC_SET: Operation not permitted "
              "(max_bytes 100000 > kernel.msgmnb 16384: raise kernel.msgmnb in [sysctl])");
}

TEST_F(PreseedErrorsRootless, PosixQueueAboveMsgMax) {
    EXPECT_EQ(setup_failure(R"(
[sysctl]
"fs.mqueue.msg_max" = 3

[[posix.queue]]
name = "/q"
max_messages = 4
message_size = 8
)"),
              "ipcbox: posix.queue[0] (/q): mq_open: Invalid argument (max_messages 4 must be <= "
              "fs.mqueue.msg_max 3 and message_size 8 <= fs.mqueue.msgsize_max 8192)");
}

TEST_F(PreseedErrorsRootless, MorePosixQueuesThanQueuesMax) {
    EXPECT_EQ(setup_failure(R"(
[sysctl]
"fs.mqueue.queues_max" = 1

[[posix.queue]]
name = "/a"
max_messages = 1
[[posix.queue]]
name = "/b"
max_messages = 1
)"),
              "ipcbox: posix.queue[1] (/b): mq_open: No space left on device "
              "(fs.mqueue.queues_max 1 queues reached)");
}

INSTANTIATE_TEST_SUITE_P(Run, PreseedErrors, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
