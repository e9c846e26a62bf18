#include "launcher/run/supervisor.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>

#include "launcher/exit_codes.hpp"
#include "launcher/leaks/check.hpp"
#include "launcher/print.hpp"
#include "launcher/process.hpp"
#include "launcher/run/sandbox_child.hpp"
#include "launcher/setup_report.hpp"

namespace ipcbox::launcher {
namespace {

// fork() that also unshares: the child starts inside its new namespaces (and, with
// CLONE_NEWPID, as pid 1 of the new pid namespace).
pid_t clone_into_namespaces(int flags) {
    return static_cast<pid_t>(syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, 0));
}

Error clone_error(const LaunchPlan& plan, int err) {
    Error e = Error::from_errno("create namespaces", err);
    if (plan.new_user_ns && (err == EPERM || err == ENOSPC || err == EACCES))
        return std::move(e).with_hint(
            "unprivileged user namespaces look disabled here (see sysctls "
            "kernel.unprivileged_userns_clone, user.max_user_namespaces and "
            "kernel.apparmor_restrict_unprivileged_userns)");
    if (!plan.new_user_ns && err == EPERM)
        return std::move(e).with_hint(
            "without a user namespace only root may create namespaces; use user = \"auto\"");
    return e;
}

// Waits for the command; passes signals on; kills the whole tree at the deadline.
int supervise(const LaunchPlan& plan, pid_t child) {
    using Clock = std::chrono::steady_clock;
    const uint32_t limit = plan.spec.sandbox.timeout_seconds;
    const auto deadline = Clock::now() + std::chrono::seconds(limit);
    const sigset_t waited = supervised_signals();
    for (;;) {
        siginfo_t info;
        int sig;
        if (limit == 0) {
            sig = sigwaitinfo(&waited, &info);
        } else {
            auto left = std::max(Clock::duration::zero(), deadline - Clock::now());
            auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
            timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
            sig = sigtimedwait(&waited, &info, &ts);
        }
        if (sig < 0) {
            if (errno != EAGAIN) continue;  // EINTR
            kill_and_reap_all(child);
            print_error(Error::of("command timed out after " + std::to_string(limit) +
                                  "s; killed it and everything it started"));
            return kExitTimeout;
        }
        if (sig != SIGCHLD) {
            if (sent_by_a_process(info)) kill(child, sig);  // our unreaped child: pid is ours
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == child) return exit_code_of(status);
        }
    }
}

}  // namespace

int launch_and_supervise(const LaunchPlan& plan) {
    // Signals are blocked before the child exists so none is lost; the child restores the mask.
    sigset_t original_mask;
    const sigset_t waited = supervised_signals();
    sigprocmask(SIG_BLOCK, &waited, &original_mask);

    // Orphans of the command come back to us, so a timeout can kill every descendant.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (plan.spec.sandbox.die_with_parent) {
        pid_t parent = getppid();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {  // the caller died before the death signal was armed
            print_error(Error::of("die with parent: ipcbox's parent is already gone"));
            return kExitSetupFailed;
        }
    }

    int sockets[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0) {
        print_error(Error::from_errno("socketpair", errno));
        return kExitSetupFailed;
    }
    pid_t child = clone_into_namespaces(plan.clone_flags);
    if (child < 0) {
        print_error(clone_error(plan, errno));
        return kExitSetupFailed;
    }
    if (child == 0) {
        close(sockets[0]);
        run_sandbox_child(plan, sockets[1], original_mask);
    }
    close(sockets[1]);
    SetupReport report = receive_setup_report(sockets[0]);
    close(sockets[0]);
    if (report.failure) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        print_error(report.failure->error);
        return report.failure->exit_code;
    }
    const int command_exit_code = supervise(plan, child);
    if (!leak_check_wanted(plan.spec)) return command_exit_code;
    // The child sent handles on its namespaces before exec: the objects outlive the command until
    // the report is taken, and die when finish_leak_check() closes them.
    return finish_leak_check(plan.spec, std::move(report.snapshot), command_exit_code);
}

}  // namespace ipcbox::launcher
