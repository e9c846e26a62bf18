// Whole reads and writes with open/read/write, so the error carries the real errno.
#include "base/io.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.hpp"

namespace ipcbox {

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
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return Error::from_errno("cannot read", errno);
    auto data = read_to_end(fd.get(), max_bytes);
    if (!data) return std::move(data).error().with_context("cannot read");
    return data;
}

Result<UniqueFd> open_for_reading(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!fd.valid()) return Error{std::strerror(errno), {}, errno};
    return fd;
}

Result<UniqueFd> open_beneath(int dir_fd, const std::string& relative) {
    open_how how{};
    how.flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    UniqueFd fd(static_cast<int>(syscall(SYS_openat2, dir_fd, relative.c_str(), &how, sizeof how)));
    if (!fd.valid()) return Error{std::strerror(errno), {}, errno};
    return fd;
}

Status write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error{std::strerror(errno), {}, errno};
        data.remove_prefix(static_cast<size_t>(n));
    }
    return {};
}

Status write_file(const std::string& path, const std::string& content) {
    const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) return Error::from_errno("open " + path, errno);
    const ssize_t n = ::write(fd.get(), content.data(), content.size());
    if (n < 0) return Error::from_errno("write " + path, errno);
    if (static_cast<size_t>(n) != content.size())
        return Error::of("write " + path + ": short write");
    return {};
}

}  // namespace ipcbox
