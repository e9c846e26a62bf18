// `ipcbox domain rm NAME`: ends every process still inside, reports what objects were left
// against the preseeded state, and ends the keeper, which takes the namespaces with it.
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include "base/text.hpp"
#include "launcher/domain/commands.hpp"
#include "launcher/domain/keeper.hpp"
#include "launcher/domain/store.hpp"
#include "launcher/leaks/check.hpp"
#include "launcher/run/release_queues.hpp"

namespace ipcbox::launcher::domain {
namespace {

// The keeper is not our child: its pidfd becomes readable when it has ended.
Status end_keeper(const ns::TargetNamespaces& keeper) {
    if (syscall(SYS_pidfd_send_signal, keeper.pidfd.get(), SIGKILL, nullptr, 0) != 0 &&
        errno != ESRCH)
        return Error::from_errno("kill the keeper (pid " + std::to_string(keeper.pid) + ")", errno);
    pollfd p{keeper.pidfd.get(), POLLIN, 0};
    if (poll(&p, 1, 10000) != 1)
        return Error::of("the keeper (pid " + std::to_string(keeper.pid) + ") did not end");
    return {};
}

}  // namespace

Outcome remove_command(const std::string& name, const RemoveOptions& options) {
    if (Status s = check_name(name); !s)
        return Outcome::with(kExitSetupFailed, std::move(s).error());
    auto dir = domains_dir(false);
    const std::string domain_dir = dir ? *dir + "/" + name : "";
    if (!dir || access(domain_dir.c_str(), F_OK) != 0)
        return Outcome::with(kExitSetupFailed, no_such_domain(name));
    auto state = read_state(domain_dir);
    if (!state) {
        // A create that failed half-way, or one still under way: only the record is left.
        remove_record(domain_dir);
        return Outcome::ok();
    }
    auto keeper = open_keeper(*state);
    if (!keeper) {
        remove_record(domain_dir);
        Outcome outcome;
        outcome.messages.push_back(Error::of("domain '" + printable(name) +
                                             "': its keeper was already gone; removed its record"));
        if (options.leaks.fail) outcome.exit_code = kExitSetupFailed;
        return outcome;
    }
    std::vector<EndedProcess> ended =
        end_processes_inside(*state, std::chrono::seconds(options.grace_seconds));
    Outcome outcome;
    if (options.leaks.wanted()) {
        LaunchPlan plan;  // what the leak check reads of a plan: where the report goes
        plan.leaks = options.leaks;
        plan.namespaces.mount = true;
        outcome = finish_leak_check(plan, state->preseeded, &*keeper, 0, std::move(ended));
    }
    // Unlinked now, their memory is no longer charged to the user (RLIMIT_MSGQUEUE).
    (void)release_posix_queues(*keeper);
    if (Status s = end_keeper(*keeper); !s)
        return Outcome::with(kExitSetupFailed,
                             std::move(s).error().with_context("domain rm " + printable(name)));
    remove_record(domain_dir);
    return outcome;
}

}  // namespace ipcbox::launcher::domain
