#include "ns/user.hpp"

#include <sched.h>

#include <cerrno>
#include <string>

#include "base/io.hpp"

namespace ipcbox::ns {

Status write_id_maps(const IdMapping& m) {
    auto line = [](uint32_t inside, uint32_t outside) {
        return std::to_string(inside) + " " + std::to_string(outside) + " 1\n";
    };
    if (auto s = write_file("/proc/self/setgroups", "deny\n"); !s) return std::move(s).error();
    if (auto s = write_file("/proc/self/gid_map", line(m.inside_gid, m.outside_gid)); !s)
        return std::move(s).error();
    if (auto s = write_file("/proc/self/uid_map", line(m.inside_uid, m.outside_uid)); !s)
        return std::move(s).error();
    return {};
}

Status enter_nested_user_namespace(const IdMapping& mapping, int extra_flags) {
    if (unshare(CLONE_NEWUSER | extra_flags) != 0) {
        const int err = errno;
        Error e = Error::from_errno("nested user namespace for the command: unshare", err);
        if (err == ENOSPC)
            return std::move(e).with_hint(
                "the limit user.max_user_namespaces is reached "
                "(/proc/sys/user/max_user_namespaces)");
        if (err == EPERM || err == EACCES)
            return std::move(e).with_hint(
                "user namespaces are restricted here: see kernel.unprivileged_userns_clone or "
                "kernel.apparmor_restrict_unprivileged_userns");
        return e;
    }
    if (Status s = write_id_maps(mapping); !s)
        return std::move(s).error().with_context("nested user namespace for the command");
    return {};
}

}  // namespace ipcbox::ns
