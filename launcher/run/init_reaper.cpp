#include "launcher/run/init_reaper.hpp"

#include <signal.h>

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
    return exit_code_of(*wait_forwarding_signals(command, std::nullopt));
}

}  // namespace ipcbox::launcher
