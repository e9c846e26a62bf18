// support_try: the i386 ABI of a 64-bit process (through `int $0x80`) and the x32 ABI, the
// routes a filter written for x86_64 alone misses.
#include <fcntl.h>
#include <mqueue.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "tests/support/try/try.hpp"

namespace support_try {
namespace {

// i386 syscall numbers (arch/x86/entry/syscalls/syscall_32.tbl).
constexpr long kI386Getpid = 20, kI386Ipc = 117, kI386MqOpen = 277;
constexpr long kI386Semget = 393, kI386Shmget = 395, kI386Msgget = 399;
// ipc(2) calls (linux/ipc.h).
constexpr long kIpcSemget = 2, kIpcMsgget = 13, kIpcMsgctl = 14, kIpcShmget = 23;
constexpr long kX32Bit = 0x40000000;

constexpr long kCreate = IPC_CREAT | IPC_EXCL | 0600;

// Syscall through the i386 entry; returns the kernel's value (-errno on failure).
long i386_call(long nr, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0) {
    long ret;
    asm volatile("int $0x80"
                 : "=a"(ret)
                 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                 : "memory", "r8", "r9", "r10", "r11");
    return static_cast<int>(ret);  // the i386 ABI returns 32 bits
}
int i386_errno(long ret) {
    return ret < 0 ? static_cast<int>(-ret) : 0;
}

// i386 calls take 32-bit pointers: copy `text` below 4 GiB.
char* low_copy(const char* text) {
    void* p =
        mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    std::strncpy(static_cast<char*>(p), text ? text : "", 4095);
    return static_cast<char*>(p);
}

int created_i386(long ret, void (*rm)(long)) {
    if (ret >= 0) rm(ret);
    return i386_errno(ret);
}

// --- i386 ABI through int $0x80 ---
int i386_getpid(const char*) {
    return i386_errno(i386_call(kI386Getpid));
}
int i386_ipc_semget_create(const char*) {
    return created_i386(i386_call(kI386Ipc, kIpcSemget, IPC_PRIVATE, 1, kCreate), rm_sem);
}
// The kernel ignores the high 16 bits of the call ("version"): a filter matching the whole
// argument misses this one.
int i386_ipc_semget_create_v(const char*) {
    return created_i386(i386_call(kI386Ipc, kIpcSemget | 0x10000, IPC_PRIVATE, 1, kCreate), rm_sem);
}
int i386_ipc_msgget_create(const char*) {
    return created_i386(i386_call(kI386Ipc, kIpcMsgget, IPC_PRIVATE, kCreate), rm_msg);
}
int i386_ipc_msgget_key(const char* a) {
    return i386_errno(i386_call(kI386Ipc, kIpcMsgget, parse_key(a), 0));
}
int i386_ipc_msgctl_info(const char*) {
    char* buf = low_copy("");
    if (!buf) return errno;
    return i386_errno(i386_call(kI386Ipc, kIpcMsgctl, 0, MSG_INFO, 0, reinterpret_cast<long>(buf)));
}
int i386_ipc_shmget_create(const char*) {
    return created_i386(i386_call(kI386Ipc, kIpcShmget, IPC_PRIVATE, 4096, kCreate), rm_shm);
}
int i386_msgget_create(const char*) {
    return created_i386(i386_call(kI386Msgget, IPC_PRIVATE, kCreate), rm_msg);
}
int i386_msgget_key(const char* a) {
    return i386_errno(i386_call(kI386Msgget, parse_key(a), 0));
}
int i386_semget_create(const char*) {
    return created_i386(i386_call(kI386Semget, IPC_PRIVATE, 1, kCreate), rm_sem);
}
int i386_shmget_create(const char*) {
    return created_i386(i386_call(kI386Shmget, IPC_PRIVATE, 4096, kCreate), rm_shm);
}
int i386_mq_open(const char* name, long flags) {
    char* low = low_copy(mq_syscall_name(name));
    if (!low) return errno;
    long fd = i386_call(kI386MqOpen, reinterpret_cast<long>(low), flags, 0600, 0);
    if (fd < 0) return i386_errno(fd);
    close(static_cast<int>(fd));
    if (flags & O_CREAT) mq_unlink(name);
    return 0;
}
int i386_mq_open_create(const char* name) {
    return i386_mq_open(name, O_CREAT | O_EXCL | O_RDWR);
}
int i386_mq_open_existing(const char* name) {
    return i386_mq_open(name, O_RDWR);
}

// --- x32 ABI: x86_64 entry, numbers with bit 30 set (ENOSYS where the kernel lacks x32) ---
int x32_getpid(const char*) {
    return result(syscall(kX32Bit | SYS_getpid));
}
int x32_msgget_create(const char*) {
    long id = syscall(kX32Bit | SYS_msgget, IPC_PRIVATE, kCreate);
    return created(id, rm_msg);
}
int x32_mq_open_create(const char* name) {
    long fd = syscall(kX32Bit | SYS_mq_open, mq_syscall_name(name), O_CREAT | O_EXCL | O_RDWR, 0600,
                      nullptr);
    if (fd < 0) return errno;
    close(static_cast<int>(fd));
    mq_unlink(name);
    return 0;
}

constexpr Op kOps[] = {
    {"i386-getpid", false, i386_getpid},
    {"i386-ipc-semget-create", false, i386_ipc_semget_create},
    {"i386-ipc-semget-create-v", false, i386_ipc_semget_create_v},
    {"i386-ipc-msgget-create", false, i386_ipc_msgget_create},
    {"i386-ipc-msgget", true, i386_ipc_msgget_key},
    {"i386-ipc-msgctl-info", false, i386_ipc_msgctl_info},
    {"i386-ipc-shmget-create", false, i386_ipc_shmget_create},
    {"i386-msgget-create", false, i386_msgget_create},
    {"i386-msgget", true, i386_msgget_key},
    {"i386-semget-create", false, i386_semget_create},
    {"i386-shmget-create", false, i386_shmget_create},
    {"i386-mq_open-create", true, i386_mq_open_create},
    {"i386-mq_open", true, i386_mq_open_existing},
    {"x32-getpid", false, x32_getpid},
    {"x32-msgget-create", false, x32_msgget_create},
    {"x32-mq_open-create", true, x32_mq_open_create},
};

}  // namespace

std::span<const Op> foreign_abi_ops() {
    return kOps;
}

}  // namespace support_try
