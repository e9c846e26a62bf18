#include "launcher/run/supervisor.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include "base/text.hpp"
#include "launcher/channel.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/leaks/check.hpp"
#include "launcher/leaks/report.hpp"
#include "launcher/process.hpp"
#include "launcher/run/clone_error.hpp"
#include "launcher/run/domain_start.hpp"
#include "launcher/run/release_queues.hpp"
#include "launcher/run/sandbox_child.hpp"
#include "launcher/run/start_child.hpp"

namespace ipcbox::launcher {
namespace {

// What the sandbox child starts from. It only reads this: with a shared memory it is this
// process's.
struct ChildStart {
    const LaunchPlan& plan;
    const Command& command;
    const Channel& setup;        // the child's end
    const Channel* init_report;  // the child's end, with a pid namespace
    int parent_fds[2];           // this process's ends, closed in the child (-1: none)
    const sigset_t& original_mask;
    bool own_group;
};

[[noreturn]] void sandbox_child(void* start) {
    const ChildStart& s = *static_cast<const ChildStart*>(start);
    if (s.own_group) setpgid(0, 0);
    // By number, not through their owners: those may be the supervisor's own memory.
    for (int fd : s.parent_fds)
        if (fd >= 0) close(fd);
    run_sandbox_child(s.plan, s.command, s.setup, s.init_report, s.original_mask);
}

// The child may borrow this process's memory until it execs when this process has nothing to do
// before then: no pid namespace (whose init never execs) and no snapshot (the leak check's, sent
// before exec, may be larger than the socket holds unread).
bool child_may_share_memory(const LaunchPlan& plan) {
    return !plan.namespaces.pid && !plan.takes_snapshot();
}

// Is ipcbox in the foreground of a terminal (a shell's foreground job)? Then the command stays in
// ipcbox's process group, so the terminal treats both as the one job it is: the command may read
// the terminal, ^Z stops and `fg` resumes the whole job, and ^C (which the terminal sends to the
// whole group) reaches the command once, directly; only signals from a process are passed on.
// Anywhere else (a background job, a service, CI: no controlling terminal, or not its foreground)
// the command gets a process group of its own: a signal to ipcbox's group (`kill -INT -PGID`, a
// shell's `kill %1`, a service manager's stop) then reaches ipcbox alone, which passes it on once,
// with or without a pid namespace (whose init shares the command's group).
bool in_terminal_foreground() {
    const int tty = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (tty < 0) return false;  // no controlling terminal
    const bool foreground = tcgetpgrp(tty) == getpgrp();
    close(tty);
    return foreground;
}

struct Supervised {
    Outcome outcome;
    std::vector<EndedProcess> left;  // what the command left running, ended since
};

// What the sandbox's init ended once the command exited; nothing if it was killed before it said.
std::vector<EndedProcess> ended_by_init(const Channel& init_report) {
    auto message = init_report.receive();
    if (!message || !*message || (*message)->failure) return {};
    auto parsed = nlohmann::json::parse((*message)->payload.bytes, nullptr, false);
    return processes_from_json(parsed);
}

// Waits for the command, passing signals on, then ends everything it left running: without a pid
// namespace, its orphans are ours; with one, its init has ended them and says which. At the
// deadline the command is ended too, with everything it started.
Supervised supervise(const LaunchPlan& plan, pid_t child, Forwarding forwarding,
                     const std::vector<pid_t>& spared, const Channel* init_report) {
    using Clock = std::chrono::steady_clock;
    std::optional<Clock::time_point> deadline;
    if (plan.timeout_seconds) deadline = Clock::now() + std::chrono::seconds(plan.timeout_seconds);
    const auto status = wait_forwarding_signals(child, deadline, forwarding);
    Supervised s;
    s.left = end_all_children(status ? 0 : child, kEndGrace, spared);
    if (init_report) s.left = ended_by_init(*init_report);
    if (plan.verbose)
        for (const auto& p : s.left)
            std::fprintf(stderr, "ipcbox: [end] process %d (%s) left running: %s\n", p.pid,
                         printable(p.name).c_str(), how_it_ended(p).c_str());
    if (status) {
        s.outcome = {exit_code_of(*status), {}};
    } else {
        s.outcome =
            Outcome::with(kExitTimeout, Error::of("command timed out after " +
                                                  std::to_string(plan.timeout_seconds) +
                                                  "s; killed it and everything it started"));
    }
    return s;
}

}  // namespace

Outcome launch_and_supervise(const LaunchPlan& plan, const Command& command) {
    // Signals are blocked before the child exists so none is lost; the child restores the mask.
    sigset_t original_mask;
    const sigset_t waited = supervised_signals();
    sigprocmask(SIG_BLOCK, &waited, &original_mask);

    // Orphans of the command come back to us, so that nothing it started outlives the run (with a
    // pid namespace, they go to its init, which does the same inside).
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (plan.die_with_parent) {
        pid_t parent = getppid();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)  // the caller died before the death signal was armed
            return Outcome::with(kExitSetupFailed,
                                 Error::of("die with parent: ipcbox's parent is already gone"));
    }

