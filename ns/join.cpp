#include "ns/join.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <optional>
#include <sstream>
#include <string>

#include "base/io.hpp"

namespace ipcbox::ns {
namespace {

Result<UniqueFd> open_ns(pid_t pid, const char* kind) {
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/" + kind;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::from_errno("open " + path, errno);
    return UniqueFd(fd);
}

// Same namespace <=> same device and inode of the nsfs file.
Result<bool> same_namespace(int fd, const char* kind) {
    struct stat theirs, ours;
    const std::string self = std::string("/proc/self/ns/") + kind;
    if (fstat(fd, &theirs) != 0) return Error::from_errno("fstat ns/" + std::string(kind), errno);
    if (stat(self.c_str(), &ours) != 0) return Error::from_errno("stat " + self, errno);
    return theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino;
}

Status enter(int fd, int type, const char* kind) {
    if (setns(fd, type) != 0) return Error::from_errno(std::string("setns ") + kind, errno);
    return {};
}

// The id to take in the user namespace this process has just joined: 0 when it is mapped there,
// else the first id that is (a sandbox with --uid 65534 maps only that one). `map` is
// /proc/self/uid_map or gid_map: "inside outside count" per line.
Result<uint32_t> id_to_take(const char* map) {
    auto text = read_whole_file(map, 64 << 10);
    if (!text) return std::move(text).error().with_context(map);
    std::istringstream lines(*text);
    uint64_t inside, outside, count;
    std::optional<uint32_t> first;
    while (lines >> inside >> outside >> count) {
        if (inside == 0 && count > 0) return 0u;
        if (!first) first = static_cast<uint32_t>(inside);
    }
    if (!first) return Error::of(std::string(map) + ": the target's user namespace maps no id");
    return *first;
}

// Into a user namespace, as its root when it has one: objects are then owned by the target's
// root, their owners read as the target sees them (not 65534), and POSIX queues can be opened (no
// EOVERFLOW, which any mapped id avoids).
Status become_root_of(int user_fd) {
    if (auto s = enter(user_fd, CLONE_NEWUSER, "user"); !s) return s;
    // setgroups may be denied in that namespace; dropping supplementary groups is then moot.
    (void)setgroups(0, nullptr);
    auto gid = id_to_take("/proc/self/gid_map");
    if (!gid) return std::move(gid).error();
    auto uid = id_to_take("/proc/self/uid_map");
    if (!uid) return std::move(uid).error();
    if (setresgid(*gid, *gid, *gid) != 0)
        return Error::from_errno(
            "setresgid " + std::to_string(*gid) + " in the target's user namespace", errno);
    if (setresuid(*uid, *uid, *uid) != 0)
        return Error::from_errno(
            "setresuid " + std::to_string(*uid) + " in the target's user namespace", errno);
    return {};
}

// The maps of `pid`'s user namespace as read from ours (the kernel writes each map's outside ids
// in the reader's namespace): how the ids we read look to it. Read before joining a mount
// namespace, while /proc is still the one `pid` is named in.
Result<IdView> view_of_process(pid_t pid) {
    IdView view;
    for (const char* kind : {"uid_map", "gid_map"}) {
        const std::string path = "/proc/" + std::to_string(pid) + "/" + kind;
        auto text = read_whole_file(path, 64 << 10);
        if (!text) return std::move(text).error();
        auto ranges = parse_id_map(*text);
        if (!ranges) return std::move(ranges).error().with_context(path);
        (kind[0] == 'u' ? view.uids : view.gids) = std::move(ranges).value();
    }
    return view;
}

}  // namespace

Result<UniqueFd> open_own_namespace(const char* kind) {
    return open_ns(getpid(), kind);
}

Result<TargetNamespaces> adopt_namespaces(UniqueFd user, UniqueFd ipc, UniqueFd mnt) {
    TargetNamespaces t;
    auto same_user = same_namespace(user.get(), "user");
    auto same_ipc = same_namespace(ipc.get(), "ipc");
    auto same_mnt = same_namespace(mnt.get(), "mnt");
    if (!same_user) return std::move(same_user).error();
    if (!same_ipc) return std::move(same_ipc).error();
    if (!same_mnt) return std::move(same_mnt).error();
    t.user_differs = !*same_user;
    t.ipc_is_ours = *same_ipc;
    t.mnt_is_ours = *same_mnt;
    t.user = std::move(user);
    t.ipc = std::move(ipc);
    t.mnt = std::move(mnt);
    return t;
}

Result<TargetNamespaces> open_target_namespaces(pid_t pid) {
    const std::string who = "pid " + std::to_string(pid);
    UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
    if (!pidfd.valid()) return Error::from_errno(who + ": pidfd_open", errno);

    auto user = open_ns(pid, "user");
    if (!user) return std::move(user).error().with_context(who);
    auto ipc = open_ns(pid, "ipc");
    if (!ipc) return std::move(ipc).error().with_context(who);
    auto mnt = open_ns(pid, "mnt");
    if (!mnt) return std::move(mnt).error().with_context(who);
    // Still the same process? Then every handle above is its own.
    if (syscall(SYS_pidfd_send_signal, pidfd.get(), 0, nullptr, 0) != 0)
        return Error::from_errno(who + ": the process went away while its namespaces were opened",
                                 errno);
    auto t =
        adopt_namespaces(std::move(user).value(), std::move(ipc).value(), std::move(mnt).value());
    if (!t) return std::move(t).error().with_context(who);
    t->pid = pid;
    t->pidfd = std::move(pidfd);
    return t;
}

Result<IdView> join_target_namespaces(const TargetNamespaces& t, const JoinWhat& what) {
    // Sharing our IPC namespace, the target's user namespace (when not ours) is the one to act
    // in; otherwise the owner of its IPC namespace, which may be an ancestor of the target's.
    int user_fd = t.user_differs ? t.user.get() : -1;
    UniqueFd owner;
    if (!t.ipc_is_ours) {
        owner = UniqueFd(ioctl(t.ipc.get(), NS_GET_USERNS));
        if (owner.valid()) {
            auto same = same_namespace(owner.get(), "user");
            if (!same) return std::move(same).error();
            user_fd = *same ? -1 : owner.get();
        }
    }
    if (user_fd >= 0)
        if (auto s = become_root_of(user_fd); !s) return std::move(s).error();
    IdView view;
    if (t.pid > 0) {
        auto nested = same_namespace(t.user.get(), "user");
        if (!nested) return std::move(nested).error();
        if (!*nested) {
            auto v = view_of_process(t.pid);
            if (!v) return std::move(v).error();
            view = std::move(v).value();
        }
    }
    if (what.ipc && !t.ipc_is_ours)
        if (auto s = enter(t.ipc.get(), CLONE_NEWIPC, "ipc"); !s) return std::move(s).error();
    if (what.mnt && !t.mnt_is_ours)
        if (auto s = enter(t.mnt.get(), CLONE_NEWNS, "mnt"); !s) return std::move(s).error();
    return view;
}

Status join_ipc_namespace_file(int ipc_fd) {
    const UniqueFd owner(ioctl(ipc_fd, NS_GET_USERNS));
    if (owner.valid()) {
        auto same = same_namespace(owner.get(), "user");
        if (same && !*same)
            if (auto s = become_root_of(owner.get()); !s) return s;
    }
    return enter(ipc_fd, CLONE_NEWIPC, "ipc");
}

}  // namespace ipcbox::ns
