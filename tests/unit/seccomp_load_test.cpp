// Loads the compiled filter in a forked child (no launcher) and checks what each call gets, on
// every ABI: x86_64, i386 through `int $0x80` (direct calls and the ipc(2) multiplexer), x32.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <mqueue.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <optional>
#include <string>

#include "ns/seccomp.hpp"

namespace ipcbox::ns {
namespace {

using config::Block;
using config::IpcKind;

constexpr long kX32Bit = 0x40000000;
constexpr long kI386Ipc = 117, kI386Msgget = 399, kI386Semget = 393, kI386MqOpen = 277;
constexpr long kI386Getpid = 20;
constexpr long kIpcSemget = 2, kIpcMsgget = 13;
constexpr long kCreate = IPC_CREAT | 0600;

long i386_call(long nr, long a = 0, long b = 0, long c = 0, long d = 0) {
    long ret;
    asm volatile("int $0x80"
                 : "=a"(ret)
                 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(0)
                 : "memory", "r8", "r9", "r10", "r11");
    return static_cast<int>(ret);
}
int i386_errno(long ret) {
    return ret < 0 ? static_cast<int>(-ret) : 0;
}
int errno_of(long rc) {
    return rc < 0 ? errno : 0;
}

bool write_proc(const char* path, const std::string& text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    close(fd);
    return ok;
}

// A new IPC namespace, so nothing a call creates outlives the child. Rootless it needs a user ns
// with ids mapped: an unmapped owner makes mq_open fail with EOVERFLOW.
bool private_ipc_ns() {
    if (unshare(CLONE_NEWIPC) == 0) return true;
    const std::string uid = std::to_string(geteuid()), gid = std::to_string(getegid());
    return unshare(CLONE_NEWUSER | CLONE_NEWIPC) == 0 &&
           write_proc("/proc/self/setgroups", "deny") &&
           write_proc("/proc/self/uid_map", "0 " + uid + " 1") &&
           write_proc("/proc/self/gid_map", "0 " + gid + " 1");
}

constexpr int kNoNamespace = 250, kLoadFailed = 251, kSetupFailed = 252;

// Forks; the child enters a private IPC ns, runs `setup` (unfiltered, like preseeding), loads the
// program and exits with what `call` returns (an errno).
int in_child(
    const SeccompProgram& program, const std::function<int()>& call,
    const std::function<bool()>& setup = [] { return true; }) {
    pid_t pid = fork();
    if (pid == 0) {
        if (!private_ipc_ns()) _exit(kNoNamespace);
        if (!setup()) _exit(kSetupFailed);
        if (!load_filter(program)) _exit(kLoadFailed);
        _exit(call());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

SeccompProgram compile(const Block& block) {
    auto program = compile_block_filter(block);
    EXPECT_TRUE(program.ok()) << (program.ok() ? "" : program.error().message);
    return program.ok() ? program.value() : SeccompProgram{};
}

Block blocking(std::vector<IpcKind> kinds, int err = EPERM) {
    Block b;
    b.kinds = std::move(kinds);
    b.errno_value = err;
    return b;
}
Block creating(std::vector<IpcKind> kinds, int err = EPERM) {
    Block b;
    b.create = std::move(kinds);
    b.errno_value = err;
    return b;
}

class SeccompLoad : public ::testing::Test {
  protected:
    void SetUp() override {
        if (in_child(SeccompProgram{}, [] { return 0; }) == kNoNamespace)
            GTEST_SKIP() << "no IPC namespace can be made here (needs root or user namespaces)";
    }
};

constexpr long kKey = 0x5eed1e, kOtherKey = 0x5eed2e;

bool x32_supported() {
    return syscall(kX32Bit | SYS_getpid) >= 0;
}
int x32_unblocked() {
    return x32_supported() ? 0 : ENOSYS;
}

// i386 calls take 32-bit pointers.
const char* low_name(const char* name) {
    void* p =
        mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    return std::strcpy(static_cast<char*>(p), name);
}

int msgget_create() {
    return errno_of(msgget(IPC_PRIVATE, kCreate));
}
int i386_ipc_semget_create() {
    return i386_errno(i386_call(kI386Ipc, kIpcSemget, IPC_PRIVATE, 1, kCreate));
}
int pipe_works() {
    int fds[2];
    return errno_of(pipe(fds));
}
int mq_create(const char* name) {
    return errno_of(mq_open(name, O_CREAT | O_RDWR, 0600, nullptr));
}

TEST_F(SeccompLoad, AnEmptyProgramOnlySetsNoNewPrivs) {
    SeccompProgram none;
    EXPECT_EQ(in_child(none, msgget_create), 0);
    EXPECT_EQ(in_child(none, i386_ipc_semget_create), 0);
    EXPECT_EQ(in_child(none, [] { return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1; }),
              0);
}

TEST_F(SeccompLoad, EachErrnoChoiceIsWhatABlockedCallGets) {
    for (int err : {EPERM, EACCES, ENOSYS}) {
        auto program = compile(blocking({IpcKind::SysvQueue}, err));
        EXPECT_EQ(in_child(program, msgget_create), err);
        EXPECT_EQ(in_child(program, [] { return errno_of(msgctl(0, IPC_RMID, nullptr)); }), err);
        EXPECT_EQ(in_child(program, pipe_works), 0);
    }
}

// One call of one kind (nullopt: a control that no block may touch) and what it gets unfiltered.
struct Probe {
    const char* name;
    std::optional<IpcKind> kind;
    std::function<int()> call;
    int unblocked;
};

std::vector<Probe> probes() {
    using K = IpcKind;
    const int x32 = x32_unblocked();
    sembuf op{0, 1, IPC_NOWAIT};
    return {
        {"msgget", K::SysvQueue, msgget_create, 0},
        {"msgsnd", K::SysvQueue,
         [] {
             long m[2] = {1, 0};
             return errno_of(msgsnd(-1, m, 1, IPC_NOWAIT));
         },
         EINVAL},
        {"i386 msgget", K::SysvQueue,
         [] { return i386_errno(i386_call(kI386Msgget, IPC_PRIVATE, kCreate)); }, 0},
        {"i386 ipc MSGGET", K::SysvQueue,
         [] { return i386_errno(i386_call(kI386Ipc, kIpcMsgget, IPC_PRIVATE, kCreate)); }, 0},
        {"i386 ipc MSGGET v1", K::SysvQueue,
         [] { return i386_errno(i386_call(kI386Ipc, 0x10000 | kIpcMsgget, IPC_PRIVATE, kCreate)); },
         0},
        {"x32 msgget", K::SysvQueue,
         [] { return errno_of(syscall(kX32Bit | SYS_msgget, IPC_PRIVATE, kCreate)); }, x32},
        {"semget", K::SysvSemaphore, [] { return errno_of(semget(IPC_PRIVATE, 1, kCreate)); }, 0},
        {"semop", K::SysvSemaphore, [op]() mutable { return errno_of(semop(-1, &op, 1)); }, EINVAL},
        {"semtimedop", K::SysvSemaphore,
         [op]() mutable { return errno_of(semtimedop(-1, &op, 1, nullptr)); }, EINVAL},
        {"i386 semget", K::SysvSemaphore,
         [] { return i386_errno(i386_call(kI386Semget, IPC_PRIVATE, 1, kCreate)); }, 0},
        {"i386 ipc SEMGET", K::SysvSemaphore, i386_ipc_semget_create, 0},
        {"i386 ipc SEMGET v2", K::SysvSemaphore,
         [] {
             return i386_errno(i386_call(kI386Ipc, 0x20000 | kIpcSemget, IPC_PRIVATE, 1, kCreate));
         },
         0},
        {"i386 semtimedop_time64", K::SysvSemaphore,
         [] { return i386_errno(i386_call(420, -1, 0, 0, 0)); }, EINVAL},
        {"x32 semget", K::SysvSemaphore,
         [] { return errno_of(syscall(kX32Bit | SYS_semget, IPC_PRIVATE, 1, kCreate)); }, x32},
        {"shmget", K::SysvShm, [] { return errno_of(shmget(IPC_PRIVATE, 4096, kCreate)); }, 0},
        {"shmat", K::SysvShm,
         [] { return shmat(-1, nullptr, 0) == reinterpret_cast<void*>(-1) ? errno : 0; }, EINVAL},
        {"i386 shmget", K::SysvShm,
         [] { return i386_errno(i386_call(395, IPC_PRIVATE, 4096, kCreate)); }, 0},
        {"i386 ipc SHMGET", K::SysvShm,
         [] { return i386_errno(i386_call(kI386Ipc, 23, IPC_PRIVATE, 4096, kCreate)); }, 0},
        {"x32 shmget", K::SysvShm,
         [] { return errno_of(syscall(kX32Bit | SYS_shmget, IPC_PRIVATE, 4096, kCreate)); }, x32},
        {"mq_open", K::PosixQueue, [] { return mq_create("/ipcbox-unit"); }, 0},
        {"mq_unlink", K::PosixQueue, [] { return errno_of(mq_unlink("/ipcbox-unit-none")); },
         ENOENT},
        {"mq_notify", K::PosixQueue, [] { return errno_of(syscall(SYS_mq_notify, -1, nullptr)); },
         EBADF},
        {"mq_getsetattr", K::PosixQueue,
         [] {
             mq_attr a{};
             return errno_of(syscall(SYS_mq_getsetattr, -1, nullptr, &a));
         },
         EBADF},
        {"mq_timedsend", K::PosixQueue,
         [] { return errno_of(syscall(SYS_mq_timedsend, -1, "x", 1, 0, nullptr)); }, EBADF},
        {"mq_timedreceive", K::PosixQueue,
         [] {
             char b[8];
             return errno_of(syscall(SYS_mq_timedreceive, -1, b, 8, nullptr, nullptr));
         },
         EBADF},
        {"i386 mq_open", K::PosixQueue,
         [] {
             return i386_errno(i386_call(kI386MqOpen,
                                         reinterpret_cast<long>(low_name("ipcbox-unit")),
                                         O_CREAT | O_RDWR, 0600, 0));
         },
         0},
        {"i386 mq_timedsend_time64", K::PosixQueue,
         [] { return i386_errno(i386_call(418, -1, 0, 0, 0)); }, EBADF},
        {"x32 mq_open", K::PosixQueue,
         [] {
             return errno_of(
                 syscall(kX32Bit | SYS_mq_open, "ipcbox-unit", O_CREAT | O_RDWR, 0600, nullptr));
         },
         x32},
        {"pipe", std::nullopt, pipe_works, 0},
        {"memfd", std::nullopt, [] { return errno_of(memfd_create("ipcbox-unit", 0)); }, 0},
        {"socketpair", std::nullopt,
         [] {
             int fds[2];
             return errno_of(socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
         },
         0},
        {"open", std::nullopt, [] { return errno_of(open("/tmp", O_TMPFILE | O_RDWR, 0600)); }, 0},
        {"i386 getpid", std::nullopt, [] { return i386_errno(i386_call(kI386Getpid)); }, 0},
        // An x32 call the filter does not name must not be killed as a foreign ABI.
        {"x32 getpid", std::nullopt, [] { return errno_of(syscall(kX32Bit | SYS_getpid)); }, x32},
    };
}

TEST_F(SeccompLoad, UnfilteredProbesGetWhatTheTableExpects) {
    for (const auto& p : probes())
        EXPECT_EQ(in_child(SeccompProgram{}, p.call), p.unblocked) << p.name;
}

TEST_F(SeccompLoad, EachBlockedKindFailsOnEveryAbiAndNothingElseDoes) {
    for (IpcKind kind :
         {IpcKind::SysvQueue, IpcKind::SysvSemaphore, IpcKind::SysvShm, IpcKind::PosixQueue}) {
        auto program = compile(blocking({kind}, EACCES));
        for (const auto& p : probes()) {
            int want = p.kind == kind ? EACCES : p.unblocked;
            EXPECT_EQ(in_child(program, p.call), want) << config::kind_name(kind) << ": " << p.name;
        }
    }
}

// Preseeding runs before the filter; fixtures made then must stay usable.
bool make_sysv_fixtures() {
    return msgget(kKey, kCreate) >= 0 && semget(kKey, 1, kCreate) >= 0 &&
           shmget(kKey, 4096, kCreate) >= 0;
}

TEST_F(SeccompLoad, CreateOnlySysvKeepsFixturesUsableAndRefusesNewObjects) {
    auto program =
        compile(creating({IpcKind::SysvQueue, IpcKind::SysvSemaphore, IpcKind::SysvShm}));
    auto check = [&](const char* what, int want, std::function<int()> call) {
        EXPECT_EQ(in_child(program, call, make_sysv_fixtures), want) << what;
    };
    check("msgget key", 0, [] { return errno_of(msgget(kKey, 0)); });
    check("msgsnd to fixture", 0, [] {
        long m[2] = {1, 0};
        return errno_of(msgsnd(msgget(kKey, 0), m, 1, IPC_NOWAIT));
    });
    check("msgget IPC_CREAT on existing key", EPERM,
          [] { return errno_of(msgget(kKey, IPC_CREAT)); });
    check("msgget new key", EPERM, [] { return errno_of(msgget(kOtherKey, kCreate)); });
    check("msgget IPC_PRIVATE", EPERM, [] { return errno_of(msgget(IPC_PRIVATE, 0600)); });
    // key_t is 32 bits: the kernel reads this key as IPC_PRIVATE.
    check("msgget IPC_PRIVATE with high bits", EPERM,
          [] { return errno_of(syscall(SYS_msgget, 0xffffffff00000000L, 0600)); });
    check("semget key", 0, [] { return errno_of(semget(kKey, 0, 0)); });
    check("semget new key", EPERM, [] { return errno_of(semget(kOtherKey, 1, kCreate)); });
    check("shmget key", 0, [] { return errno_of(shmget(kKey, 0, 0)); });
    check("shmget new key", EPERM, [] { return errno_of(shmget(kOtherKey, 4096, kCreate)); });
    check("i386 msgget key", 0, [] { return i386_errno(i386_call(kI386Msgget, kKey, 0)); });
    check("i386 msgget new key", EPERM,
          [] { return i386_errno(i386_call(kI386Msgget, kOtherKey, kCreate)); });
    check("i386 msgget IPC_PRIVATE", EPERM,
          [] { return i386_errno(i386_call(kI386Msgget, IPC_PRIVATE, 0600)); });
    check("i386 semget key", 0, [] { return i386_errno(i386_call(kI386Semget, kKey, 0, 0)); });
    check("i386 ipc SEMGET create", EPERM, i386_ipc_semget_create);
    // libseccomp cannot test the shifted flag of ipc(2): every multiplexed get is refused.
    check("i386 ipc MSGGET key", EPERM,
          [] { return i386_errno(i386_call(kI386Ipc, kIpcMsgget, kKey, 0)); });
    check("x32 msgget create", EPERM,
          [] { return errno_of(syscall(kX32Bit | SYS_msgget, IPC_PRIVATE, kCreate)); });
}

TEST_F(SeccompLoad, CreateOnlyPosixQueueKeepsFixturesUsable) {
    auto program = compile(creating({IpcKind::PosixQueue}, ENOSYS));
    auto fixture = [] { return mq_create("/fixture") == 0; };
    auto check = [&](const char* what, int want, std::function<int()> call) {
        EXPECT_EQ(in_child(program, call, fixture), want) << what;
    };
    check("mq_open fixture", 0, [] { return errno_of(mq_open("/fixture", O_RDWR)); });
    check("mq_open O_CREAT", ENOSYS, [] { return mq_create("/other"); });
    check("mq_open O_CREAT of the fixture", ENOSYS, [] { return mq_create("/fixture"); });
    check("mq_unlink fixture", 0, [] { return errno_of(mq_unlink("/fixture")); });
    check("i386 mq_open fixture", 0, [] {
        return i386_errno(
            i386_call(kI386MqOpen, reinterpret_cast<long>(low_name("fixture")), O_RDWR, 0, 0));
    });
    check("i386 mq_open O_CREAT", ENOSYS, [] {
        return i386_errno(i386_call(kI386MqOpen, reinterpret_cast<long>(low_name("other")),
                                    O_CREAT | O_RDWR, 0600, 0));
    });
}

}  // namespace
}  // namespace ipcbox::ns