    auto channel = Channel::make();
    if (!channel) return Outcome::with(kExitSetupFailed, std::move(channel).error());
    auto& [parent_end, child_end] = *channel;
    // With a pid namespace, the sandbox's init says on its own channel which processes it ended.
    std::optional<std::pair<Channel, Channel>> init_channel;
    if (plan.namespaces.pid) {
        auto made = Channel::make();
        if (!made) return Outcome::with(kExitSetupFailed, std::move(made).error());
        init_channel.emplace(std::move(made).value());
    }
    // Children this process already has (the probe's helper) are not the sandbox's.
    const std::vector<pid_t> spared = own_children();
    const bool own_group = !in_terminal_foreground();
    ChildStart start{plan,
                     command,
                     child_end,
                     init_channel ? &init_channel->second : nullptr,
                     {parent_end.fd(), init_channel ? init_channel->first.fd() : -1},
                     original_mask,
                     own_group};
    pid_t child;
    bool share_memory = false;
    if (plan.domain) {
        auto started = start_in_domain(*plan.domain, plan.namespaces.clone_flags() & ~CLONE_NEWIPC,
                                       child_end, [&]() { sandbox_child(&start); });
        if (!started) return Outcome::with(kExitSetupFailed, std::move(started).error());
        child = *started;
        if (own_group) setpgid(child, 0);
    } else {
        share_memory = child_may_share_memory(plan);
        child = start_child(plan.namespaces.clone_flags(), share_memory, sandbox_child, &start);
        if (child < 0) {
            const int err = errno;
            return Outcome::with(kExitSetupFailed,
                                 clone_error(err, clone_caller(plan.namespaces.user)));
        }
        // Both sides set the group, so it is in place whichever runs first (as shells do). A
        // child that borrowed the memory ran first and has exec'd: its group is set, and can no
        // longer be.
        if (own_group && !share_memory) setpgid(child, 0);
    }
    child_end.close();
    if (init_channel) init_channel->second.close();

    // Until the command runs, the child sends at most the namespace handles (with the leak
    // snapshot), then a failure or nothing: end of file means execve succeeded.
    Payload snapshot;
    for (;;) {
        auto message = parent_end.receive();
        if (message && !*message) break;  // the command runs
        if (message && !(*message)->failure) {
            snapshot = std::move((*message)->payload);
            continue;
        }
        // The child exits right after a failure; after a broken message it is ended (our own
        // unreaped child: the pid is ours). Other children of ours (probe's helper) are not.
        if (!message) kill(child, SIGKILL);
        wait_for(child);
        if (!message) return Outcome::with(kExitSetupFailed, std::move(message).error());
        return Outcome::of(std::move(*(*message)->failure));
    }
    parent_end.close();
    Supervised supervised =
        supervise(plan, child, own_group ? Forwarding::All : Forwarding::SentByAProcess, spared,
                  init_channel ? &init_channel->first : nullptr);
    Outcome& outcome = supervised.outcome;
    // The child sent handles on its namespaces before exec (user, ipc, mnt): the objects outlive
    // the command until the report is taken and the queues are released, and die when the
    // handles close here.
    std::optional<ns::TargetNamespaces> sandbox;
    if (snapshot.fds.size() == 3)
        if (auto adopted = ns::adopt_namespaces(
                std::move(snapshot.fds[0]), std::move(snapshot.fds[1]), std::move(snapshot.fds[2])))
            sandbox = std::move(adopted).value();
    if (plan.leaks.wanted()) {
        Outcome leaks = finish_leak_check(plan, snapshot.bytes, sandbox ? &*sandbox : nullptr,
                                          outcome.exit_code, std::move(supervised.left));
        outcome.exit_code = leaks.exit_code;
        for (Error& message : leaks.messages) outcome.messages.push_back(std::move(message));
    }
    // A domain's queues are the domain's: they stay for the next command.
    if (sandbox && !plan.domain)
        if (Status released = release_posix_queues(*sandbox); !released && plan.verbose)
            std::fprintf(stderr, "ipcbox: [end] %s\n", released.error().message.c_str());
    return std::move(outcome);
}

}  // namespace ipcbox::launcher
