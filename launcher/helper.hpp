// The one helper runner: fork a child that joins whatever namespaces it needs, does one job and
// sends the answer back over a Channel. The caller is never changed (setns of a user namespace
// needs a single-threaded process, and is for good), and prints nothing of the helper's.
#pragma once

#include <sys/types.h>

#include <functional>

#include "base/error.hpp"
#include "launcher/channel.hpp"

namespace ipcbox::launcher {

struct HelperOptions {
    const char* name = "a helper process";  // for errors: "<name> died without an answer"
    // Point stdin, stdout and stderr at /dev/null: an OCI hook must not hold the runtime's pipes.
    bool quiet_stdio = false;
    // Called in the parent with the helper's pid once it runs, and with 0 once it is reaped.
    std::function<void(pid_t)> watch;
};

// Runs `job` in a forked child that dies with this process; returns its answer, its Error, or an
// error naming how it died.
Result<Payload> run_helper(const std::function<Result<Payload>()>& job,
                           const HelperOptions& options = {});

}  // namespace ipcbox::launcher
