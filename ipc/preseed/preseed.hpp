// Creates the spec's SysV and POSIX IPC objects inside the sandbox's namespaces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/error.hpp"
#include "config/spec.hpp"

namespace ipcbox::ipc {

// For `ipcbox hook`: containers of a pod share one IPC namespace, so a spec may find its objects
// already there. With accept_identical_existing, an object that exists with the same attributes
// (SysV: key, id if fixed, owner, group, mode, size/nsems/qbytes; POSIX: name, owner, group, mode,
// size or queue attributes; contents are not compared) is left alone, and a different one is an
// error; one created meanwhile by another container's hook is looked at again. IPC_PRIVATE
// objects without a fixed id cannot be found again and are always created.
struct PreseedOptions {
    // Where /dev/shm comes from: POSIX shm and named semaphores go only into the sandbox's own.
    config::DevShmMode dev_shm = config::DevShmMode::Private;
    // Owner and group of objects whose spec names none: this process's ids unless set (root that
    // runs the command as --uid/--gid without a user namespace sets them).
    std::optional<uint32_t> owner = std::nullopt, group = std::nullopt;
    bool accept_identical_existing = false;
};
struct PreseedCounts {
    size_t created = 0;
    size_t existing = 0;  // found identical and left alone
};

// Runs after apply_sysctls(), with the new IPC ns joined, the private /dev/shm mounted (when there
// are POSIX shm/semaphores) and before NO_NEW_PRIVS/seccomp. The caller holds all capabilities of
// the sandbox's user ns (or is host root).
// Errors name the object: "sysv.queue[2] (key 0x1234): msgsnd: No space left on device (...)".
// A failure removes every object this call made (never one that was there before), so a hook
// that failed half-way leaves the namespace as it found it and fails the same way next time.
Result<PreseedCounts> preseed(const config::Objects& objects, const PreseedOptions& options = {});

}  // namespace ipcbox::ipc
