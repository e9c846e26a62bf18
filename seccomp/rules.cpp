#include "seccomp/rules.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/ipc.h>

#include <algorithm>

namespace ipcbox::seccomp {
namespace {

using config::IpcKind;

// Calls of the i386 ipc(2) multiplexer, its first argument (linux/ipc.h).
constexpr uint64_t kSemop = 1, kSemget = 2, kSemctl = 3, kSemtimedop = 4;
constexpr uint64_t kMsgsnd = 11, kMsgrcv = 12, kMsgget = 13, kMsgctl = 14;
constexpr uint64_t kShmat = 21, kShmdt = 22, kShmget = 23, kShmctl = 24;
// The kernel reads the call from the low 16 bits only (the high ones carry an old "version"), so
// matching the whole argument, as libseccomp's own ipc(2) rules do, is bypassed by setting them.
constexpr uint64_t kIpcCallMask = 0xffff;
// key_t is an int: the kernel ignores the upper half of a 64-bit register.
constexpr uint64_t kKeyMask = 0xffffffff;

struct KindTable {
    IpcKind kind;
    std::vector<const char*> syscalls;  // every ABI; names unknown to an ABI are skipped there
    std::vector<uint64_t> ipc_calls;    // the same operations through the i386 ipc(2) multiplexer
};

// The *_time64 names exist only on i386 (and other 32-bit ABIs).
const std::vector<KindTable>& kind_tables() {
    static const std::vector<KindTable> tables{
        {IpcKind::SysvQueue,
         {"msgget", "msgsnd", "msgrcv", "msgctl"},
         {kMsgsnd, kMsgrcv, kMsgget, kMsgctl}},
        {IpcKind::SysvSemaphore,
         {"semget", "semop", "semtimedop", "semtimedop_time64", "semctl"},
         {kSemop, kSemget, kSemctl, kSemtimedop}},
        {IpcKind::SysvShm,
         {"shmget", "shmat", "shmdt", "shmctl"},
         {kShmat, kShmdt, kShmget, kShmctl}},
        {IpcKind::PosixQueue,
         {"mq_open", "mq_unlink", "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
          "mq_timedreceive_time64", "mq_notify", "mq_getsetattr"},
         {}},
    };
    return tables;
}

// A user namespace of its own gives the command CAP_SYS_ADMIN over a mount namespace of its own,
// enough to mount a tmpfs over the closed /dev/shm. Any non-zero uid may make one (uid 0 may
// not: mapping it needs CAP_SETFCAP, which the command lacks). clone3 passes its flags in memory,
// out of a filter's reach: ENOSYS sends glibc back to clone, whose flags are checked.
void add_no_user_namespace_rules(std::vector<BlockRule>& rules) {
    rules.push_back({"unshare", {{0, CLONE_NEWUSER, CLONE_NEWUSER}}});
    rules.push_back({"clone", {{0, CLONE_NEWUSER, CLONE_NEWUSER}}});
    rules.push_back({"clone3", {}, ENOSYS});
}

BlockRule ipc_call(uint64_t call) {
    return {"ipc", {{0, kIpcCallMask, call}}};
}

// A SysV get call creates when the key is IPC_PRIVATE or the flags hold IPC_CREAT.
void add_sysv_create(std::vector<BlockRule>& rules, const char* get, unsigned flag_index,
                     uint64_t ipc_get) {
    rules.push_back({get, {{0, kKeyMask, IPC_PRIVATE}}});
    rules.push_back({get, {{flag_index, IPC_CREAT, IPC_CREAT}}});
    // ipc(2) passes the same arguments one position later. libseccomp copies the i386 rules above
    // onto ipc(2) unshifted and, for the IPC_PRIVATE one, with only the call tested, so every
    // multiplexed get without "version" bits is refused whatever its flags; these exact rules
    // catch creation through the calls with version bits, which that copy does not match.
    rules.push_back({"ipc", {{0, kIpcCallMask, ipc_get}, {1, kKeyMask, IPC_PRIVATE}}});
    rules.push_back({"ipc", {{0, kIpcCallMask, ipc_get}, {flag_index + 1, IPC_CREAT, IPC_CREAT}}});
}

Status add_create_rules(std::vector<BlockRule>& rules, IpcKind kind) {
    switch (kind) {
        case IpcKind::SysvQueue:
            add_sysv_create(rules, "msgget", 1, kMsgget);
            return {};
        case IpcKind::SysvSemaphore:
            add_sysv_create(rules, "semget", 2, kSemget);
            return {};
        case IpcKind::SysvShm:
            add_sysv_create(rules, "shmget", 2, kShmget);
            return {};
        case IpcKind::PosixQueue:
            rules.push_back({"mq_open", {{1, O_CREAT, O_CREAT}}});
            return {};
        case IpcKind::PosixShm:
        case IpcKind::PosixSemaphore:
            break;
    }
    return Error::of(std::string("create = [\"") + config::kind_name(kind) +
                     "\"] cannot be enforced: shm_open/sem_open create a file in /dev/shm with an "
                     "ordinary open(O_CREAT), which no syscall filter can tell from any other "
                     "open")
        .with_hint(std::string("block the whole kind with kinds = [\"") + config::kind_name(kind) +
                   "\"] instead");
}

}  // namespace

Status check_block_errno(int errno_value) {
    if (errno_value == EPERM || errno_value == EACCES || errno_value == ENOSYS) return {};
    return Error::of("block errno " + std::to_string(errno_value) +
                     " is not one of EPERM, EACCES, ENOSYS");
}

Result<std::vector<BlockRule>> block_rules(const config::Block& block) {
    if (auto ok = check_block_errno(block.errno_value); !ok) return std::move(ok).error();
    std::vector<BlockRule> rules;
    // Fixed kind order keeps the output stable whatever order the spec lists them in.
    for (const auto& table : kind_tables()) {
        if (!contains(block.kinds, table.kind)) continue;
        for (const char* name : table.syscalls) rules.push_back({name, {}});
        for (uint64_t call : table.ipc_calls) rules.push_back(ipc_call(call));
    }
    if (contains(block.kinds, IpcKind::PosixShm) || contains(block.kinds, IpcKind::PosixSemaphore))
        add_no_user_namespace_rules(rules);
    for (IpcKind kind : config::kAllIpcKinds) {
        // A fully blocked kind already refuses creation.
        if (!contains(block.create, kind) || contains(block.kinds, kind)) continue;
        if (auto ok = add_create_rules(rules, kind); !ok) return std::move(ok).error();
    }
    return rules;
}

}  // namespace ipcbox::seccomp
