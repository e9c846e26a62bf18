// Process plumbing shared by the supervisor (outside) and the init process (pid 1 inside).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <optional>

namespace ipcbox::launcher {

// Signals that reach the command when they are sent to ipcbox (or to the sandbox's init).
inline constexpr int kForwardedSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

// The forwarded signals plus SIGCHLD: blocked from before the sandbox is made, then waited for.
sigset_t supervised_signals();

// A terminal sends SIGINT/SIGQUIT/SIGHUP to its whole foreground process group, which already
// includes the command; only signals sent by a process (kill, sigqueue) are passed on, so the
// command does not get a second copy of ^C.
bool sent_by_a_process(const siginfo_t& info);

// The shell's convention: the exit code, or 128 + N for death by signal N.
int exit_code_of(int wait_status);

// Waits for `pid` (a child of this process), retrying on EINTR; returns its wait status.
int wait_for(pid_t pid);

// The one supervise loop, of ipcbox's supervisor and of the sandbox's init (pid 1): waits for
// `child`, passes on to it the forwarded signals that a process sent, and reaps every other child
// that exits meanwhile. supervised_signals() must be blocked. Returns the wait status of `child`,
// or nullopt once `deadline` has passed.
std::optional<int> wait_forwarding_signals(
    pid_t child, std::optional<std::chrono::steady_clock::time_point> deadline);

// Kills `first` and then every other descendant this process has (it is a child subreaper, so
// orphans come back to it), reaping until none is left. Only ever signals its own unreaped
// children, so no pid can have been reused. Returns the wait status of `first`.
int kill_and_reap_all(pid_t first);

}  // namespace ipcbox::launcher
