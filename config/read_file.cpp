// Whole reads with open/read, so the error carries the real errno.
#include "config/read_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ipcbox::config {

Result<std::string> read_to_end(int fd, uint64_t max_bytes) {
    std::string data;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error{std::strerror(errno), {}, errno};
        if (n == 0) return data;
        if (data.size() + static_cast<size_t>(n) > max_bytes)
            return Error::of("larger than " + std::to_string(max_bytes) + " bytes");
        data.append(buf, static_cast<size_t>(n));
    }
}

Result<std::string> read_whole_file(const std::string& path, uint64_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::from_errno("cannot read", errno);
    auto data = read_to_end(fd, max_bytes);
    ::close(fd);
    if (!data) return std::move(data).error().with_context("cannot read");
    return data;
}

}  // namespace ipcbox::config
