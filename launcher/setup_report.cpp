#include "launcher/setup_report.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace ipcbox::launcher {
namespace {

// Fixed layout: the child writes it in one send(), the parent reads it in one recv().
struct Wire {
    int exit_code;
    int err;
    char message[2048];
    char hint[512];
};

void copy_truncated(char* dst, size_t size, const std::string& src) {
    size_t n = std::min(size - 1, src.size());
    std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}

}  // namespace

void send_setup_failure(int fd, int exit_code, const Error& error) {
    Wire wire{};
    wire.exit_code = exit_code;
    wire.err = error.err;
    copy_truncated(wire.message, sizeof wire.message, error.message);
    copy_truncated(wire.hint, sizeof wire.hint, error.hint);
    while (send(fd, &wire, sizeof wire, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
}

std::optional<SetupFailure> receive_setup_failure(int fd) {
    Wire wire{};
    ssize_t n;
    do {
        n = recv(fd, &wire, sizeof wire, 0);
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(sizeof wire)) return std::nullopt;
    return SetupFailure{wire.exit_code, Error{wire.message, wire.hint, wire.err}};
}

}  // namespace ipcbox::launcher
