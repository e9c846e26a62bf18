// Where `ipcbox hook` opens the payload files of a spec. The hook runs as root on specs others
// wrote, so a file must resolve beneath its spec's directory (no absolute path, no ".." and no
// symlink leading out of it, no /proc magic link). A bundle's own ipcbox.toml comes with the
// container: its files are opened inside the container's mount namespace (before pivot_root the
// bundle is still in view there), as the container's root, so a rootfs can name only what the
// container itself could read, never a file of the host's view.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace ipcbox::launcher {

// `relative` beneath the directory `dir`, opened by this process.
Result<UniqueFd> open_payload_beneath(const std::string& dir, const std::string& relative);

// The same, done by a helper that has joined the user and mount namespaces of `pid`, which sends
// the open file back.
Result<UniqueFd> open_payload_in_container(pid_t pid, const std::string& dir,
                                           const std::string& relative);

}  // namespace ipcbox::launcher
