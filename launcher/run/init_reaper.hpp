// pid 1 of a sandbox with its own pid namespace.
#pragma once

#include <sys/types.h>

#include "launcher/channel.hpp"

namespace ipcbox::launcher {

// Closes every descriptor but stdio and `report`, reaps every orphan and passes forwarded signals
// on to `command` until it has ended; then ends everything still running in the namespace (as the
// supervisor does without one: SIGTERM, SIGKILL after the grace), sends on `report` which
// processes those were, and returns the command's exit code (128 + N for a signal). When this
// process exits, the kernel kills whatever might be left in the pid namespace.
int run_init_reaper(pid_t command, const Channel& report);

}  // namespace ipcbox::launcher
