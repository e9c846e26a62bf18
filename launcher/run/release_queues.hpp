// The sandbox's POSIX queues are unlinked before ipcbox lets go of its namespaces. A queue's memory
// is charged to its creator's RLIMIT_MSGQUEUE until the queue is freed; when the namespace's last
// reference goes, the kernel frees its queues only as it tears the namespace down, a little later,
// so a rootless run started right after found the limit still taken (EMFILE). An unlinked queue
// that nothing holds open is freed, and its charge released, at once.
#pragma once

#include "base/error.hpp"
#include "ns/join.hpp"

namespace ipcbox::launcher {

// In a helper that joins the sandbox's user and IPC namespaces (the command and everything it
// started have ended). The error is for -v only: the namespace goes away regardless.
Status release_posix_queues(const ns::TargetNamespaces& sandbox);

}  // namespace ipcbox::launcher
