#include "launcher/run/init_reaper.hpp"

#include <signal.h>
#include <unistd.h>

#include "launcher/leaks/report.hpp"
#include "launcher/process.hpp"

namespace ipcbox::launcher {
namespace {

void ignore(int) {}

}  // namespace

int run_init_reaper(pid_t command, const Channel& report) {
    // Only the command reports on the setup channel, so end of file there still means it exec'd.
    const unsigned kept = static_cast<unsigned>(report.fd());
    if (kept > 3) close_range(3, kept - 1, 0);
    close_range(kept + 1, ~0U, 0);
    // pid 1 drops signals that have no handler; a handler makes sure forwarded ones arrive even
    // between two waits. They stay blocked and are taken by sigwaitinfo.
    struct sigaction action {};
    action.sa_handler = ignore;
    for (int sig : kForwardedSignals) sigaction(sig, &action, nullptr);
    sigaction(SIGCHLD, &action, nullptr);
    // The command shares this process's group: what reached the group reached it too.
    const int exit_code =
        exit_code_of(*wait_forwarding_signals(command, std::nullopt, Forwarding::SentByAProcess));
    // Nobody to tell if this fails: the supervisor then lists no process.
    (void)report.send(processes_json(end_all_children(0, kEndGrace)).dump());
    return exit_code;
}

}  // namespace ipcbox::launcher
