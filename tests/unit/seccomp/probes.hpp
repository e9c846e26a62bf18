// Calls of every IPC kind on every x86 ABI (x86_64, i386 through `int $0x80` with direct calls and
// the ipc(2) multiplexer, x32), run in a forked child after a filter is loaded, and what each one
// must get for a given [block]. Shared by the tests of the loaded filter and of the OCI profile.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <mqueue.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/spec.hpp"

namespace ipcbox::seccomp::probes {

using config::IpcKind;

inline constexpr long kX32Bit = 0x40000000;
// i386 syscall numbers and ipc(2) calls.
inline constexpr long kI386Getpid = 20, kI386Ipc = 117, kI386MqOpen = 277, kI386Semget = 393,
                      kI386Shmget = 395, kI386Msgget = 399, kI386MqTimedsend64 = 418,
                      kI386Semtimedop64 = 420;
inline constexpr long kIpcSemget = 2, kIpcMsgget = 13, kIpcMsgctl = 14, kIpcShmget = 23;
inline constexpr long kVersion1 = 0x10000;  // the kernel ignores the call's high 16 bits
inline constexpr long kCreate = IPC_CREAT | 0600;
// Fixtures made before the filter is loaded, as preseeding does.
inline constexpr long kKey = 0x5eed1e, kOtherKey = 0x5eed2e;
inline constexpr const char* kFixtureQueue = "/fixture";

inline long i386_call(long nr, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0) {
    long ret;
    asm volatile("int $0x80"
                 : "=a"(ret)
                 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                 : "memory", "r8", "r9", "r10", "r11");
    return static_cast<int>(ret);  // 32-bit result
}
inline int i386_errno(long ret) {
    return ret < 0 ? static_cast<int>(-ret) : 0;
}
inline int errno_of(long rc) {
    return rc < 0 ? errno : 0;
}

// i386 calls take 32-bit pointers.
inline char* low_memory(const char* text) {
    void* p =
        mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    return std::strcpy(static_cast<char*>(p), text);
}
inline long low(const char* text) {
    return reinterpret_cast<long>(low_memory(text));
}

inline bool write_proc(const char* path, const std::string& text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    close(fd);
    return ok;
}

// A new IPC namespace, so nothing a call creates outlives the child. Rootless it needs a user ns
// with ids mapped: an unmapped owner makes mq_open fail with EOVERFLOW.
inline bool private_ipc_ns() {
    if (unshare(CLONE_NEWIPC) == 0) return true;
    const std::string uid = std::to_string(geteuid()), gid = std::to_string(getegid());
    return unshare(CLONE_NEWUSER | CLONE_NEWIPC) == 0 &&
           write_proc("/proc/self/setgroups", "deny") &&
           write_proc("/proc/self/uid_map", "0 " + uid + " 1") &&
           write_proc("/proc/self/gid_map", "0 " + gid + " 1");
}

// Every queue is tiny: RLIMIT_MSGQUEUE is charged per user until a dead IPC namespace is torn
// down, which the kernel defers, so default-sized queues in many quick children hit the limit.
inline mq_attr small_queue() {
    mq_attr attr{};
    attr.mq_maxmsg = 1;
    attr.mq_msgsize = 16;
    return attr;
}
// The same for i386 (struct compat_mq_attr: eight 32-bit fields), below 4 GiB.
inline long small_queue_i386() {
    static_assert(sizeof(int) == 4);
    int* attr = reinterpret_cast<int*>(low_memory(""));
    if (attr) attr[1] = 1, attr[2] = 16;  // mq_maxmsg, mq_msgsize
    return reinterpret_cast<long>(attr);
}

inline bool make_fixtures() {
    mq_attr attr = small_queue();
    mqd_t q = mq_open(kFixtureQueue, O_CREAT | O_RDWR, 0600, &attr);
    return msgget(kKey, kCreate) >= 0 && semget(kKey, 1, kCreate) >= 0 &&
           shmget(kKey, 4096, kCreate) >= 0 && q != static_cast<mqd_t>(-1);
}

inline constexpr int kNoNamespace = 250, kLoadFailed = 251, kSetupFailed = 252;

// Forks; the child enters a private IPC ns, makes the fixtures, runs `load` and exits with what
// `call` returns (an errno).
inline int in_child(const std::function<bool()>& load, const std::function<int()>& call) {
    pid_t pid = fork();
    if (pid == 0) {
        if (!private_ipc_ns()) _exit(kNoNamespace);
        if (!make_fixtures()) _exit(kSetupFailed);
        if (!load()) _exit(kLoadFailed);
        _exit(call());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline bool can_run() {
    return in_child([] { return true; }, [] { return 0; }) == 0;
}

inline int x32_unfiltered() {
    static const int rc = errno_of(syscall(kX32Bit | SYS_getpid));
    return rc;
}

// One call: its kind (none for controls that no block may touch), whether `create = [kind]` must
// refuse it, and what it gets with nothing blocked.
struct Probe {
    const char* name;
    std::optional<IpcKind> kind;
    bool refused_by_create;
    std::function<int()> call;
    int unblocked;
};

inline int mq_open_rc(const char* name, int flags) {
    mq_attr attr = small_queue();
    return errno_of(mq_open(name, flags, 0600, &attr));
}

inline std::vector<Probe> all_probes() {
    using K = IpcKind;
    const int x32 = x32_unfiltered();
    constexpr bool R = true, A = false;  // refused / allowed by create-only
    return {
        // sysv.queue
        {"msgget IPC_PRIVATE|IPC_CREAT", K::SysvQueue, R,
         [] { return errno_of(msgget(IPC_PRIVATE, kCreate)); }, 0},
        {"msgget new key", K::SysvQueue, R, [] { return errno_of(msgget(kOtherKey, kCreate)); }, 0},
        {"msgget IPC_PRIVATE", K::SysvQueue, R, [] { return errno_of(msgget(IPC_PRIVATE, 0600)); },
         0},
        // key_t is 32 bits: the kernel reads this key as IPC_PRIVATE.
        {"msgget IPC_PRIVATE, high bits set", K::SysvQueue, R,
         [] { return errno_of(syscall(SYS_msgget, 0xffffffff00000000L, 0600)); }, 0},
        {"msgget fixture", K::SysvQueue, A, [] { return errno_of(msgget(kKey, 0)); }, 0},
        {"msgget fixture with IPC_CREAT", K::SysvQueue, R,
         [] { return errno_of(msgget(kKey, IPC_CREAT)); }, 0},
        {"msgsnd fixture", K::SysvQueue, A,
         [] {
             long m[2] = {1, 0};
             return errno_of(msgsnd(msgget(kKey, 0), m, 1, IPC_NOWAIT));
         },
         0},
        {"msgrcv bad id", K::SysvQueue, A,
         [] {
             long m[2];
             return errno_of(msgrcv(-1, m, 1, 0, IPC_NOWAIT));
         },
         EINVAL},
        {"msgctl MSG_INFO", K::SysvQueue, A,
         [] {
             msginfo info{};
             return errno_of(msgctl(0, MSG_INFO, reinterpret_cast<msqid_ds*>(&info)));
         },
         0},
        {"i386 msgget create", K::SysvQueue, R,
         [] { return i386_errno(i386_call(kI386Msgget, IPC_PRIVATE, kCreate)); }, 0},
        {"i386 msgget fixture", K::SysvQueue, A,
         [] { return i386_errno(i386_call(kI386Msgget, kKey, 0)); }, 0},
        {"i386 ipc MSGGET create", K::SysvQueue, R,
         [] { return i386_errno(i386_call(kI386Ipc, kIpcMsgget, IPC_PRIVATE, kCreate)); }, 0},
        // libseccomp copies the direct msgget rules onto ipc(2) without the key test: refused.
        {"i386 ipc MSGGET fixture", K::SysvQueue, R,
         [] { return i386_errno(i386_call(kI386Ipc, kIpcMsgget, kKey, 0)); }, 0},
        {"i386 ipc MSGGET v1 create", K::SysvQueue, R,
         [] { return i386_errno(i386_call(kI386Ipc, kVersion1 | kIpcMsgget, kOtherKey, kCreate)); },
         0},
        {"i386 ipc MSGGET v1 IPC_PRIVATE", K::SysvQueue, R,
         [] { return i386_errno(i386_call(kI386Ipc, kVersion1 | kIpcMsgget, IPC_PRIVATE, 0600)); },
         0},
        {"i386 ipc MSGGET v1 fixture", K::SysvQueue, A,
         [] { return i386_errno(i386_call(kI386Ipc, kVersion1 | kIpcMsgget, kKey, 0)); }, 0},
        {"i386 ipc MSGCTL MSG_INFO", K::SysvQueue, A,
         [] { return i386_errno(i386_call(kI386Ipc, kIpcMsgctl, 0, MSG_INFO, 0, low(""))); }, 0},
        {"x32 msgget create", K::SysvQueue, R,
         [] { return errno_of(syscall(kX32Bit | SYS_msgget, IPC_PRIVATE, kCreate)); }, x32},
        // sysv.semaphore
        {"semget create", K::SysvSemaphore, R,
         [] { return errno_of(semget(IPC_PRIVATE, 1, kCreate)); }, 0},
        {"semget fixture", K::SysvSemaphore, A, [] { return errno_of(semget(kKey, 0, 0)); }, 0},
        {"semop bad id", K::SysvSemaphore, A,
         [] {
             sembuf op{0, 1, IPC_NOWAIT};
             return errno_of(semop(-1, &op, 1));
         },
         EINVAL},
        {"semtimedop bad id", K::SysvSemaphore, A,
         [] {
             sembuf op{0, 1, IPC_NOWAIT};
             return errno_of(semtimedop(-1, &op, 1, nullptr));
         },
         EINVAL},
        {"i386 semget create", K::SysvSemaphore, R,
         [] { return i386_errno(i386_call(kI386Semget, kOtherKey, 1, kCreate)); }, 0},
        {"i386 semget fixture", K::SysvSemaphore, A,
         [] { return i386_errno(i386_call(kI386Semget, kKey, 0, 0)); }, 0},
        {"i386 ipc SEMGET create", K::SysvSemaphore, R,
         [] { return i386_errno(i386_call(kI386Ipc, kIpcSemget, IPC_PRIVATE, 1, kCreate)); }, 0},
        {"i386 ipc SEMGET v1 create", K::SysvSemaphore, R,
         [] {
             return i386_errno(i386_call(kI386Ipc, kVersion1 | kIpcSemget, kOtherKey, 1, kCreate));
         },
         0},
        {"i386 ipc SEMGET v1 fixture", K::SysvSemaphore, A,
         [] { return i386_errno(i386_call(kI386Ipc, kVersion1 | kIpcSemget, kKey, 0, 0)); }, 0},
        {"i386 semtimedop_time64 bad id", K::SysvSemaphore, A,
         [] { return i386_errno(i386_call(kI386Semtimedop64, -1, 0, 0, 0)); }, EINVAL},
        {"x32 semget create", K::SysvSemaphore, R,
         [] { return errno_of(syscall(kX32Bit | SYS_semget, IPC_PRIVATE, 1, kCreate)); }, x32},
        // sysv.shm
        {"shmget create", K::SysvShm, R,
         [] { return errno_of(shmget(IPC_PRIVATE, 4096, kCreate)); }, 0},
        {"shmget fixture", K::SysvShm, A, [] { return errno_of(shmget(kKey, 0, 0)); }, 0},
        {"shmat bad id", K::SysvShm, A,
         [] { return shmat(-1, nullptr, 0) == reinterpret_cast<void*>(-1) ? errno : 0; }, EINVAL},
        {"i386 shmget create", K::SysvShm, R,
         [] { return i386_errno(i386_call(kI386Shmget, IPC_PRIVATE, 4096, kCreate)); }, 0},
        {"i386 ipc SHMGET create", K::SysvShm, R,
         [] { return i386_errno(i386_call(kI386Ipc, kIpcShmget, IPC_PRIVATE, 4096, kCreate)); }, 0},
        {"i386 ipc SHMGET v1 fixture", K::SysvShm, A,
         [] { return i386_errno(i386_call(kI386Ipc, kVersion1 | kIpcShmget, kKey, 0, 0)); }, 0},
        {"x32 shmget create", K::SysvShm, R,
         [] { return errno_of(syscall(kX32Bit | SYS_shmget, IPC_PRIVATE, 4096, kCreate)); }, x32},
        // posix.queue
        {"mq_open create", K::PosixQueue, R, [] { return mq_open_rc("/new", O_CREAT | O_RDWR); },
         0},
        {"mq_open fixture", K::PosixQueue, A, [] { return mq_open_rc(kFixtureQueue, O_RDWR); }, 0},
        {"mq_open fixture with O_CREAT", K::PosixQueue, R,
         [] { return mq_open_rc(kFixtureQueue, O_CREAT | O_RDWR); }, 0},
        // Raw: glibc's mq_unlink turns EPERM into EACCES.
        {"mq_unlink absent", K::PosixQueue, A,
         [] { return errno_of(syscall(SYS_mq_unlink, "absent")); }, ENOENT},
        {"mq_notify bad fd", K::PosixQueue, A,
         [] { return errno_of(syscall(SYS_mq_notify, -1, nullptr)); }, EBADF},
        {"mq_getsetattr bad fd", K::PosixQueue, A,
         [] {
             mq_attr a{};
             return errno_of(syscall(SYS_mq_getsetattr, -1, nullptr, &a));
         },
         EBADF},
        {"mq_timedsend bad fd", K::PosixQueue, A,
         [] { return errno_of(syscall(SYS_mq_timedsend, -1, "x", 1, 0, nullptr)); }, EBADF},
        {"mq_timedreceive bad fd", K::PosixQueue, A,
         [] {
             char b[8];
             return errno_of(syscall(SYS_mq_timedreceive, -1, b, 8, nullptr, nullptr));
         },
         EBADF},
        // The raw syscall takes the name without the leading slash.
        {"i386 mq_open create", K::PosixQueue, R,
         [] {
             return i386_errno(
                 i386_call(kI386MqOpen, low("new"), O_CREAT | O_RDWR, 0600, small_queue_i386()));
         },
         0},
        {"i386 mq_open fixture", K::PosixQueue, A,
         [] { return i386_errno(i386_call(kI386MqOpen, low("fixture"), O_RDWR, 0, 0)); }, 0},
        {"i386 mq_timedsend_time64 bad fd", K::PosixQueue, A,
         [] { return i386_errno(i386_call(kI386MqTimedsend64, -1, 0, 0, 0)); }, EBADF},
        {"x32 mq_open create", K::PosixQueue, R,
         [] {
             mq_attr attr = small_queue();
             return errno_of(syscall(kX32Bit | SYS_mq_open, "new", O_CREAT | O_RDWR, 0600, &attr));
         },
         x32},
        // controls
        {"pipe", std::nullopt, A,
         [] {
             int fds[2];
             return errno_of(pipe(fds));
         },
         0},
        {"memfd", std::nullopt, A, [] { return errno_of(memfd_create("ipcbox-unit", 0)); }, 0},
        {"socketpair", std::nullopt, A,
         [] {
             int fds[2];
             return errno_of(socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
         },
         0},
        {"open", std::nullopt, A, [] { return errno_of(open("/tmp", O_TMPFILE | O_RDWR, 0600)); },
         0},
        {"i386 getpid", std::nullopt, A, [] { return i386_errno(i386_call(kI386Getpid)); }, 0},
        // An x32 call no rule names must not be killed as a foreign ABI.
        {"x32 getpid", std::nullopt, A, [] { return errno_of(syscall(kX32Bit | SYS_getpid)); },
         x32},
    };
}

inline bool has(const std::vector<IpcKind>& kinds, std::optional<IpcKind> kind) {
    return kind && std::find(kinds.begin(), kinds.end(), *kind) != kinds.end();
}

// What `probe` must get under `block` (syscall kinds only; POSIX shm/semaphores are the mount's).
inline int expected(const config::Block& block, const Probe& probe) {
    if (has(block.kinds, probe.kind)) return block.errno_value;
    if (has(block.create, probe.kind) && probe.refused_by_create) return block.errno_value;
    return probe.unblocked;
}

inline std::string describe(const config::Block& block) {
    std::string s = "kinds [";
    for (IpcKind k : block.kinds) s += std::string(" ") + config::kind_name(k);
    s += " ] create [";
    for (IpcKind k : block.create) s += std::string(" ") + config::kind_name(k);
    return s + " ] errno " + std::to_string(block.errno_value);
}

// Every probe, in its own child after `load`, gets what `block` says.
inline void expect_enforced(const config::Block& block, const std::function<bool()>& load) {
    for (const Probe& p : all_probes())
        EXPECT_EQ(in_child(load, p.call), expected(block, p)) << describe(block) << ": " << p.name;
}

// The blocks both tests go through: each kind alone, blocked and create-only, and mixtures.
inline std::vector<config::Block> sample_blocks() {
    using K = IpcKind;
    const std::vector<K> syscall_kinds{K::SysvQueue, K::SysvSemaphore, K::SysvShm, K::PosixQueue};
    std::vector<config::Block> blocks;
    int errnos[] = {EPERM, EACCES, ENOSYS};
    int i = 0;
    for (K kind : syscall_kinds) {
        blocks.push_back({{kind}, {}, errnos[i++ % 3]});
        blocks.push_back({{}, {kind}, errnos[i++ % 3]});
    }
    blocks.push_back({syscall_kinds, {}, EACCES});
    blocks.push_back({{}, syscall_kinds, ENOSYS});
    blocks.push_back({{K::SysvQueue, K::PosixQueue}, {K::SysvSemaphore, K::SysvShm}, EPERM});
    blocks.push_back({{K::SysvShm}, {K::PosixQueue}, EACCES});
    return blocks;
}

}  // namespace ipcbox::seccomp::probes
