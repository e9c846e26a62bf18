// Shared by the parts of support_try (tests/support/support_try.cpp): the table entry of one
// operation, each part's table, and the helpers several parts use.
#pragma once

#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include <cerrno>
#include <cstdlib>
#include <span>

namespace support_try {

struct Op {
    const char* name;
    bool takes_arg;  // a key (SysV, optional for *-create) or a /name (POSIX)
    int (*run)(const char* arg);
};

// The operations, by part, in the order `support_try list` prints them.
std::span<const Op> sysv_ops();         // try/sysv.cpp
std::span<const Op> posix_ops();        // try/posix.cpp
std::span<const Op> foreign_abi_ops();  // try/foreign_abi.cpp: i386 and x32
std::span<const Op> control_ops();      // try/controls.cpp

inline int result(long rc) {
    return rc < 0 ? errno : 0;
}

// The raw syscall takes the name without mq_open(3)'s leading slash.
inline const char* mq_syscall_name(const char* name) {
    return name[0] == '/' ? name + 1 : name;
}

inline key_t parse_key(const char* arg) {
    return static_cast<key_t>(std::strtol(arg, nullptr, 0));
}

// Removal of what a successful create made; the id is the same object whatever ABI created it.
inline void rm_msg(long id) {
    msgctl(static_cast<int>(id), IPC_RMID, nullptr);
}
inline void rm_sem(long id) {
    semctl(static_cast<int>(id), 0, IPC_RMID);
}
inline void rm_shm(long id) {
    shmctl(static_cast<int>(id), IPC_RMID, nullptr);
}
inline int created(long id, void (*rm)(long)) {
    if (id < 0) return errno;
    rm(id);
    return 0;
}

}  // namespace support_try
