#include "ns/mount.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/io.hpp"
#include "base/text.hpp"

namespace ipcbox::ns {
namespace {

// /proc/self/mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape_mountinfo(const std::string& field) {
    std::string out;
    for (size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size()) {
            out += static_cast<char>(std::stoi(field.substr(i + 1, 3), nullptr, 8));
            i += 3;
        } else {
            out += field[i];
        }
    }
    return out;
}

// Far more than any host's list of mounts; a read is refused beyond it.
constexpr uint64_t kMaxMountinfo = 64 << 20;

Status do_mount(const char* source, const std::string& target, const char* type,
                unsigned long flags, const std::string& data, const std::string& step) {
    if (mount(source, target.c_str(), type, flags, data.empty() ? nullptr : data.c_str()) != 0)
        return Error::from_errno(step, errno);
    return {};
}

}  // namespace

std::vector<std::string> mqueue_mount_points(std::string_view mountinfo) {
    std::vector<std::string> points;
    while (!mountinfo.empty()) {
        const size_t end = std::min(mountinfo.find('\n'), mountinfo.size());
        const std::string_view line = mountinfo.substr(0, end);
        mountinfo.remove_prefix(std::min(end + 1, mountinfo.size()));
        // "id parent major:minor root mount-point options [optional...] - fstype source super"
        const size_t dash = line.find(" - ");
        if (dash == std::string_view::npos || line.substr(dash + 3).rfind("mqueue ", 0) != 0)
            continue;
        std::string_view head = line.substr(0, dash);
        for (int skipped = 0; skipped < 4 && !head.empty(); ++skipped)
            head.remove_prefix(std::min(head.find(' '), head.size() - 1) + 1);
        const std::string_view point = head.substr(0, head.find(' '));
        if (!point.empty()) points.push_back(unescape_mountinfo(std::string(point)));
    }
    return points;
}

// Read without streams: this runs on every launch, and an iostream costs more than the parse.
std::vector<std::string> find_mqueue_mounts() {
    auto mountinfo = read_whole_file("/proc/self/mountinfo", kMaxMountinfo);
    return mountinfo ? mqueue_mount_points(*mountinfo) : std::vector<std::string>{};
}

Status make_mounts_private() {
    return do_mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, "",
                    "mount: make / private (recursive)");
}

uint64_t dev_shm_size_here() {
    struct statfs fs {};
    if (statfs("/dev/shm", &fs) != 0 || fs.f_type != TMPFS_MAGIC) return 0;
    return static_cast<uint64_t>(fs.f_blocks) * static_cast<uint64_t>(fs.f_bsize);
}

Status mount_shm_tmpfs(const std::string& dir, uint64_t size) {
    return do_mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV,
                    size ? "mode=1777,size=" + std::to_string(size) : std::string("mode=1777"),
                    "mount: private tmpfs on " + dir);
}

Status mount_dev_shm(const MountPlan& plan) {
    constexpr unsigned long kFlags = MS_NOSUID | MS_NODEV;
    switch (plan.dev_shm) {
        case ShmMount::Inherit:
            return {};
        case ShmMount::Fresh:
            if (!plan.dev_shm_source.empty()) {
                if (Status s = do_mount(plan.dev_shm_source.c_str(), "/dev/shm", nullptr, MS_BIND,
                                        "", "mount: bind " + plan.dev_shm_source + " on /dev/shm");
                    !s)
                    return s;
                // Reached on the host; inside, /dev/shm is its only name.
                if (umount2(plan.dev_shm_source.c_str(), MNT_DETACH) != 0)
                    return Error::from_errno("umount " + plan.dev_shm_source, errno);
                return {};
            }
            return mount_shm_tmpfs("/dev/shm", plan.dev_shm_size);
        case ShmMount::Closed:
            return do_mount("tmpfs", "/dev/shm", "tmpfs", kFlags | MS_NOEXEC | MS_RDONLY,
                            "mode=0755,size=4k", "mount: empty read-only tmpfs on /dev/shm");
    }
    return {};
}

