// pid 1 of a sandbox with its own pid namespace.
#pragma once

#include <sys/types.h>

namespace ipcbox::launcher {

// Reaps every orphan, passes forwarded signals on to `command`, and returns the command's exit
// code (128 + N for a signal) once it has ended. When this process exits, the kernel kills
// everything left in the pid namespace.
int run_init_reaper(pid_t command);

}  // namespace ipcbox::launcher
