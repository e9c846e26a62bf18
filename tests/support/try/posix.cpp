// support_try: POSIX message queues, shared memory and named semaphores.
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests/support/try/try.hpp"

namespace support_try {
namespace {

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

constexpr Op kOps[] = {
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
};

}  // namespace

std::span<const Op> posix_ops() {
    return kOps;
}

}  // namespace support_try