Status cover_mqueue_mounts(const MountPlan& plan) {
    constexpr unsigned long kFlags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    for (const auto& point : plan.mqueue_mounts) {
        Status s =
            plan.mqueue == MqueueMount::Fresh
                ? do_mount("mqueue", point, "mqueue", kFlags, "",
                           "mount: fresh mqueue over the host's at " + point)
                : do_mount("tmpfs", point, "tmpfs", kFlags | MS_RDONLY, "mode=0755,size=4k",
                           "mount: empty read-only tmpfs over the host's mqueue at " + point);
        if (!s) return s;
    }
    return {};
}

Status mount_tmpfs(const MountPlan& plan) {
    for (const TmpfsMount& t : plan.tmpfs) {
        // The owner is the mounting process's fsuid: the sandbox's uid (or root without a user
        // namespace), as the command sees it.
        char mode[16];
        std::snprintf(mode, sizeof mode, "mode=%o", t.mode);
        std::string data = mode;
        if (t.size_bytes) data += ",size=" + std::to_string(t.size_bytes);
        if (Status s = do_mount("tmpfs", t.path, "tmpfs", MS_NOSUID | MS_NODEV, data,
                                "mount: private tmpfs on " + printable(t.path));
            !s)
            return s;
    }
    return {};
}

namespace {

// Mount points below /proc (not /proc itself), from /proc/self/mountinfo.
std::vector<std::string> mounts_under_proc() {
    std::vector<std::string> points;
    std::ifstream in("/proc/self/mountinfo");
    for (std::string line; std::getline(in, line);) {
        std::istringstream head(line);
        std::string id, parent, dev, root, point;
        head >> id >> parent >> dev >> root >> point;
        point = unescape_mountinfo(point);
        if (point.rfind("/proc/", 0) == 0) points.push_back(point);
    }
    return points;
}

}  // namespace

Status mount_fresh_proc() {
    Status mounted = do_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "",
                              "mount: fresh /proc for the new pid namespace");
    if (mounted) return mounted;
    Error error = std::move(mounted).error();
    std::string hint = fresh_proc_hint(error.err, mounts_under_proc());
    if (hint.empty()) return error;
    return std::move(error).with_hint(std::move(hint));
}

std::string fresh_proc_hint(int err, const std::vector<std::string>& covered) {
    if (err != EPERM || covered.empty()) return {};
    std::string shown;
    for (size_t i = 0; i < covered.size() && i < 3; ++i)
        shown += (i ? ", " : "") + printable(covered[i]);
    if (covered.size() > 3) shown += ", ...";
    return "paths of this /proc are covered by other mounts (" + shown +
           "), as a container runtime masks them, and the kernel then refuses a fresh /proc "
           "in a user namespace: run without --pid (sandbox.pid = false), or start the container "
           "with /proc unmasked (podman --security-opt unmask=ALL, docker --security-opt "
           "systempaths=unconfined)";
}

namespace {

// A read-only view of `path` (and every mount below it) over itself.
Status bind_read_only(const char* path, bool recursive) {
    if (mount(path, path, nullptr, MS_BIND | (recursive ? MS_REC : 0), nullptr) != 0)
        return Error::from_errno(std::string("mount: bind ") + path + " over itself", errno);
    struct mount_attr attr = {};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (mount_setattr(AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &attr, sizeof attr) != 0)
        return Error::from_errno(std::string("mount: make ") + path + " read-only", errno);
    return {};
}

}  // namespace

Status make_kernel_knobs_read_only(const MountPlan& plan) {
    if (Status s = bind_read_only("/proc/sys", true); !s) return s;
    if (!plan.command_is_host_root) return {};
    // Absent from kernels built without magic SysRq.
    if (access("/proc/sysrq-trigger", F_OK) == 0)
        if (Status s = bind_read_only("/proc/sysrq-trigger", false); !s) return s;
    // /sys is a mount of its own already: its copy in this namespace turns read-only, submounts
    // (cgroup, debugfs, ...) too.
    struct mount_attr attr = {};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (mount_setattr(AT_FDCWD, "/sys", AT_RECURSIVE, &attr, sizeof attr) != 0)
        return Error::from_errno("mount: make /sys read-only", errno);
    return {};
}

}  // namespace ipcbox::ns
