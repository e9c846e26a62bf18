#include "ns/capabilities.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "base/io.hpp"

namespace ipcbox::ns {
namespace {

bool kept(uint64_t keep, int cap) {
    return cap < 64 && (keep >> cap) & 1;
}

Status set_capability_sets(uint64_t keep) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct sets[_LINUX_CAPABILITY_U32S_3] = {};
    for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; ++i) {
        const auto word = static_cast<uint32_t>(keep >> (32 * i));
        sets[i] = {.effective = word, .permitted = word, .inheritable = word};
    }
    if (syscall(SYS_capset, &header, sets) != 0)
        return Error::from_errno(keep ? "set the kept capabilities" : "clear the capability sets",
                                 errno);
    return {};
}

bool setgroups_denied() {
    auto text = read_whole_file("/proc/self/setgroups", 64);
    return text && text->rfind("deny", 0) == 0;
}

}  // namespace

Status become(const Identity& who) {
    const std::string ids = std::to_string(who.uid) + ":" + std::to_string(who.gid);
    // Where setgroups is denied (uid 0 of a user namespace made by `unshare -r`), the groups are
    // the caller's own and cannot be changed by anyone: going on without dropping them is safe.
    if (setgroups(0, nullptr) != 0 && !(errno == EPERM && setgroups_denied()))
        return Error::from_errno("become " + ids + ": setgroups", errno);
    if (setresgid(who.gid, who.gid, who.gid) != 0)
        return Error::from_errno("become " + ids + ": setresgid", errno);
    if (setresuid(who.uid, who.uid, who.uid) != 0)
        return Error::from_errno("become " + ids + ": setresuid", errno);
    return {};
}

Status drop_privileges(const std::optional<Identity>& who, uint64_t keep) {
    // The bounding set first: dropping from it needs CAP_SETPCAP in the effective set. The kernel
    // may know more capabilities than these headers: go on until it says EINVAL (one call per
    // capability, no read first: this loop is most of a launch's syscalls).
    for (int cap = 0;; ++cap) {
        if (kept(keep, cap)) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            if (errno == EINVAL) break;
            return Error::from_errno(
                "drop capability " + std::to_string(cap) + " from the bounding set", errno);
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
        return Error::from_errno("clear the ambient capabilities", errno);
    if (who)
        if (Status s = become(*who); !s) return s;
    if (Status s = set_capability_sets(keep); !s) return s;
    // Ambient capabilities need to be permitted and inheritable first (just set).
    for (int cap = 0; cap < 64; ++cap)
        if (kept(keep, cap) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0)
            return Error::from_errno("keep capability " + std::to_string(cap) + " as ambient",
                                     errno);
    return {};
}

}  // namespace ipcbox::ns
