// Opening another process's or a namespace file's IPC namespace for reading (ls, snapshot).
#pragma once

#include <string>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace ipcbox::launcher {

// Adds why a namespace could not be opened: permission (root, or the process's own user) or a
// process that is gone.
Error access_hint(Error e);

// Opens `path` and checks it is an IPC namespace file (/proc/PID/ns/ipc or a bind mount of one).
Result<UniqueFd> open_ipc_namespace_file(const std::string& path);

// The inode number of an open namespace file, 0 when fstat fails.
uint64_t inode_of(int fd);

}  // namespace ipcbox::launcher
