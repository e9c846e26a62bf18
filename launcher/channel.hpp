// The one way a forked child talks to the process that forked it: a SOCK_SEQPACKET pair, both
// ends close-on-exec. The child sends a payload (bytes and descriptors) or a Failure; end of file
// without a message means the child exec'd (the sandbox child) or died (a helper), so the parent
// always learns how a step ended. Used by run, probe, the hook, ls and the leak check.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "launcher/exit_codes.hpp"

namespace ipcbox::launcher {

// Bytes of any size (sent in chunks) and up to kMaxFds descriptors.
struct Payload {
    std::string bytes;
    std::vector<UniqueFd> fds;
};

// One message: a payload or a failure.
struct Message {
    std::optional<Failure> failure;
    Payload payload;
};

class Channel {
  public:
    static constexpr size_t kMaxFds = 8;

    // The parent's end first, then the child's.
    static Result<std::pair<Channel, Channel>> make();

    // Child side. The descriptors stay the caller's (the kernel duplicates them in flight).
    Status send(std::string_view bytes, const std::vector<int>& fds = {}) const;
    Status send(const Payload& payload) const;
    // Never fails loudly: the child exits right after, and the parent then sees end of file.
    void send_failure(const Failure& failure) const;

    // Parent side: the next message, or nullopt at end of file. A payload cut off by end of file
    // is an error.
    Result<std::optional<Message>> receive() const;

    int fd() const { return fd_.get(); }
    void close() { fd_.reset(); }

  private:
    explicit Channel(int fd) : fd_(fd) {}
    UniqueFd fd_;
};

}  // namespace ipcbox::launcher
