#include "launcher/setup_report.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ipcbox::launcher {
namespace {

// Every datagram starts with its kind.
enum Kind : int32_t { kFailure = 1, kSnapshotChunk = 2, kSnapshotEnd = 3 };

// Fixed layout: the child writes it in one send(), the parent reads it in one recv().
struct Wire {
    int32_t kind;
    int exit_code;
    int err;
    char message[2048];
    char hint[512];
};

// A SOCK_SEQPACKET datagram must fit the socket buffer: snapshots go in chunks well below it.
constexpr size_t kChunk = 32 * 1024;
constexpr size_t kLargest = std::max(sizeof(Wire), sizeof(int32_t) + kChunk);

void copy_truncated(char* dst, size_t size, const std::string& src) {
    size_t n = std::min(size - 1, src.size());
    std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}

Status send_datagram(int fd, int32_t kind, const char* data, size_t size, const int* fds,
                     size_t nfds) {
    std::vector<char> buf(sizeof kind + size);
    std::memcpy(buf.data(), &kind, sizeof kind);
    if (size) std::memcpy(buf.data() + sizeof kind, data, size);
    iovec io{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    std::vector<char> control(nfds ? CMSG_SPACE(nfds * sizeof(int)) : 0);
    if (nfds) {
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
        std::memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
    }
    while (sendmsg(fd, &msg, MSG_NOSIGNAL) < 0) {
        if (errno != EINTR) return Error::from_errno("send the snapshot to ipcbox", errno);
    }
    return {};
}

// The namespace handles of a kSnapshotEnd datagram, in the order they were sent.
void take_handles(msghdr& msg, SandboxSnapshot& snapshot) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int fds[3] = {-1, -1, -1};
        const size_t n = std::min<size_t>(3, (c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        std::memcpy(fds, CMSG_DATA(c), n * sizeof(int));
        snapshot.user.reset(fds[0]);
        snapshot.ipc.reset(fds[1]);
        snapshot.mnt.reset(fds[2]);
    }
    snapshot.complete = snapshot.user.valid() && snapshot.ipc.valid() && snapshot.mnt.valid();
}

}  // namespace

void send_setup_failure(int fd, int exit_code, const Error& error) {
    Wire wire{};
    wire.kind = kFailure;
    wire.exit_code = exit_code;
    wire.err = error.err;
    copy_truncated(wire.message, sizeof wire.message, error.message);
    copy_truncated(wire.hint, sizeof wire.hint, error.hint);
    while (send(fd, &wire, sizeof wire, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
}

Status send_snapshot(int fd, const std::string& inventory_json, int user_fd, int ipc_fd,
                     int mnt_fd) {
    for (size_t at = 0; at < inventory_json.size(); at += kChunk) {
        const size_t n = std::min(kChunk, inventory_json.size() - at);
        if (Status s = send_datagram(fd, kSnapshotChunk, inventory_json.data() + at, n, nullptr, 0);
            !s)
            return s;
    }
    const int fds[3] = {user_fd, ipc_fd, mnt_fd};
    return send_datagram(fd, kSnapshotEnd, nullptr, 0, fds, 3);
}

SetupReport receive_setup_report(int fd) {
    SetupReport report;
    std::vector<char> buf(kLargest);
    alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))];
    for (;;) {
        iovec io{buf.data(), buf.size()};
        msghdr msg{};
        msg.msg_iov = &io;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n < static_cast<ssize_t>(sizeof(int32_t))) return report;  // EOF: exec succeeded
        int32_t kind;
        std::memcpy(&kind, buf.data(), sizeof kind);
        if (kind == kSnapshotChunk) {
            report.snapshot.inventory_json.append(buf.data() + sizeof kind, n - sizeof kind);
        } else if (kind == kSnapshotEnd) {
            take_handles(msg, report.snapshot);
        } else if (kind == kFailure && n == static_cast<ssize_t>(sizeof(Wire))) {
            Wire wire;
            std::memcpy(&wire, buf.data(), sizeof wire);
            wire.message[sizeof wire.message - 1] = '\0';
            wire.hint[sizeof wire.hint - 1] = '\0';
            report.failure = SetupFailure{wire.exit_code, Error{wire.message, wire.hint, wire.err}};
            return report;
        }
    }
}

std::optional<SetupFailure> receive_setup_failure(int fd) {
    return receive_setup_report(fd).failure;
}

}  // namespace ipcbox::launcher
