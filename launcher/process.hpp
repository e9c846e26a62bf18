// Process plumbing shared by the supervisor (outside) and the init process (pid 1 inside).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ipcbox::launcher {

// Signals that reach the command when they are sent to ipcbox (or to the sandbox's init).
inline constexpr int kForwardedSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

// The forwarded signals plus SIGCHLD: blocked from before the sandbox is made, then waited for.
sigset_t supervised_signals();

// A terminal sends SIGINT/SIGQUIT/SIGHUP to its whole foreground process group, which already
// includes the command; only signals sent by a process (kill, sigqueue) are passed on, so the
// command does not get a second copy of ^C.
bool sent_by_a_process(const siginfo_t& info);

// Which of the forwarded signals a supervise loop passes on to its child.
enum class Forwarding {
    // The child is in this process's group, so whatever is sent to the group reaches it already;
    // a terminal's signals (which only ever go to a group) are not passed on, a process's are.
    SentByAProcess,
    // The child has a process group of its own: nothing sent to this one reaches it.
    All,
};

// The shell's convention: the exit code, or 128 + N for death by signal N.
int exit_code_of(int wait_status);

// Waits for `pid` (a child of this process), retrying on EINTR; returns its wait status.
int wait_for(pid_t pid);

// The one supervise loop, of ipcbox's supervisor and of the sandbox's init (pid 1): waits for
// `child`, passes on to it the forwarded signals that `forwarding` selects, and reaps every other
// child that exits meanwhile. supervised_signals() must be blocked. Returns the wait status of
// `child`, or nullopt once `deadline` has passed.
std::optional<int> wait_forwarding_signals(
    pid_t child, std::optional<std::chrono::steady_clock::time_point> deadline,
    Forwarding forwarding);

// A process that outlived the command (or the timeout), as it was recorded before any signal.
struct EndedProcess {
    pid_t pid = 0;     // as this process sees it: inside the sandbox's pid namespace for its init
    std::string name;  // /proc/PID/comm
    int signal = 0;    // the last signal sent to it (SIGTERM, SIGKILL), 0 if it ended before one
};

// How long what is left gets to end after SIGTERM before SIGKILL. The command has already ended,
// so whatever is left is unwanted; a second is plenty for a daemon to handle SIGTERM (and remove
// its own IPC objects), and bounds what a process that ignores it adds to a run.
inline constexpr std::chrono::milliseconds kEndGrace{1000};

// This process's children (those of every thread), from /proc/self/task/*/children; /proc is not
// read when the kernel says there is none.
std::vector<pid_t> own_children();

// The one way ipcbox ends processes, for the timeout, after the command exits and after a failed
// setup. Records every process below this one (pid and name, the whole tree, read before any
// signal), sends SIGTERM to each of its own children, waits up to `grace` while reaping, then sends
// SIGKILL until none is left. Only this process's own unreaped children are ever signalled (it is
// a child subreaper or a pid namespace's init, so orphans come back to it), so no pid can have been
// reused; grandchildren are signalled once they are orphaned and become children. `unrecorded` (a
// child, or 0) is ended like the others but left out of the record. `spared` are children that are
// not the sandbox's (the probe's own helper, there before the sandbox was made): they are neither
// recorded, signalled nor reaped. SIGCHLD should be blocked, so that a child's exit wakes it.
std::vector<EndedProcess> end_all_children(pid_t unrecorded, std::chrono::milliseconds grace,
                                           const std::vector<pid_t>& spared = {});

}  // namespace ipcbox::launcher
