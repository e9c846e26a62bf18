// `ipcbox run` preseeds every kind of object; the command finds them, read by independent means
// (/proc/sysvipc, msgrcv, semctl GETALL, shmat, mq_receive, stat and read of /dev/shm files).
#include <sys/ipc.h>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

using Preseed = AsEachUser;

std::string ipcread() {
    return support("ipcread");
}

TEST_P(Preseed, SysvQueueHoldsItsMessagesInOrder) {
    const std::string payload("\x00\x01\xff\n", 4);
    const std::string file = staged_file("queue-payload.bin", payload);
    const std::string spec = write_spec(R"(
[[sysv.queue]]
key = 0x1234
mode = 0o640
max_bytes = 1000
messages = [
  { type = 7, text = "first" },
  { type = 3, hex = "de ad be ef" },
  { type = 7, file = ")" + file + R"(" },
]
)");
    Outcome o = ipcbox({"run", "-c", spec, "--", "/bin/sh", "-c",
                        section_cmd("proc", "cat /proc/sysvipc/msg") +
                            section_cmd("probe", ipcread() + " msgrcv 0x1234")});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    auto row = sysvipc_row(section(o.out, "proc"), 0x1234);
    EXPECT_EQ(row["perms"], "640");
    EXPECT_EQ(row["qnum"], "3");
    EXPECT_EQ(row["cbytes"], "13");
    EXPECT_EQ(row["uid"], "0");
    EXPECT_EQ(row["gid"], "0");
    EXPECT_EQ(section(o.out, "probe"), "msg 7 " + hex_of("first") + "\nmsg 3 deadbeef\nmsg 7 " +
                                           hex_of(payload) + "\nmsgend 3\n");
}

