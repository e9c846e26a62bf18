// A probe for the [block] tests: performs ONE named IPC operation and exits with the errno it got
// (0 on success), so a test reads the outcome from the exit status alone. Objects it creates are
// removed again, so a probe run never leaves anything behind.
//
//   support_try OP [ARG]      support_try list   (prints every OP)
//
// i386-* ops enter the kernel through `int $0x80` (the i386 ABI of a 64-bit process), x32-* ops
// through the x32 syscall numbers; both are the routes a filter written for x86_64 alone misses.
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr int kUsage = 200;  // above every errno

// i386 syscall numbers (arch/x86/entry/syscalls/syscall_32.tbl).
constexpr long kI386Getpid = 20, kI386Ipc = 117, kI386MqOpen = 277;
constexpr long kI386Semget = 393, kI386Shmget = 395, kI386Msgget = 399;
// ipc(2) calls (linux/ipc.h).
constexpr long kIpcSemget = 2, kIpcMsgget = 13, kIpcMsgctl = 14, kIpcShmget = 23;
constexpr long kX32Bit = 0x40000000;

int result(long rc) {
    return rc < 0 ? errno : 0;
}

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

// The raw syscall takes the name without mq_open(3)'s leading slash.
const char* mq_syscall_name(const char* name) {
    return name[0] == '/' ? name + 1 : name;
}

key_t parse_key(const char* arg) {
    return static_cast<key_t>(std::strtol(arg, nullptr, 0));
}

// Removal of what a successful create made; the id is the same object whatever ABI created it.
void rm_msg(long id) {
    msgctl(static_cast<int>(id), IPC_RMID, nullptr);
}
void rm_sem(long id) {
    semctl(static_cast<int>(id), 0, IPC_RMID);
}
void rm_shm(long id) {
    shmctl(static_cast<int>(id), IPC_RMID, nullptr);
}
int created(long id, void (*rm)(long)) {
    if (id < 0) return errno;
    rm(id);
    return 0;
}
int created_i386(long ret, void (*rm)(long)) {
    if (ret >= 0) rm(ret);
    return i386_errno(ret);
}
key_t key_or_private(const char* arg) {
    return arg ? parse_key(arg) : IPC_PRIVATE;
}

// --- SysV, native ABI ---
int msgget_create(const char* a) {
    return created(msgget(key_or_private(a), IPC_CREAT | IPC_EXCL | 0600), rm_msg);
}
int msgget_private(const char*) {
    return created(msgget(IPC_PRIVATE, 0600), rm_msg);
}
int msgget_key(const char* a) {
    return result(msgget(parse_key(a), 0));
}
int msgsnd_key(const char* a) {
    int id = msgget(parse_key(a), 0);
    if (id < 0) return errno;
    struct {
        long type;
        char text[1];
    } m{1, {'x'}};
    return result(msgsnd(id, &m, sizeof m.text, IPC_NOWAIT));
}
int msgctl_info(const char*) {
    msginfo info{};
    return result(msgctl(0, MSG_INFO, reinterpret_cast<msqid_ds*>(&info)));
}
int msgsnd_bad(const char*) {
    long m[2] = {1, 0};
    return result(msgsnd(-1, m, 1, IPC_NOWAIT));
}
int msgrcv_bad(const char*) {
    long m[2];
    return result(msgrcv(-1, m, 1, 0, IPC_NOWAIT));
}

int semget_create(const char* a) {
    return created(semget(key_or_private(a), 1, IPC_CREAT | IPC_EXCL | 0600), rm_sem);
}
int semget_private(const char*) {
    return created(semget(IPC_PRIVATE, 1, 0600), rm_sem);
}
int semget_key(const char* a) {
    return result(semget(parse_key(a), 0, 0));
}
int semctl_info(const char*) {
    seminfo info{};
    return result(semctl(0, 0, SEM_INFO, &info));
}
int semop_bad(const char*) {
    sembuf op{0, 1, IPC_NOWAIT};
    return result(semop(-1, &op, 1));
}
int semtimedop_bad(const char*) {
    sembuf op{0, 1, IPC_NOWAIT};
    return result(semtimedop(-1, &op, 1, nullptr));
}

int shmget_create(const char* a) {
    return created(shmget(key_or_private(a), 4096, IPC_CREAT | IPC_EXCL | 0600), rm_shm);
}
int shmget_private(const char*) {
    return created(shmget(IPC_PRIVATE, 4096, 0600), rm_shm);
}
int shmget_key(const char* a) {
    return result(shmget(parse_key(a), 0, 0));
}
int shmctl_info(const char*) {
    shminfo info{};
    return result(shmctl(0, IPC_INFO, reinterpret_cast<shmid_ds*>(&info)));
}
int shmat_bad(const char*) {
    return shmat(-1, nullptr, 0) == reinterpret_cast<void*>(-1) ? errno : 0;
}
int shmdt_bad(const char*) {
    return result(shmdt(reinterpret_cast<void*>(4096)));
}

