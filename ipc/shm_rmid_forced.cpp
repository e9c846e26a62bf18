#include "ipc/shm_rmid_forced.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/io.hpp"
#include "config/sysctl_knobs.hpp"

namespace ipcbox::ipc {

namespace {
constexpr const char* kKnob = "kernel.shm_rmid_forced";
}

Status RmidForcedPause::pause() {
    if (checked_) return {};
    checked_ = true;
    const std::string path = config::sysctl_path(kKnob);
    // Read first: when the knob is off there is nothing to do, and nothing to be allowed.
    auto value = read_whole_file(path, 16);
    if (!value || !value->starts_with("1")) return {};
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Error::from_errno(std::string("open ") + kKnob, errno);
    // Offset 0: proc handlers ignore a write at a later offset.
    if (pwrite(fd, "0", 1, 0) != 1) {
        const int err = errno;
        close(fd);
        return Error::from_errno(std::string("write ") + kKnob + " 0", err);
    }
    fd_ = fd;
    return {};
}

Status RmidForcedPause::resume() {
    if (fd_ < 0) return {};
    const ssize_t n = pwrite(fd_, "1", 1, 0);
    const int err = errno;
    close(fd_);
    fd_ = -1;
    if (n != 1) return Error::from_errno(std::string("write ") + kKnob + " 1", err);
    return {};
}

}  // namespace ipcbox::ipc
