#include "launcher/run/init_reaper.hpp"

#include <signal.h>
#include <sys/wait.h>

#include "launcher/process.hpp"

namespace ipcbox::launcher {
namespace {

void ignore(int) {}

}  // namespace

int run_init_reaper(pid_t command) {
    // pid 1 drops signals that have no handler; a handler makes sure forwarded ones arrive even
    // between two waits. They stay blocked and are taken by sigwaitinfo.
    struct sigaction action {};
    action.sa_handler = ignore;
    for (int sig : kForwardedSignals) sigaction(sig, &action, nullptr);
    sigaction(SIGCHLD, &action, nullptr);
    const sigset_t waited = supervised_signals();
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&waited, &info);
        if (sig < 0) continue;
        if (sig != SIGCHLD) {
            if (sent_by_a_process(info)) kill(command, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == command) return exit_code_of(status);
        }
    }
}

}  // namespace ipcbox::launcher
