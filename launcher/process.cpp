#include "launcher/process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

namespace ipcbox::launcher {
namespace {

std::vector<pid_t> own_children() {
    std::vector<pid_t> pids;
    const auto self = std::to_string(getpid());
    std::ifstream in("/proc/" + self + "/task/" + self + "/children");
    pid_t pid;
    while (in >> pid) pids.push_back(pid);
    return pids;
}

}  // namespace

sigset_t supervised_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kForwardedSignals) sigaddset(&set, sig);
    sigaddset(&set, SIGCHLD);
    return set;
}

bool sent_by_a_process(const siginfo_t& info) {
    return info.si_code <= 0;
}

int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 128;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

std::optional<int> wait_forwarding_signals(
    pid_t child, std::optional<std::chrono::steady_clock::time_point> deadline) {
    using Clock = std::chrono::steady_clock;
    const sigset_t waited = supervised_signals();
    for (;;) {
        siginfo_t info;
        int sig;
        if (!deadline) {
            sig = sigwaitinfo(&waited, &info);
        } else {
            const auto left = std::max(Clock::duration::zero(), *deadline - Clock::now());
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
            const timespec ts{static_cast<time_t>(ns / 1000000000),
                              static_cast<long>(ns % 1000000000)};
            sig = sigtimedwait(&waited, &info, &ts);
        }
        if (sig < 0) {
            if (errno == EAGAIN) return std::nullopt;  // the deadline passed
            continue;                                  // EINTR
        }
        if (sig != SIGCHLD) {
            if (sent_by_a_process(info)) kill(child, sig);  // our unreaped child: pid is ours
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
            if (pid == child) return status;
    }
}

int kill_and_reap_all(pid_t first) {
    int first_status = 0;
    kill(first, SIGKILL);
    for (;;) {
        for (pid_t child : own_children()) kill(child, SIGKILL);
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            return first_status;  // ECHILD: nothing of ours is left
        }
        if (pid == first) first_status = status;
    }
}

}  // namespace ipcbox::launcher
