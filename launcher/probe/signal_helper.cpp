#include "launcher/probe/signal_helper.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "launcher/channel.hpp"
#include "launcher/process.hpp"

namespace ipcbox::launcher::probe {
namespace {

constexpr int kReceived = 1;  // the helper's exit status when the cookie's signal arrived

sigset_t helper_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGTERM);
    return set;
}

[[noreturn]] void run_helper(int cookie, pid_t parent, const sigset_t& set,
                             const std::optional<ns::Identity>& as) {
    // It must not outlive the probe, nor keep any of the probe's descriptors open.
    if (as && !ns::become(*as)) _exit(1);
    // After the uid change, which clears the parent-death signal.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    int null_fd = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3 && null_fd >= 0; ++fd) dup2(null_fd, fd);
    close_range(3, ~0U, 0);
    bool received = false;
    for (;;) {
        siginfo_t info;
        const int sig = sigwaitinfo(&set, &info);
        // Standard signals come lowest number first, so a SIGUSR1 already queued is seen
        // before the SIGTERM that stops the helper.
        if (sig == SIGUSR1 && info.si_code == SI_QUEUE && info.si_value.sival_int == cookie)
            received = true;
        if (sig == SIGTERM) _exit(received ? kReceived : 0);
    }
}

}  // namespace

Result<SignalHelper> SignalHelper::start(int cookie, const std::optional<ns::Identity>& as) {
    // Blocked before the fork, so no signal can reach the helper before it waits for it.
    const sigset_t set = helper_signals();
    sigset_t old;
    sigprocmask(SIG_BLOCK, &set, &old);
    // The helper closes its end once it is ready (its uid changed): a command that signals it
    // earlier would be refused for the uid it still had.
    auto channel = Channel::make();
    if (!channel) {
        sigprocmask(SIG_SETMASK, &old, nullptr);
        return std::move(channel).error();
    }
    auto& [parent_end, helper_end] = *channel;
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        parent_end.close();
        run_helper(cookie, parent, set, as);  // closes helper_end with every other descriptor
    }
    const int fork_errno = errno;
    sigprocmask(SIG_SETMASK, &old, nullptr);
    if (pid < 0) return Error::from_errno("fork the signal helper", fork_errno);
    helper_end.close();
    (void)parent_end.receive();  // end of file: ready, or gone (the probe then measures that)
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        const int err = errno;
        kill(pid, SIGKILL);  // our own unreaped child
        wait_for(pid);
        return Error::from_errno("pidfd_open", err);
    }
    return SignalHelper(pid, pidfd);
}

SignalHelper::SignalHelper(SignalHelper&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)),
      received_(other.received_) {}

SignalHelper::~SignalHelper() {
    stop();
}

bool SignalHelper::stop() {
    if (pidfd_ < 0) return received_;
    // ESRCH: someone else reaped it (the run's supervisor reaps every child that exits while it
    // waits); then there is nothing left to stop and no answer.
    if (syscall(SYS_pidfd_send_signal, pidfd_, SIGTERM, nullptr, 0) == 0) {
        const int status = wait_for(pid_);
        received_ = WIFEXITED(status) && WEXITSTATUS(status) == kReceived;
    }
    close(pidfd_);
    pidfd_ = -1;
    return received_;
}

}  // namespace ipcbox::launcher::probe