// --- POSIX message queues ---
int mq_open_create(const char* name) {
    mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr);
    if (q == static_cast<mqd_t>(-1)) return errno;
    mq_close(q);
    mq_unlink(name);
    return 0;
}
int mq_open_existing(const char* name) {
    mqd_t q = mq_open(name, O_RDWR);
    if (q == static_cast<mqd_t>(-1)) return errno;
    mq_close(q);
    return 0;
}
// Raw: glibc's mq_unlink turns EPERM into EACCES.
int mq_unlink_name(const char* name) {
    return result(syscall(SYS_mq_unlink, mq_syscall_name(name)));
}
int mq_getsetattr_bad(const char*) {
    mq_attr attr{};
    return result(syscall(SYS_mq_getsetattr, -1, nullptr, &attr));
}
int mq_notify_bad(const char*) {
    return result(syscall(SYS_mq_notify, -1, nullptr));
}
int mq_timedsend_bad(const char*) {
    return result(syscall(SYS_mq_timedsend, -1, "x", 1, 0, nullptr));
}
int mq_timedreceive_bad(const char*) {
    char buf[16];
    return result(syscall(SYS_mq_timedreceive, -1, buf, sizeof buf, nullptr, nullptr));
}

// --- POSIX shared memory and named semaphores (files in /dev/shm) ---
int shm_open_create(const char* name) {
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0) return errno;
    close(fd);
    shm_unlink(name);
    return 0;
}
int shm_open_existing(const char* name) {
    int fd = shm_open(name, O_RDWR, 0);
    if (fd < 0) return errno;
    close(fd);
    return 0;
}
int sem_open_create(const char* name) {
    sem_t* s = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    if (s == SEM_FAILED) return errno;
    sem_close(s);
    sem_unlink(name);
    return 0;
}
int sem_open_existing(const char* name) {
    sem_t* s = sem_open(name, 0);
    if (s == SEM_FAILED) return errno;
    sem_close(s);
    return 0;
}

// --- i386 ABI through int $0x80 ---
constexpr long kCreate = IPC_CREAT | IPC_EXCL | 0600;
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

// --- controls: other kinds of IPC that a block must leave alone ---
int do_pipe(const char*) {
    int fds[2];
    if (pipe(fds) != 0) return errno;
    close(fds[0]);
    close(fds[1]);
    return 0;
}
int do_memfd(const char*) {
    int fd = memfd_create("support_try", MFD_CLOEXEC);
    if (fd < 0) return errno;
    close(fd);
    return 0;
}
int do_socketpair(const char*) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return errno;
    close(fds[0]);
    close(fds[1]);
    return 0;
}
int open_tmp(const char*) {
    int fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);  // unnamed: nothing to clean up
    if (fd < 0) return errno;
    close(fd);
    return 0;
}

struct Op {
    const char* name;
    bool takes_arg;  // a key (SysV, optional for *-create) or a /name (POSIX)
    int (*run)(const char* arg);
};

constexpr Op kOps[] = {
    {"msgget-create", false, msgget_create},
    {"msgget-private", false, msgget_private},
    {"msgget", true, msgget_key},
    {"msgsnd", true, msgsnd_key},
    {"msgctl-info", false, msgctl_info},
    {"msgsnd-bad", false, msgsnd_bad},
    {"msgrcv-bad", false, msgrcv_bad},
    {"semget-create", false, semget_create},
    {"semget-private", false, semget_private},
    {"semget", true, semget_key},
    {"semctl-info", false, semctl_info},
    {"semop-bad", false, semop_bad},
    {"semtimedop-bad", false, semtimedop_bad},
    {"shmget-create", false, shmget_create},
    {"shmget-private", false, shmget_private},
    {"shmget", true, shmget_key},
    {"shmctl-info", false, shmctl_info},
    {"shmat-bad", false, shmat_bad},
    {"shmdt-bad", false, shmdt_bad},
    {"mq_open-create", true, mq_open_create},
    {"mq_open", true, mq_open_existing},
    {"mq_unlink", true, mq_unlink_name},
    {"mq_getsetattr-bad", false, mq_getsetattr_bad},
    {"mq_notify-bad", false, mq_notify_bad},
    {"mq_timedsend-bad", false, mq_timedsend_bad},
    {"mq_timedreceive-bad", false, mq_timedreceive_bad},
    {"shm_open-create", true, shm_open_create},
    {"shm_open", true, shm_open_existing},
    {"sem_open-create", true, sem_open_create},
    {"sem_open", true, sem_open_existing},
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
    {"pipe", false, do_pipe},
    {"memfd", false, do_memfd},
    {"socketpair", false, do_socketpair},
    {"open-tmp", false, open_tmp},
};

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "list") == 0) {
        for (const Op& op : kOps) std::printf("%s%s\n", op.name, op.takes_arg ? " ARG" : "");
        return 0;
    }
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: support_try OP [ARG] | list\n");
        return kUsage;
    }
    for (const Op& op : kOps) {
        if (std::strcmp(op.name, argv[1]) != 0) continue;
        // *-create SysV ops take an optional key; every other op with an argument needs it.
        const char* arg = argc == 3 ? argv[2] : nullptr;
        if (op.takes_arg && !arg) {
            std::fprintf(stderr, "support_try: %s needs an argument\n", op.name);
            return kUsage;
        }
        return op.run(arg);
    }
    std::fprintf(stderr, "support_try: unknown op %s\n", argv[1]);
    return kUsage;
}
