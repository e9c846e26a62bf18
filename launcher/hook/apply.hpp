// What `ipcbox hook` does to a running container: [sysctl] and the IPC objects, applied inside
// the container's own IPC namespace and /dev/shm by a short-lived child that joins them.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.hpp"
#include "config/spec.hpp"
#include "ipc/preseed/preseed.hpp"

namespace ipcbox::launcher {

struct HookTarget {
    pid_t pid = 0;       // the container's init (runc init at createRuntime)
    std::string rootfs;  // root.path as the container's mount namespace sees it, before pivot_root
};

struct HookApplied {
    size_t sysctls = 0;
    ipc::PreseedCounts objects;
};

// Opens the target's namespaces (pinned by a pidfd), refuses what would reach the host (a shared
// IPC namespace unless hook.allow_shared_ipc; sysctls of a shared IPC ns; /dev/shm objects of a
// shared mount ns), then forks a child that joins the user and IPC namespaces, writes the
// sysctls, joins the mount namespace and chroots into the rootfs when the spec has paths
// (/dev/shm objects, ftok keys; runc has already mounted the container's /dev/shm there) and
// preseeds, accepting identical objects left by an earlier container of the same pod. The child
// never holds this process's stdio and answers over the channel; nothing is printed here.
Result<HookApplied> apply_to_container(const config::Spec& spec, const HookTarget& target);

// The helper's answer on the channel: "sysctls created existing".
std::string encode_applied(const HookApplied& applied);
Result<HookApplied> decode_applied(const std::string& text);

}  // namespace ipcbox::launcher