TEST_P(Preseed, SysvQueueMaxBytesAndMode) {
    const std::string spec = write_spec(R"(
[[sysv.queue]]
key = 0x10
max_bytes = 200
mode = 0o604
)");
    Outcome o = ipcbox({"run", "-c", spec, "--", ipcread(), "msgstat", "0x10"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "msgstat id=0 uid=0 gid=0 cuid=0 cgid=0 mode=0604 qbytes=200 qnum=0\n");
}

TEST_P(Preseed, SysvSemaphoreSetHoldsItsValues) {
    const std::string spec = write_spec(R"(
[[sysv.semaphore]]
key = 0x2222
values = [3, 0, 32767, 1]
mode = 0o660
)");
    Outcome o = ipcbox({"run", "-c", spec, "--", "/bin/sh", "-c",
                        section_cmd("proc", "cat /proc/sysvipc/sem") +
                            section_cmd("probe", ipcread() + " semgetall 0x2222")});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    auto row = sysvipc_row(section(o.out, "proc"), 0x2222);
    EXPECT_EQ(row["perms"], "660");
    EXPECT_EQ(row["nsems"], "4");
    EXPECT_EQ(section(o.out, "probe"), "sem 3 0 32767 1\n");
}

TEST_P(Preseed, SysvShmHoldsItsBytes) {
    const std::string spec = write_spec(R"(
[[sysv.shm]]
key = 0x3333
size = "8K"
mode = 0o600
hex = "de ad be ef 00 7f"
)");
    Outcome o = ipcbox({"run", "-c", spec, "--", "/bin/sh", "-c",
                        section_cmd("proc", "cat /proc/sysvipc/shm") +
                            section_cmd("probe", ipcread() + " shmread 0x3333 8")});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    auto row = sysvipc_row(section(o.out, "proc"), 0x3333);
    EXPECT_EQ(row["perms"], "600");
    EXPECT_EQ(row["size"], "8192");
    EXPECT_EQ(section(o.out, "probe"), "shm deadbeef007f0000\n");
}

TEST_P(Preseed, FtokKeysAreComputedOnTheSameFile) {
    const std::string file = staged_file("ftok-target", "x");
    const key_t expected = ftok(file.c_str(), 'A');
    ASSERT_NE(expected, -1);
    const std::string spec = write_spec(R"(
[[sysv.shm]]
ftok = { path = ")" + file + R"(", proj = 65 }
size = 100
)");
    Outcome o = ipcbox({"run", "-c", spec, "--", "/bin/cat", "/proc/sysvipc/shm"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(sysvipc_row(o.out, expected)["size"], "100") << o.out;
}

TEST_P(Preseed, FixedIds) {
    const std::string spec = write_spec(R"(
[[sysv.queue]]
key = 0x1

[[sysv.queue]]
key = 0x2
id = 0

[[sysv.semaphore]]
key = 0x3
values = [1]
id = 98309

[[sysv.shm]]
key = 0x4
size = 10
id = 77
)");
    Outcome o = ipcbox({"run", "-c", spec, "--", ipcread(), "msgstat", "0x2", ",", "semstat", "0x3",
                        ",", "shmstat", "0x4", ",", "msgstat", "0x1"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    // 98309 = index 5 + 32768 * 3; the unfixed queue 0x1 must not take id 0 from 0x2.
    EXPECT_EQ(o.out,
              "msgstat id=0 uid=0 gid=0 cuid=0 cgid=0 mode=0600 qbytes=16384 qnum=0\n"
              "semstat id=98309 uid=0 gid=0 cuid=0 cgid=0 mode=0600 nsems=1\n"
              "shmstat id=77 uid=0 gid=0 cuid=0 cgid=0 mode=0600 size=10\n"
              "msgstat id=1 uid=0 gid=0 cuid=0 cgid=0 mode=0600 qbytes=16384 qnum=0\n");
}

TEST_P(Preseed, PosixQueueDeliversByPriority) {
    const std::string spec = write_spec(R"(
[[posix.queue]]
name = "/jobs"
max_messages = 4
message_size = 16
mode = 0o640
messages = [
  { priority = 1, text = "low" },
  { priority = 9, hex = "00ff" },
  { priority = 5, text = "mid" },
]
)");
    Outcome o =
        ipcbox({"run", "-c", spec, "--", ipcread(), "mqstat", "/jobs", ",", "mqread", "/jobs"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "stat /jobs mode=0640 uid=0 gid=0 size=80\nmqattr 4 16 3\nmq 9 00ff\nmq 5 " +
                         hex_of("mid") + "\nmq 1 " + hex_of("low") + "\nmqend 3\n");
}

TEST_P(Preseed, PosixShmAndSemaphoreAreFilesInTheSandboxDevShm) {
    const std::string spec = write_spec(R"(
[[posix.shm]]
name = "/blob"
size = 4096
mode = 0o640
text = "hello"

[[posix.semaphore]]
name = "/lock"
value = 3
mode = 0o604
)");
    Outcome o =
        ipcbox({"run", "-c", spec, "--", ipcread(), "stat", "/dev/shm/blob", ",", "fileread",
                "/dev/shm/blob", "6", ",", "stat", "/dev/shm/sem.lock", ",", "semvalue", "/lock"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "stat /dev/shm/blob mode=0640 uid=0 gid=0 size=4096\nfile " + hex_of("hello") +
                         "00\nstat /dev/shm/sem.lock mode=0604 uid=0 gid=0 size=32\nsemvalue 3\n");
}

TEST_P(Preseed, SysctlsApplyInsideBeforeObjects) {
    const std::string spec = write_spec(R"(
[sysctl]
"kernel.msgmnb" = 70000
"kernel.msgmax" = 20000
"kernel.sem" = [10, 1000, 20, 30]
"fs.mqueue.msg_max" = 64

[[sysv.queue]]
key = 0x5
messages = [ { type = 1, text = "a" } ]

[[posix.queue]]
name = "/big"
max_messages = 64
)");
    Outcome o = ipcbox({"run", "-c", spec, "--", "/bin/sh", "-c",
                        "cat /proc/sys/kernel/msgmnb /proc/sys/kernel/msgmax /proc/sys/kernel/sem "
                        "/proc/sys/fs/mqueue/msg_max; " +
                            ipcread() + " msgstat 0x5 , mqread /big"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    // The queue was made after msgmnb changed, so it got the new default max_bytes.
    EXPECT_EQ(o.out,
              "70000\n20000\n10\t1000\t20\t30\n64\n"
              "msgstat id=0 uid=0 gid=0 cuid=0 cgid=0 mode=0600 qbytes=70000 qnum=1\n"
              "mqattr 64 8192 0\nmqend 0\n");
}

TEST_P(Preseed, HundredsOfObjects) {
    std::string toml;
    for (int i = 0; i < 300; ++i) {
        toml += "[[sysv.queue]]\nkey = " + std::to_string(0x10000 + i) +
                "\nmessages = [{ type = " + std::to_string(i + 1) + ", text = \"m" +
                std::to_string(i) + "\" }]\n";
        toml += "[[sysv.semaphore]]\nkey = " + std::to_string(0x20000 + i) + "\nvalues = [" +
                std::to_string(i) + ", 1]\n";
    }
    for (int i = 0; i < 100; ++i) {
        toml += "[[sysv.shm]]\nkey = " + std::to_string(0x30000 + i) + "\nsize = 64\ntext = \"s" +
                std::to_string(i) + "\"\n";
        toml += "[[posix.queue]]\nname = \"/q" + std::to_string(i) +
                "\"\nmax_messages = 2\nmessage_size = 16\nmessages = [{ priority = 1, text = "
                "\"p\" }]\n";
        toml += "[[posix.shm]]\nname = \"/s" + std::to_string(i) + "\"\nsize = 16\n";
        toml += "[[posix.semaphore]]\nname = \"/m" + std::to_string(i) + "\"\nvalue = 1\n";
    }
    const std::string spec = write_spec(toml);
    const std::string script =
        "tail -n +2 /proc/sysvipc/msg | wc -l; tail -n +2 /proc/sysvipc/sem | wc -l; "
        "tail -n +2 /proc/sysvipc/shm | wc -l; ls /dev/shm | wc -l; " +
        ipcread() + " msgrcv " + std::to_string(0x10000 + 299) + " , semgetall " +
        std::to_string(0x20000 + 299) + " , shmread " + std::to_string(0x30000 + 99) +
        " 3 , mqread /q99";
    Outcome o = ipcbox({"run", "-c", spec, "--", "/bin/sh", "-c", script});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "300\n300\n100\n200\nmsg 300 " + hex_of("m299") +
                         "\nmsgend 1\nsem 299 1\nshm " + hex_of("s99") + "\nmqattr 2 16 1\nmq 1 " +
                         hex_of("p") + "\nmqend 1\n");
}

INSTANTIATE_TEST_SUITE_P(Run, Preseed, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
