// The mount namespace: what the command sees at /dev/shm, the mqueue mounts and /proc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ipcbox::ns {

enum class ShmMount {
    Fresh,    // a new tmpfs, 1777, nosuid,nodev: POSIX shm and named semaphores are private
    Closed,   // an empty read-only tmpfs: shm_open/sem_open fail with EROFS
    Inherit,  // the host's /dev/shm, shared
};

enum class MqueueMount {
    Fresh,   // a new mqueue mount of the sandbox's own IPC namespace
    Closed,  // an empty read-only tmpfs: the path route to queues is gone
};

// A fresh, empty tmpfs over a directory of the host (sandbox.tmpfs), nosuid and nodev.
struct TmpfsMount {
    std::string path;
    uint32_t mode = 0755;     // of its root directory, owned by whoever mounts it
    uint64_t size_bytes = 0;  // 0: the kernel's default (half of the RAM)
};

struct MountPlan {
    ShmMount dev_shm = ShmMount::Fresh;
    uint64_t dev_shm_size = 0;  // 0: the kernel's default (half of the RAM)
    // With Fresh, when set: a tmpfs already mounted there (a root domain's, which containers reach
    // on the host) is bound onto /dev/shm instead of a new one.
    std::string dev_shm_source;
    // Every mqueue mount inherited from the host: each still reaches the host's queues and must
    // be covered (found in /proc/self/mountinfo before the sandbox is made).
    std::vector<std::string> mqueue_mounts;
    MqueueMount mqueue = MqueueMount::Fresh;
    std::vector<TmpfsMount> tmpfs;
    // The command runs as host uid 0 (root caller, no user namespace or one mapping root): files
    // that check only the uid, such as /proc/sysrq-trigger and /sys, must be out of its reach.
    bool command_is_host_root = false;
};

// The size of the tmpfs on /dev/shm as this process sees it: what a command would have without a
// sandbox. 0 when /dev/shm is missing or not a tmpfs.
uint64_t dev_shm_size_here();

// Mount points of every mqueue filesystem visible to this process.
std::vector<std::string> find_mqueue_mounts();
// The same from the text of a mountinfo file (points unescaped).
std::vector<std::string> mqueue_mount_points(std::string_view mountinfo);

// Runs in the child inside its new mount namespace, before anything else is mounted: first stop
// propagation both ways (so nothing below reaches the host), then the IPC mounts.
Status make_mounts_private();
Status mount_dev_shm(const MountPlan& plan);
// Mounts a fresh tmpfs for POSIX shm at `dir` (/dev/shm, or a root domain's on the host): 1777,
// nosuid,nodev, of `size` bytes (0: the kernel's default).
Status mount_shm_tmpfs(const std::string& dir, uint64_t size);
Status cover_mqueue_mounts(const MountPlan& plan);
// After the mqueue mounts: a tmpfs over a directory that holds one hides it too, rather than
// leaving its mount point missing.
Status mount_tmpfs(const MountPlan& plan);
// After the setup wrote every sysctl: /proc/sys read-only for the command, whatever its uid (the
// kernel lets the uid that owns the IPC namespace, or host root, write the knobs without any
// capability: the sandbox's limits belong to the setup, and host-wide knobs to the host); with
// command_is_host_root, /proc/sysrq-trigger and /sys as well.
Status make_kernel_knobs_read_only(const MountPlan& plan);
// Needs to run inside the new pid namespace (the kernel ties a proc mount to the caller's pid ns).
Status mount_fresh_proc();

// Why a fresh /proc was refused, and what to do: in a user namespace the kernel mounts a new proc
// only where the /proc already visible is fully visible, and container runtimes cover paths of
// it (/proc/kcore, /proc/sys, ...). `covered` are the mount points found under /proc. Empty
// when there is nothing to say.
std::string fresh_proc_hint(int err, const std::vector<std::string>& covered);

}  // namespace ipcbox::ns
