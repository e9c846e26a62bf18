#include "ns/join.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <string>

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

Status enter(const UniqueFd& fd, int type, const char* kind) {
    if (setns(fd.get(), type) != 0) return Error::from_errno(std::string("setns ") + kind, errno);
    return {};
}

}  // namespace

Result<TargetNamespaces> open_target_namespaces(pid_t pid) {
    TargetNamespaces t;
    t.pid = pid;
    const std::string who = "pid " + std::to_string(pid);
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) return Error::from_errno(who + ": pidfd_open", errno);
    t.pidfd.reset(pidfd);

    auto user = open_ns(pid, "user");
    if (!user) return std::move(user).error().with_context(who);
    auto ipc = open_ns(pid, "ipc");
    if (!ipc) return std::move(ipc).error().with_context(who);
    auto mnt = open_ns(pid, "mnt");
    if (!mnt) return std::move(mnt).error().with_context(who);
    t.user = std::move(user).value();
    t.ipc = std::move(ipc).value();
    t.mnt = std::move(mnt).value();

    // Still the same process? Then every handle above is its own.
    if (syscall(SYS_pidfd_send_signal, t.pidfd.get(), 0, nullptr, 0) != 0)
        return Error::from_errno(who + ": the process went away while its namespaces were opened",
                                 errno);

    auto same_user = same_namespace(t.user.get(), "user");
    auto same_ipc = same_namespace(t.ipc.get(), "ipc");
    auto same_mnt = same_namespace(t.mnt.get(), "mnt");
    if (!same_user) return std::move(same_user).error().with_context(who);
    if (!same_ipc) return std::move(same_ipc).error().with_context(who);
    if (!same_mnt) return std::move(same_mnt).error().with_context(who);
    t.user_differs = !*same_user;
    t.ipc_is_ours = *same_ipc;
    t.mnt_is_ours = *same_mnt;
    return t;
}

Status join_target_namespaces(const TargetNamespaces& t, const JoinWhat& what) {
    if (t.user_differs) {
        if (auto s = enter(t.user, CLONE_NEWUSER, "user"); !s) return s;
        // setgroups may be denied in that namespace; dropping supplementary groups is then moot.
        (void)setgroups(0, nullptr);
        if (setresgid(0, 0, 0) != 0)
            return Error::from_errno("setresgid 0 in the target's user namespace", errno);
        if (setresuid(0, 0, 0) != 0)
            return Error::from_errno("setresuid 0 in the target's user namespace", errno);
    }
    if (what.ipc && !t.ipc_is_ours) {
        if (auto s = enter(t.ipc, CLONE_NEWIPC, "ipc"); !s) return s;
    }
    if (what.mnt && !t.mnt_is_ours) {
        if (auto s = enter(t.mnt, CLONE_NEWNS, "mnt"); !s) return s;
    }
    return {};
}

}  // namespace ipcbox::ns
