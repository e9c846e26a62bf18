// The hook's own deadline. A runtime's hook timeout kills the hook without a word (and runc then
// still waits for the hook's stdout/stderr), so ipcbox ends itself first, with a message the user
// can act on, and takes its namespace helper with it.
#pragma once

#include <sys/types.h>

#include <string>

namespace ipcbox::launcher {

// From now on, after `milliseconds`: write `message` (one line) to stderr and `log_message` to
// `log_fd` (when >= 0), SIGKILL the watched child, _exit(1). Both are prepared now: a signal
// handler may not allocate. Arming again replaces the previous deadline.
void arm_deadline(long milliseconds, const std::string& message, const std::string& log_message,
                  int log_fd);
// The child to kill when the deadline passes (0: none). Only ever a child of this process.
void watch_child(pid_t child);
void disarm_deadline();

}  // namespace ipcbox::launcher
