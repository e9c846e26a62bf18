// How the sandbox child tells the supervisor that a setup step failed. The socket is
// close-on-exec: end of file without a report means execve succeeded (as bubblewrap and nsjail
// do), so the supervisor knows the command started.
#pragma once

#include <optional>

#include "config/error.hpp"

namespace ipcbox::launcher {

struct SetupFailure {
    int exit_code = 125;  // 125 setup, 126 not executable, 127 not found
    Error error;
};

// In the child: one datagram, then the child exits. Never throws.
void send_setup_failure(int fd, int exit_code, const Error& error);
// In the supervisor: blocks until the child execs (nullopt) or reports a failure.
std::optional<SetupFailure> receive_setup_failure(int fd);

}  // namespace ipcbox::launcher
