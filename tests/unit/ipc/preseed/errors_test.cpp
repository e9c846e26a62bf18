// Every preseed failure names the object, the call, the errno and, when it can, the reason.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipc/preseed/preseed.hpp"
#include "ns/sysctl.hpp"
#include "tests/common/skip.hpp"
#include "tests/unit/sandbox/sandbox.hpp"

namespace ipcbox::test {
namespace {

using config::Spec;

// The first error of apply_sysctls + preseed in a sandbox, or "ok".
std::string error_of(Privilege privilege, const Spec& spec, InsideIds ids = {}) {
    return in_sandbox(
        privilege,
        [&] {
            if (Status s = ns::apply_sysctls(spec.sysctls); !s) return s.error().message;
            if (auto r = ipc::preseed(spec.objects, {.dev_shm = spec.dev_shm.mode}); !r)
                return r.error().message;
            return std::string("ok");
        },
        ids);
}

class PreseedErrors : public ::testing::TestWithParam<Privilege> {
  protected:
    void SetUp() override {
        if (!can_run(GetParam())) IPCBOX_SKIP("needs root, or user namespaces");
    }
    std::string error_of(const Spec& spec) { return test::error_of(GetParam(), spec); }
};

// What only a rootless sandbox meets: one mapped id, no CAP_SYS_RESOURCE.
class PreseedErrorsRootless : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!can_run(Privilege::Rootless)) IPCBOX_SKIP("needs user namespaces");
    }
    std::string error_of(const Spec& spec, InsideIds ids = {}) {
        return test::error_of(Privilege::Rootless, spec, ids);
    }
};

TEST_P(PreseedErrors, QueueTooSmallForItsMessages) {
    Spec spec;
    spec.objects.sysv_queues.push_back(sysv_queue(0x1));
    spec.objects.sysv_queues.push_back(
        sysv_queue(0x1234, {{1, std::string(60, 'a')}, {2, "0123456789"}}));
    spec.objects.sysv_queues.back().max_bytes = 64;
    spec.objects.sysv_queues.back().messages.push_back({3, std::string(30, 'c')});
    EXPECT_EQ(error_of(spec),
              "sysv.queue[1] (key 0x1234): msgsnd: Resource temporarily unavailable "
              "(max_bytes 64 < 100 bytes of messages)");
}

TEST_P(PreseedErrors, MessageLongerThanMsgmax) {
    Spec spec;
    spec.sysctls = {sysctl("kernel.msgmax", "16")};
    spec.objects.sysv_queues.push_back(sysv_queue(0x99, {{1, "short"}, {1, std::string(20, 'x')}}));
    EXPECT_EQ(error_of(spec),
              "sysv.queue[0] (key 0x99): msgsnd: Invalid argument "
              "(message[1] is 20 bytes > kernel.msgmax 16)");
}

TEST_P(PreseedErrors, NonPositiveMessageType) {
    Spec spec;
    spec.objects.sysv_queues.push_back(sysv_queue(0x98, {{0, "x"}}));
    EXPECT_EQ(error_of(spec),
              "sysv.queue[0] (key 0x98): msgsnd: Invalid argument "
              "(message[0] type 0 is not positive)");
}

TEST_P(PreseedErrors, DuplicateKeyNamesTheOtherObject) {
    Spec spec;
    spec.objects.sysv_semaphores.push_back(sysv_semaphore(0x50, {1}));
    spec.objects.sysv_semaphores.push_back(sysv_semaphore(0x50, {1}));
    EXPECT_EQ(error_of(spec),
              "sysv.semaphore[1] (key 0x50): semget: File exists "
              "(the key is already used by sysv.semaphore[0])");
}

TEST_P(PreseedErrors, IdAlreadyTaken) {
    Spec spec;
    spec.objects.sysv_shms.push_back(sysv_shm(0x1, 64));
    spec.objects.sysv_shms.back().id = 3;
    spec.objects.sysv_shms.push_back(sysv_shm(0x2, 64));
    spec.objects.sysv_shms.back().id = 3;
    EXPECT_EQ(error_of(spec),
              "sysv.shm[1] (key 0x2): shmget returned id 4, not id 3 (another object already "
              "holds index 3; an id is index + 32768 * sequence)");
}

TEST_F(PreseedErrorsRootless, UnmappedOwnerSaysWhichIdsAreMapped) {
    Spec spec;
    spec.objects.sysv_queues.push_back(sysv_queue(0x77));
    spec.objects.sysv_queues.back().access.owner = 0;
    EXPECT_EQ(error_of(spec, {1000, 1000}),
              "sysv.queue[0] (key 0x77): msgctl IPC_SET: Invalid argument (owner 0 is not "
              "mapped in the sandbox's user namespace, which maps uid 1000)");
    spec.objects.sysv_queues.back().access.owner.reset();
    spec.objects.sysv_queues.back().access.group = 5;
    EXPECT_EQ(error_of(spec, {1000, 1000}),
              "sysv.queue[0] (key 0x77): msgctl IPC_SET: Invalid argument (group 5 is not "
              "mapped in the sandbox's user namespace, which maps gid 1000)");
}

