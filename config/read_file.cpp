// Whole-file reads with open/read, so the error carries the real errno.
#include "config/read_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace ipcbox::config {

Result<std::string> read_whole_file(const std::string& path, uint64_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::from_errno("cannot read", errno);
    std::string data;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return Error::from_errno("cannot read", err);
        }
        if (n == 0) break;
        if (data.size() + static_cast<size_t>(n) > max_bytes) {
            ::close(fd);
            return Error::of("cannot read: larger than " + std::to_string(max_bytes) + " bytes");
        }
        data.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return data;
}

}  // namespace ipcbox::config
