// Preseeding happens in the sandbox's namespaces only: after a run, successful or not, the host
// has none of the objects and its IPC sysctls are as they were.
#include <mqueue.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

key_t host_key(int salt) {
    return 0x1c000000 | ((getpid() & 0xffff) << 4) | (salt & 0xf);
}
std::string host_name(const std::string& what) {
    return "/ipcbox-preseed-" + what + "-" + std::to_string(getpid());
}

// Removes whatever a faulty run might have left on the host, however the test ends.
struct HostCleanup {
    ~HostCleanup() {
        if (int id = msgget(host_key(1), 0); id >= 0) msgctl(id, IPC_RMID, nullptr);
        if (int id = semget(host_key(2), 0, 0); id >= 0) semctl(id, 0, IPC_RMID);
        if (int id = shmget(host_key(3), 0, 0); id >= 0) shmctl(id, IPC_RMID, nullptr);
        mq_unlink(host_name("q").c_str());
        shm_unlink(host_name("s").c_str());
        sem_unlink(host_name("m").c_str());
    }
};

const char* const kKnobs[] = {"kernel/msgmnb",    "kernel/msgmax",          "kernel/sem",
                              "kernel/shmmni",    "kernel/shm_rmid_forced", "kernel/msg_next_id",
                              "fs/mqueue/msg_max"};

std::string host_sysctls() {
    std::string all;
    for (const char* knob : kKnobs) {
        std::ifstream in(std::string("/proc/sys/") + knob);
        all += std::string(knob) + "=" +
               std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
}

long host_value(const char* knob) {
    long v = 0;
    std::ifstream(std::string("/proc/sys/") + knob) >> v;
    return v;
}

// The last object does not fit in the sandbox's /dev/shm.
std::string failing_tail() {
    const std::string file = staged_file("host-test-768k.bin", std::string(768 << 10, 'z'));
    return "[[posix.shm]]\nname = \"/big\"\nsize = \"768K\"\nfile = \"" + file +
           "\"\n[[posix.shm]]\nname = \"/big2\"\nsize = \"768K\"\nfile = \"" + file +
           "\"\n[dev_shm]\nsize = \"1M\"\n";
}

// Every kind of object, and sysctls that differ from the host's current values.
std::string spec_toml(bool fail_at_the_end) {
    const std::string msgmnb = std::to_string(host_value("kernel/msgmnb") + 7);
    const std::string msg_max = std::to_string(host_value("fs/mqueue/msg_max") + 3);
    return R"(
[sysctl]
"kernel.msgmnb" = )" +
           msgmnb + R"(
"kernel.msgmax" = 4000
"kernel.sem" = [11, 1001, 21, 31]
"kernel.shmmni" = 333
"kernel.shm_rmid_forced" = 1
"fs.mqueue.msg_max" = )" +
           msg_max + R"(

[[sysv.queue]]
key = )" + std::to_string(host_key(1)) +
           R"(
id = 1234
messages = [ { type = 1, text = "m" } ]

[[sysv.semaphore]]
key = )" + std::to_string(host_key(2)) +
           R"(
values = [1]

[[sysv.shm]]
key = )" + std::to_string(host_key(3)) +
           R"(
size = 64
text = "s"

[[posix.queue]]
name = ")" +
           host_name("q") + R"("

[[posix.semaphore]]
name = ")" +
           host_name("m") + R"("

[[posix.shm]]
name = ")" +
           host_name("s") + R"("
size = 64
)" + (fail_at_the_end ? failing_tail() : "");
}

void expect_host_untouched(const std::string& sysctls_before) {
    EXPECT_EQ(host_sysctls(), sysctls_before);
    EXPECT_LT(msgget(host_key(1), 0), 0);
    EXPECT_LT(semget(host_key(2), 0, 0), 0);
    EXPECT_LT(shmget(host_key(3), 0, 0), 0);
    const mqd_t mq = mq_open(host_name("q").c_str(), O_RDONLY);
    EXPECT_EQ(mq, static_cast<mqd_t>(-1));
    if (mq != static_cast<mqd_t>(-1)) mq_close(mq);
    EXPECT_FALSE(std::filesystem::exists("/dev/shm" + host_name("s")));
    EXPECT_FALSE(std::filesystem::exists("/dev/shm/sem." + host_name("m").substr(1)));
}

using PreseedHost = AsEachUser;

TEST_P(PreseedHost, ASuccessfulRunLeavesTheHostAsItWas) {
    HostCleanup cleanup;
    const std::string before = host_sysctls();
    // Control: the objects do exist inside.
    Outcome o = ipcbox({"run", "-c", write_spec(spec_toml(false)), "--", support("ipcread"),
                        "msgstat", std::to_string(host_key(1)), ",", "semvalue", host_name("m")});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "msgstat id=1234 uid=0 gid=0 cuid=0 cgid=0 mode=0600 qbytes=" +
                         std::to_string(host_value("kernel/msgmnb") + 7) + " qnum=1\nsemvalue 0\n");
    expect_host_untouched(before);
}

TEST_P(PreseedHost, AFailedRunLeavesTheHostAsItWas) {
    HostCleanup cleanup;
    const std::string before = host_sysctls();
    Outcome o = ipcbox({"run", "-c", write_spec(spec_toml(true)), "--", "/bin/true"});
    ASSERT_EQ(o.exit_code, 125) << o.err;
    EXPECT_EQ(
        o.err.substr(0, o.err.find('\n')),
        "ipcbox: posix.shm[2] (/big2): write: No space left on device (/dev/shm is full: raise "
        "dev_shm.size)");
    expect_host_untouched(before);
}

INSTANTIATE_TEST_SUITE_P(Run, PreseedHost, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
