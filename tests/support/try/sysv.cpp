// support_try: System V queues, semaphores and shared memory through the native x86_64 ABI.
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "tests/support/try/try.hpp"

namespace support_try {
namespace {

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
};

}  // namespace

std::span<const Op> sysv_ops() {
    return kOps;
}

}  // namespace support_try
