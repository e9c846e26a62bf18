#include "launcher/process.hpp"

#include <sys/wait.h>
#include <unistd.h>

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
