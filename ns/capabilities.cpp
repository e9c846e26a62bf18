#include "ns/capabilities.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace ipcbox::ns {

Status drop_privileges(const std::optional<Identity>& become) {
    // The bounding set first: dropping from it needs CAP_SETPCAP in the effective set. The kernel
    // may know more capabilities than these headers: go on until it says EINVAL.
    for (int cap = 0;; ++cap) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL) break;
            return Error::from_errno("read the capability bounding set", errno);
        }
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
            return Error::from_errno(
                "drop capability " + std::to_string(cap) + " from the bounding set", errno);
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
        return Error::from_errno("clear the ambient capabilities", errno);
    if (become) {
        const std::string ids = std::to_string(become->uid) + ":" + std::to_string(become->gid);
        if (setgroups(0, nullptr) != 0)
            return Error::from_errno("become " + ids + ": setgroups", errno);
        if (setresgid(become->gid, become->gid, become->gid) != 0)
            return Error::from_errno("become " + ids + ": setresgid", errno);
        if (setresuid(become->uid, become->uid, become->uid) != 0)
            return Error::from_errno("become " + ids + ": setresuid", errno);
    }
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capset, &header, none) != 0)
        return Error::from_errno("clear the capability sets", errno);
    return {};
}

}  // namespace ipcbox::ns
