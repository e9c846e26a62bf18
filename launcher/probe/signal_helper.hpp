// The host process `ipcbox probe` offers to be signalled: a child of the probe itself, so the
// probe never signals a process it did not start. It waits for SIGUSR1 carrying a cookie and
// says, when stopped, whether that signal arrived.
#pragma once

#include <sys/types.h>

#include <optional>

#include "base/error.hpp"
#include "ns/capabilities.hpp"

namespace ipcbox::launcher::probe {

class SignalHelper {
  public:
    // With `as`, the helper takes those ids first (only the command's uid may signal it).
    static Result<SignalHelper> start(int cookie, const std::optional<ns::Identity>& as = {});
    SignalHelper(SignalHelper&& other) noexcept;
    SignalHelper& operator=(SignalHelper&&) = delete;
    SignalHelper(const SignalHelper&) = delete;
    ~SignalHelper();  // stops and reaps it when stop() was not called

    pid_t pid() const { return pid_; }
    // Stops and reaps it; true when the cookie's SIGUSR1 had arrived. Later calls return the
    // same answer.
    bool stop();

  private:
    SignalHelper(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
    pid_t pid_ = -1;
    int pidfd_ = -1;  // signals go through it: it cannot name a reused pid
    bool received_ = false;
};

}  // namespace ipcbox::launcher::probe