TEST_F(PreseedErrorsRootless, MaxBytesAboveMsgmnbNeedsTheSysctl) {
    Spec spec;
    spec.objects.sysv_queues.push_back(sysv_queue(0x77));
    spec.objects.sysv_queues.back().max_bytes = 100000;
    EXPECT_EQ(error_of(spec),
              "sysv.queue[0] (key 0x77): msgctl IPC_SET: Operation not permitted (max_bytes "
              "100000 > kernel.msgmnb 16384: raise kernel.msgmnb in [sysctl])");
    spec.sysctls = {sysctl("kernel.msgmnb", "100000")};
    EXPECT_EQ(error_of(spec), "ok");
}

TEST_P(PreseedErrors, FtokOfAMissingPath) {
    Spec spec;
    config::SysvShm s = sysv_shm(0, 64);
    s.key.value.reset();
    s.key.ftok_path = "/nonexistent/ipcbox";
    s.key.ftok_proj = 65;
    spec.objects.sysv_shms.push_back(s);
    EXPECT_EQ(error_of(spec),
              "sysv.shm[0] (ftok(/nonexistent/ipcbox, 65)): ftok: No such file or directory "
              "(the path must exist inside the sandbox)");
}

TEST_P(PreseedErrors, SemaphoreLimits) {
    Spec spec;
    spec.sysctls = {sysctl("kernel.sem", "4 100 32 10")};
    spec.objects.sysv_semaphores.push_back(sysv_semaphore(0x5, {1, 2, 3, 4, 5}));
    EXPECT_EQ(error_of(spec),
              "sysv.semaphore[0] (key 0x5): semget: Invalid argument "
              "(5 values > SEMMSL 4 (kernel.sem, first field))");
    spec.objects.sysv_semaphores[0].values = {1, 40000};
    EXPECT_EQ(error_of(spec),
              "sysv.semaphore[0] (key 0x5): semctl SETALL: Numerical result out of range "
              "(values[1] = 40000 is outside 0..32767 (SEMVMX))");
}

TEST_P(PreseedErrors, ShmLimits) {
    Spec spec;
    spec.sysctls = {sysctl("kernel.shmmax", "1000")};
    spec.objects.sysv_shms.push_back(sysv_shm(0x6, 2000));
    EXPECT_EQ(error_of(spec),
              "sysv.shm[0] (key 0x6): shmget: Invalid argument "
              "(size 2000 is 0 or > kernel.shmmax 1000)");
    spec.objects.sysv_shms[0] = sysv_shm(0x6, 4, "12345");
    EXPECT_EQ(error_of(spec), "sysv.shm[0] (key 0x6): initial: 5 bytes do not fit in size 4");
}

TEST_P(PreseedErrors, TooManyQueues) {
    Spec spec;
    spec.sysctls = {sysctl("kernel.msgmni", "2")};
    for (int i = 1; i <= 3; ++i) spec.objects.sysv_queues.push_back(sysv_queue(i));
    EXPECT_EQ(error_of(spec),
              "sysv.queue[2] (key 0x3): msgget: No space left on device "
              "(kernel.msgmni 2 queues reached)");
}

config::PosixQueue posix_queue(std::string name, long max, long size,
                               std::vector<config::PosixMessage> messages = {}) {
    config::PosixQueue q;
    q.name = std::move(name);
    q.max_messages = max;
    q.message_size = size;
    q.messages = std::move(messages);
    return q;
}

TEST_P(PreseedErrors, PosixQueueLimits) {
    Spec spec;
    spec.objects.posix_queues.push_back(posix_queue("/q", 2, 8, {{1, "a"}, {2, "b"}, {3, "c"}}));
    EXPECT_EQ(error_of(spec),
              "posix.queue[0] (/q): mq_send: Resource temporarily unavailable "
              "(3 messages > max_messages 2)");
    spec.objects.posix_queues[0] = posix_queue("/q", 2, 8, {{1, "123456789"}});
    EXPECT_EQ(error_of(spec),
              "posix.queue[0] (/q): mq_send: Message too long "
              "(message[0] is 9 bytes > message_size 8)");
    spec.sysctls = {sysctl("fs.mqueue.msg_max", "3")};
    spec.objects.posix_queues[0] = posix_queue("/q", 4, 8);
    EXPECT_EQ(error_of(spec),
              "posix.queue[0] (/q): mq_open: Invalid argument (max_messages 4 must be <= "
              "fs.mqueue.msg_max 3 and message_size 8 <= fs.mqueue.msgsize_max 8192)");
    spec.sysctls = {sysctl("fs.mqueue.queues_max", "1")};
    spec.objects.posix_queues = {posix_queue("/a", 1, 8), posix_queue("/b", 1, 8)};
    EXPECT_EQ(error_of(spec),
              "posix.queue[1] (/b): mq_open: No space left on device "
              "(fs.mqueue.queues_max 1 queues reached)");
}

