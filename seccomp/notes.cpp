// The fine print of the [block] filter, for `ipcbox run --explain` and the documentation.
#include <algorithm>

#include "seccomp/filter.hpp"

namespace ipcbox::seccomp {
namespace {

using config::IpcKind;

const char* sysv_get(IpcKind kind) {
    switch (kind) {
        case IpcKind::SysvQueue:
            return "msgget";
        case IpcKind::SysvSemaphore:
            return "semget";
        case IpcKind::SysvShm:
            return "shmget";
        default:
            return nullptr;
    }
}

}  // namespace

std::vector<std::string> block_filter_notes(const config::Block& block) {
    std::vector<std::string> notes;
    bool filtered = false;
    for (IpcKind kind : config::kAllIpcKinds)
        filtered = filtered || contains(block.kinds, kind) || contains(block.create, kind);
    if (filtered)
        notes.push_back(
            "the seccomp filter covers x86_64, i386 (int $0x80: direct calls and ipc(2)) and x32");
    for (IpcKind kind : {IpcKind::SysvQueue, IpcKind::SysvSemaphore, IpcKind::SysvShm}) {
        if (!contains(block.create, kind) || contains(block.kinds, kind)) continue;
        const std::string get = sysv_get(kind);
        notes.push_back(std::string(config::kind_name(kind)) + ": " + get +
                        " with IPC_CREAT (even for an existing key) or IPC_PRIVATE is refused; "
                        "open fixtures with flags 0");
        notes.push_back(std::string(config::kind_name(kind)) +
                        ": through the i386 ipc(2) "
                        "multiplexer every " +
                        get + " is refused (libseccomp 2.5 cannot test its shifted flag argument)");
    }
    if (contains(block.create, IpcKind::PosixQueue) && !contains(block.kinds, IpcKind::PosixQueue))
        notes.push_back("posix.queue: mq_open with O_CREAT is refused, even for an existing queue");
    if (contains(block.kinds, IpcKind::PosixShm) || contains(block.kinds, IpcKind::PosixSemaphore))
        notes.push_back(
            "posix.shm and posix.semaphore: no syscall filter can tell shm_open/sem_open from an "
            "ordinary open, so an empty read-only /dev/shm blocks both; they fail with EROFS, not "
            "the chosen errno");
    if (contains(block.kinds, IpcKind::PosixShm) || contains(block.kinds, IpcKind::PosixSemaphore))
        notes.push_back(
            "posix.shm and posix.semaphore: the command cannot make a user namespace (unshare and "
            "clone with CLONE_NEWUSER fail with the chosen errno, clone3 with ENOSYS so that glibc "
            "falls back to clone), in which it could mount a tmpfs over the closed /dev/shm");
    return notes;
}

}  // namespace ipcbox::seccomp
