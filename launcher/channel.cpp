// Wire format: every datagram starts with a one-byte kind. A payload is any number of kChunk
// datagrams and one kEnd (which carries the descriptors); a failure is one kFailure datagram:
// exit code, errno, message size, hint size, then both strings.
#include "launcher/channel.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>

namespace ipcbox::launcher {
namespace {

enum Kind : uint8_t { kChunk = 1, kEnd = 2, kFailure = 3 };

// A datagram must fit the socket buffer (about 200 KiB by default): payloads go in pieces well
// below it, and failure texts are cut to fit one.
constexpr size_t kPiece = 32 * 1024;
constexpr size_t kMaxText = 8 * 1024;

struct FailureHead {
    int32_t exit_code;
    int32_t err;
    uint32_t message_size;
    uint32_t hint_size;
};

Status send_datagram(int fd, Kind kind, std::string_view body, const std::vector<int>& fds) {
    std::string buf(1, static_cast<char>(kind));
    buf.append(body);
    iovec io{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    std::vector<char> control(fds.empty() ? 0 : CMSG_SPACE(fds.size() * sizeof(int)));
    if (!fds.empty()) {
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(fds.size() * sizeof(int));
        std::memcpy(CMSG_DATA(c), fds.data(), fds.size() * sizeof(int));
    }
    while (sendmsg(fd, &msg, MSG_NOSIGNAL) < 0)
        if (errno != EINTR) return Error::from_errno("send to the parent process", errno);
    return {};
}

void take_fds(msghdr& msg, std::vector<UniqueFd>& out) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        const size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            out.emplace_back(fd);
        }
    }
}

Result<Failure> decode_failure(std::string_view body) {
    FailureHead head;
    if (body.size() < sizeof head) return Error::of("a child process sent a malformed failure");
    std::memcpy(&head, body.data(), sizeof head);
    body.remove_prefix(sizeof head);
    if (body.size() != static_cast<size_t>(head.message_size) + head.hint_size)
        return Error::of("a child process sent a malformed failure");
    return Failure{head.exit_code, Error{std::string(body.substr(0, head.message_size)),
                                         std::string(body.substr(head.message_size)), head.err}};
}

}  // namespace

Result<std::pair<Channel, Channel>> Channel::make() {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
        return Error::from_errno("socketpair", errno);
    return std::pair<Channel, Channel>{Channel(fds[0]), Channel(fds[1])};
}

Status Channel::send(std::string_view bytes, const std::vector<int>& fds) const {
    if (fds.size() > kMaxFds) return Error::of("too many descriptors for one message");
    while (bytes.size() > kPiece) {
        if (Status s = send_datagram(fd(), kChunk, bytes.substr(0, kPiece), {}); !s) return s;
        bytes.remove_prefix(kPiece);
    }
    return send_datagram(fd(), kEnd, bytes, fds);
}

Status Channel::send(const Payload& payload) const {
    std::vector<int> fds;
    for (const UniqueFd& f : payload.fds) fds.push_back(f.get());
    return send(payload.bytes, fds);
}

void Channel::send_failure(const Failure& failure) const {
    const std::string_view message(failure.error.message.data(),
                                   std::min(failure.error.message.size(), kMaxText));
    const std::string_view hint(failure.error.hint.data(),
                                std::min(failure.error.hint.size(), kMaxText));
    const FailureHead head{failure.exit_code, failure.error.err,
                           static_cast<uint32_t>(message.size()),
                           static_cast<uint32_t>(hint.size())};
    std::string body(reinterpret_cast<const char*>(&head), sizeof head);
    body.append(message);
    body.append(hint);
    (void)send_datagram(fd(), kFailure, body, {});
}

Result<std::optional<Message>> Channel::receive() const {
    Message message;
    // Not zeroed: most receives are an end of file, and a zeroed buffer would cost its every page.
    const size_t size = 1 + std::max(kPiece, sizeof(FailureHead) + 2 * kMaxText);
    const auto buf = std::make_unique_for_overwrite<char[]>(size);
    alignas(cmsghdr) char control[CMSG_SPACE(kMaxFds * sizeof(int))];
    bool partial = false;
    for (;;) {
        iovec io{buf.get(), size};
        msghdr msg{};
        msg.msg_iov = &io;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const ssize_t n = recvmsg(fd(), &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error::from_errno("receive from a child process", errno);
        if (n == 0) {
            if (partial) return Error::of("a child process ended in the middle of a message");
            return std::optional<Message>();
        }
        const std::string_view body(buf.get() + 1, static_cast<size_t>(n) - 1);
        switch (static_cast<Kind>(buf[0])) {
            case kChunk:
                partial = true;
                message.payload.bytes.append(body);
                continue;
            case kEnd:
                message.payload.bytes.append(body);
                take_fds(msg, message.payload.fds);
                return std::optional<Message>(std::move(message));
            case kFailure: {
                auto failure = decode_failure(body);
                if (!failure) return std::move(failure).error();
                message.failure = std::move(failure).value();
                return std::optional<Message>(std::move(message));
            }
        }
        return Error::of("a child process sent a message of unknown kind");
    }
}

}  // namespace ipcbox::launcher
