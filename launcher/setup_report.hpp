// How the sandbox child tells the supervisor that a setup step failed. The socket is
// close-on-exec: end of file without a report means execve succeeded (as bubblewrap and nsjail
// do), so the supervisor knows the command started.
// With a leak report, the child first sends the preseed snapshot (JSON in chunks, the last one
// carrying handles on its user, IPC and mount namespaces); a failure or EOF still ends the report.
#pragma once

#include <optional>
#include <string>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace ipcbox::launcher {

struct SetupFailure {
    int exit_code = 125;  // 125 setup, 126 not executable, 127 not found
    Error error;
};

// The sandbox as it was before the command ran, and handles that keep its namespaces (and so
// every object in them) alive until the supervisor closes them.
struct SandboxSnapshot {
    std::string inventory_json;
    UniqueFd user, ipc, mnt;
    bool complete = false;  // every chunk and the handles arrived
};

struct SetupReport {
    std::optional<SetupFailure> failure;
    SandboxSnapshot snapshot;
};

// In the child: one datagram, then the child exits. Never throws.
void send_setup_failure(int fd, int exit_code, const Error& error);
// In the child, before exec: the snapshot text and its own namespace handles.
Status send_snapshot(int fd, const std::string& inventory_json, int user_fd, int ipc_fd,
                     int mnt_fd);
// In the supervisor: blocks until the child execs (no failure) or reports a failure, collecting
// the snapshot on the way when one is sent.
SetupReport receive_setup_report(int fd);
std::optional<SetupFailure> receive_setup_failure(int fd);

}  // namespace ipcbox::launcher
