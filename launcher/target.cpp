#include "launcher/target.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

namespace ipcbox::launcher {

Error access_hint(Error e) {
    if (e.err == EACCES || e.err == EPERM)
        return std::move(e).with_hint(
            "reading another process's namespaces needs root, or the same user as that process");
    if (e.err == ESRCH || e.err == ENOENT) return std::move(e).with_hint("is the process running?");
    return e;
}

Result<UniqueFd> open_ipc_namespace_file(const std::string& path) {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return access_hint(Error::from_errno("open " + path, errno));
    int type = ioctl(fd.get(), NS_GET_NSTYPE);
    if (type != CLONE_NEWIPC)
        return Error::of(path + " is not an IPC namespace file")
            .with_hint("give /proc/PID/ns/ipc or a bind mount of one");
    return fd;
}

uint64_t inode_of(int fd) {
    struct stat st;
    return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

}  // namespace ipcbox::launcher
