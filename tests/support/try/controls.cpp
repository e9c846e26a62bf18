// support_try: controls, other kinds of IPC that a block must leave alone.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/try/try.hpp"

namespace support_try {
namespace {

// --- controls: other kinds of IPC that a block must leave alone ---
int do_pipe(const char*) {
    int fds[2];
    if (pipe(fds) != 0) return errno;
    close(fds[0]);
    close(fds[1]);
    return 0;
}
int do_memfd(const char*) {
    int fd = memfd_create("support_try", MFD_CLOEXEC);
    if (fd < 0) return errno;
    close(fd);
    return 0;
}
int do_socketpair(const char*) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return errno;
    close(fds[0]);
    close(fds[1]);
    return 0;
}
int open_tmp(const char*) {
    int fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);  // unnamed: nothing to clean up
    if (fd < 0) return errno;
    close(fd);
    return 0;
}

constexpr Op kOps[] = {
    {"pipe", false, do_pipe},
    {"memfd", false, do_memfd},
    {"socketpair", false, do_socketpair},
    {"open-tmp", false, open_tmp},
};

}  // namespace

std::span<const Op> control_ops() {
    return kOps;
}

}  // namespace support_try
