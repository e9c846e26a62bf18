#include "ns/syscall_util.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace ipcbox::ns {

Status write_file(const std::string& path, const std::string& content) {
    int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Error::from_errno("open " + path, errno);
    ssize_t n = write(fd, content.data(), content.size());
    int err = errno;
    close(fd);
    if (n < 0) return Error::from_errno("write " + path, err);
    if (static_cast<size_t>(n) != content.size())
        return Error::of("write " + path + ": short write");
    return {};
}

}  // namespace ipcbox::ns