TEST_P(PreseedErrors, PosixFileObjects) {
    Spec spec;
    config::PosixShm shm;
    shm.name = "/a/b";
    shm.size_bytes = 10;
    spec.objects.posix_shms.push_back(shm);
    EXPECT_EQ(error_of(spec),
              "posix.shm[0] (/a/b): shm_open: Invalid argument "
              "(a name is / followed by up to 255 characters without another /)");
    spec.objects.posix_shms[0].name = "/big";
    spec.objects.posix_shms[0].size_bytes = 64 << 20;  // the test's /dev/shm holds 16M
    spec.objects.posix_shms[0].initial = std::string(32 << 20, 'x');
    EXPECT_EQ(error_of(spec),
              "posix.shm[0] (/big): write: No space left on device "
              "(/dev/shm is full: raise dev_shm.size)");
    spec.objects.posix_shms.clear();
    config::PosixSemaphore sem;
    sem.name = "/s";
    sem.value = 0x80000000u;
    spec.objects.posix_semaphores.push_back(sem);
    EXPECT_EQ(error_of(spec),
              "posix.semaphore[0] (/s): sem_open: Invalid argument "
              "(value 2147483648 > SEM_VALUE_MAX 2147483647)");
    spec.dev_shm.mode = config::DevShmMode::Host;
    EXPECT_EQ(error_of(spec), "posix.shm and posix.semaphore need dev_shm.mode = \"private\"");
}

TEST_P(PreseedErrors, SysctlProblems) {
    Spec spec;
    spec.sysctls = {sysctl("kernel.hostname", "x")};
    EXPECT_EQ(error_of(spec), "sysctl kernel.hostname: not a per-IPC-namespace knob");
    spec.sysctls = {sysctl("kernel.msgmnb", "lots")};
    EXPECT_EQ(error_of(spec), "sysctl kernel.msgmnb: write lots: Invalid argument");
    spec.sysctls = {sysctl("kernel.auto_msgmni", "1")};
    EXPECT_EQ(error_of(spec), "sysctl kernel.auto_msgmni: wrote 1 but read back 0");
    // The kernel reads a leading 0 as octal: not what anyone writing msgmax means.
    spec.sysctls = {sysctl("kernel.msgmax", "0100")};
    EXPECT_EQ(error_of(spec), "sysctl kernel.msgmax: wrote 0100 but read back 64");
    // -1 ("kernel chooses") cannot be written, but it is what a new namespace already has.
    spec.sysctls = {sysctl("kernel.msgmax", "100\n"), sysctl("kernel.sem", " 10\t20  30 40 "),
                    sysctl("kernel.msg_next_id", "-1")};
    EXPECT_EQ(error_of(spec), "ok");
}

TEST_P(PreseedErrors, ErrorsPointIntoTheSpec) {
    Spec spec;
    spec.objects.sysv_queues.push_back(sysv_queue(0x1, {{-5, "x"}}));
    spec.objects.sysv_queues[0].origin = {"/etc/spec.toml", 12, 1};
    std::string hint = in_sandbox(GetParam(), [&] {
        auto s = ipc::preseed(spec.objects, {.dev_shm = spec.dev_shm.mode});
        return s ? std::string("ok") : s.error().hint;
    });
    EXPECT_EQ(hint, "sysv.queue[0] is defined at /etc/spec.toml:12:1");
}

INSTANTIATE_TEST_SUITE_P(Preseed, PreseedErrors,
                         ::testing::Values(Privilege::Root, Privilege::Rootless), privilege_name);

// Without a new IPC namespace the knobs are the host's: the write must be refused.
TEST(SysctlOutsideAnIpcNamespace, IsRefused) {
    if (!can_run(Privilege::Rootless)) IPCBOX_SKIP("needs user namespaces");
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        std::string answer = "setup failed";
        const bool root = geteuid() == 0;
        if ((!root ||
             (setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0)) &&
            prctl(PR_SET_DUMPABLE, 1) == 0 && unshare(CLONE_NEWUSER) == 0) {
            Status s = ns::apply_sysctls({sysctl("kernel.msgmnb", "12345")});
            answer = s ? "ok" : s.error().message + " | " + s.error().hint;
        }
        ssize_t ignored = write(fds[1], answer.data(), answer.size());
        (void)ignored;
        _exit(0);
    }
    close(fds[1]);
    char buf[512];
    ssize_t n = read(fds[0], buf, sizeof buf);
    close(fds[0]);
    waitpid(pid, nullptr, 0);
    EXPECT_EQ(std::string(buf, n > 0 ? n : 0),
              "sysctl kernel.msgmnb: open /proc/sys/kernel/msgmnb: Permission denied | IPC "
              "sysctls are only writable inside a new IPC namespace owned by the sandbox's user "
              "namespace");
}

}  // namespace
}  // namespace ipcbox::test
