#include "launcher/run/sandbox_child.hpp"

#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>

#include "ipc/preseed/preseed.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/leaks/check.hpp"
#include "launcher/process.hpp"
#include "launcher/run/init_reaper.hpp"
#include "launcher/setup_report.hpp"
#include "ns/mount.hpp"
#include "ns/net.hpp"
#include "ns/sysctl.hpp"
#include "ns/user.hpp"
#include "ns/uts.hpp"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace ipcbox::launcher {
namespace {

class Steps {
  public:
    Steps(const LaunchPlan& plan, int report_fd) : plan_(plan), report_fd_(report_fd) {}

    // Runs one step; on failure reports it to the supervisor and exits.
    void run(const char* name, Status status) {
        if (plan_.verbose && status) std::fprintf(stderr, "ipcbox: [setup] %s: ok\n", name);
        if (!status) fail(kExitSetupFailed, std::move(status).error());
    }
    [[noreturn]] void fail(int exit_code, const Error& error) {
        send_setup_failure(report_fd_, exit_code, error);
        _exit(exit_code);
    }

  private:
    const LaunchPlan& plan_;
    int report_fd_;
};

Status die_with_parent() {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        return Error::from_errno("prctl PR_SET_PDEATHSIG", errno);
    return {};
}

Status restore_signals(const sigset_t& original_mask) {
    for (int sig : kForwardedSignals) signal(sig, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    if (sigprocmask(SIG_SETMASK, &original_mask, nullptr) != 0)
        return Error::from_errno("sigprocmask", errno);
    return {};
}

// Nothing ipcbox opened may reach the command: marking every fd above 2 close-on-exec keeps the
// report socket usable until the very execve, and closes it there.
Status close_fds_on_exec() {
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
        return Error::from_errno("close_range", errno);
    return {};
}

Status preseeded(const LaunchPlan& plan) {
    auto counts = ipc::preseed(plan.spec.objects, {.dev_shm = plan.spec.dev_shm.mode});
    if (!counts) return std::move(counts).error();
    return {};
}

[[noreturn]] void exec_command(const LaunchPlan& plan, Steps& steps) {
    std::vector<char*> argv;
    for (const auto& arg : plan.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(plan.command_path.c_str(), argv.data());
    int err = errno;
    steps.fail(err == ENOENT || err == ENOTDIR ? kExitNotFound : kExitNotExecutable,
               Error::from_errno("exec " + plan.command_path, err));
}

}  // namespace

// The order of the privileged steps is fixed:
//  1. id maps first: until they exist the child has no usable uid and cannot mount or write
//  sysctls;
//  2. mount propagation private before any mount, so nothing reaches the host;
//  3. /dev/shm and mqueue mounts, then /proc (needs the new pid namespace, entered at clone);
//  4. sysctls before preseeding, because limits and *_next_id shape the objects created; the leak
//  snapshot right after preseeding, so it holds exactly the preseeded objects;
//  5. NO_NEW_PRIVS and seccomp last, so preseeding itself is never filtered; then execve.
void run_sandbox_child(const LaunchPlan& plan, int report_fd, const sigset_t& original_mask) {
    Steps steps(plan, report_fd);
    if (plan.spec.sandbox.die_with_parent) steps.run("die with parent", die_with_parent());
    if (plan.new_user_ns) steps.run("user namespace id maps", ns::write_id_maps(plan.ids));
    if (plan.new_mount_ns) {
        steps.run("mount propagation", ns::make_mounts_private());
        steps.run("/dev/shm", ns::mount_dev_shm(plan.mounts));
        steps.run("mqueue mounts", ns::cover_mqueue_mounts(plan.mounts));
        if (plan.mounts.fresh_proc) steps.run("/proc", ns::mount_fresh_proc());
    }
    if (plan.new_net_ns) steps.run("loopback", ns::bring_up_loopback());
    if (plan.new_uts_ns) steps.run("hostname", ns::set_hostname(plan.spec.sandbox.hostname));
    if (!plan.spec.sysctls.empty()) steps.run("sysctls", ns::apply_sysctls(plan.spec.sysctls));
    if (plan.spec.objects.any()) steps.run("preseed", preseeded(plan));
    if (leak_check_wanted(plan.spec)) steps.run("leak snapshot", send_leak_snapshot(report_fd));

    // In a new pid namespace this process is pid 1: it stays behind to reap orphans and pass
    // signals on, and a child of its own becomes the command.
    if (plan.new_pid_ns) {
        pid_t command = fork();
        if (command < 0) steps.fail(kExitSetupFailed, Error::from_errno("fork", errno));
        if (command > 0) {
            // Only the command reports; pid 1 keeps no descriptor but stdio.
            close_range(3, ~0U, 0);
            _exit(run_init_reaper(command));
        }
    }

    steps.run("signals", restore_signals(original_mask));
    steps.run("close inherited fds", close_fds_on_exec());
    steps.run("seccomp", seccomp::load_filter(plan.seccomp));
    exec_command(plan, steps);
}

}  // namespace ipcbox::launcher
