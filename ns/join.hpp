// Entering the namespaces of another process (a container's init, a running sandbox), in the only
// order that works for user-namespaced and rootless targets.
#pragma once

#include <sys/types.h>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "ns/id_view.hpp"

namespace ipcbox::ns {

// Handles on one process's namespaces, all opened up front: once this process has joined the
// target's user namespace, /proc/PID/ns/* of a process owned by the runtime can no longer be
// opened.
struct TargetNamespaces {
    pid_t pid = 0;
    UniqueFd pidfd;  // pins the process: proves the handles below are the ones of this process
    UniqueFd user, ipc, mnt;
    bool user_differs = false;  // the target's user ns is not ours: join it before the others
    bool ipc_is_ours = false;   // the target shares our IPC namespace
    bool mnt_is_ours = false;
};

// Handles on this process's own namespace of `kind` ("user", "ipc", "mnt").
Result<UniqueFd> open_own_namespace(const char* kind);

// Takes handles opened elsewhere (e.g. sent by the sandbox child) and notes which of them are
// this process's own.
Result<TargetNamespaces> adopt_namespaces(UniqueFd user, UniqueFd ipc, UniqueFd mnt);

// Opens pidfd first, then every ns handle, then checks the pidfd's process is still alive, so a
// pid reused in between cannot hand us another process's namespaces.
Result<TargetNamespaces> open_target_namespaces(pid_t pid);

struct JoinWhat {
    bool ipc = true;
    bool mnt = false;
};

// setns into the target. Must be called by a single-threaded process (setns of a user ns
// requires it), and it changes this process for good: callers fork first when they need to go on
// afterwards. Order: the user namespace that owns the target's IPC namespace (when it is not
// ours), then become its uid/gid 0 so objects are owned by the target's root and POSIX queues can
// be created, then ipc, then mnt. A sandbox whose command runs in a user namespace nested below
// that owner is joined the same way: the nested one holds nothing over the IPC namespace.
// Returns how the ids read here look to the target process (as read unless it is nested; needs
// target.pid to tell).
Result<IdView> join_target_namespaces(const TargetNamespaces& target, const JoinWhat& what);

// setns into an IPC namespace file (/proc/PID/ns/ipc or a bind mount of one): first its owning user
// namespace, when it is not ours and we may see it, as above; then the IPC namespace.
Status join_ipc_namespace_file(int ipc_fd);

}  // namespace ipcbox::ns
