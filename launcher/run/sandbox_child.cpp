#include "launcher/run/sandbox_child.hpp"

#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>

#include "ipc/preseed/preseed.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/leaks/check.hpp"
#include "launcher/process.hpp"
#include "launcher/run/init_reaper.hpp"
#include "ns/capabilities.hpp"
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
    Steps(const LaunchPlan& plan, const Channel& channel) : plan_(plan), channel_(channel) {}

    // Runs one step; on failure reports it to the supervisor and exits.
    void run(const char* name, Status status) {
        if (plan_.verbose && status) std::fprintf(stderr, "ipcbox: [setup] %s: ok\n", name);
        if (!status) fail(kExitSetupFailed, std::move(status).error());
    }
    [[noreturn]] void fail(int exit_code, Error error) {
        channel_.send_failure({exit_code, std::move(error)});
        _exit(exit_code);
    }

  private:
    const LaunchPlan& plan_;
    const Channel& channel_;
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

Status preseed(const LaunchPlan& plan) {
    auto counts = ipc::preseed(plan.objects, plan.preseed);
    if (!counts) return std::move(counts).error();
    return {};
}

// The command's own user namespace, below the setup's: after this, what the setup made (the IPC
// namespace, its sysctls, the mounts, now locked) belongs to a namespace where the command holds
// nothing, whatever capabilities it keeps here.
void enter_command_user_namespace(const LaunchPlan& plan, Steps& steps) {
    const NestedUser& nested = *plan.nested;
    // Root running the command as --uid/--gid takes those ids first: the nested namespace then
    // maps them onto themselves.
    if (plan.become) {
        steps.run("become", ns::become(*plan.become));
        // The uid change made this process undumpable, which leaves its /proc/self files to root:
        // it could not write its own maps. Its new uid may look at it now; it has nothing left
        // that uid lacks, and exec resets the flag.
        if (prctl(PR_SET_DUMPABLE, 1) != 0)
            steps.fail(kExitSetupFailed, Error::from_errno("prctl PR_SET_DUMPABLE", errno));
    }
    const int flags = (nested.mount ? CLONE_NEWNS : 0) | (nested.net ? CLONE_NEWNET : 0);
    steps.run("nested user namespace", ns::enter_nested_user_namespace(nested.ids, flags));
    if (nested.net) steps.run("loopback", ns::bring_up_loopback());
    steps.run("drop privileges", ns::drop_privileges(std::nullopt, plan.kept_capabilities));
}

[[noreturn]] void exec_command(const Command& command, Steps& steps) {
    std::vector<char*> argv;
    for (const auto& arg : command.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(command.path.c_str(), argv.data());
    int err = errno;
    steps.fail(err == ENOENT || err == ENOTDIR ? kExitNotFound : kExitNotExecutable,
               Error::from_errno("exec " + command.path, err));
}

}  // namespace

// The order of the privileged steps is fixed:
//  1. id maps first: until they exist the child has no usable uid and cannot mount or write
//  sysctls;
//  2. mount propagation private before any mount, so nothing reaches the host;
//  3. /dev/shm and mqueue mounts, then the sandbox.tmpfs mounts (after mqueue, so one over a
//  directory holding an mqueue mount hides it rather than losing its mount point), then /proc
//  (needs the new pid namespace, entered at clone);
//  4. sysctls before preseeding, because limits and *_next_id shape the objects created; the
//  leak snapshot right after preseeding, so it holds exactly the preseeded objects; then
//  /proc/sys (and, for a command that is host root, /sys and /proc/sysrq-trigger) read-only;
//  5. with a non-zero inside uid or kept capabilities, a user namespace of the command's own
//  nested in the setup's (after the pid-1 fork, so init stays the setup's): the setup needed to be
//  root of the sandbox's namespace to write sysctls, and kept capabilities must reach only
//  namespaces made for the command; then every capability not kept is dropped, so the command can
//  neither undo the mounts nor leave the namespaces (nor map uid 0 into a user namespace of its
//  own: that needs CAP_SETFCAP);
//  6. NO_NEW_PRIVS, then the Landlock scopes (an unprivileged process may restrict itself only
//  with NO_NEW_PRIVS; after the fork of pid 1, so only the command is confined), then seccomp (an
//  unprivileged filter needs NO_NEW_PRIVS too) last, so preseeding itself is never filtered; then
//  execve.
void set_up_sandbox(const LaunchPlan& plan, const Channel& channel) {
    Steps steps(plan, channel);
    if (plan.die_with_parent) steps.run("die with parent", die_with_parent());
    if (plan.namespaces.user) steps.run("user namespace id maps", ns::write_id_maps(plan.ids));
    if (plan.namespaces.mount) {
        steps.run("mount propagation", ns::make_mounts_private());
        steps.run("/dev/shm", ns::mount_dev_shm(plan.mounts));
        steps.run("mqueue mounts", ns::cover_mqueue_mounts(plan.mounts));
        if (!plan.mounts.tmpfs.empty()) steps.run("tmpfs mounts", ns::mount_tmpfs(plan.mounts));
        if (plan.namespaces.pid) steps.run("/proc", ns::mount_fresh_proc());
    }
    if (plan.namespaces.net && !plan.namespaces.net_in_nested_user)
        steps.run("loopback", ns::bring_up_loopback());
    if (plan.namespaces.uts) steps.run("hostname", ns::set_hostname(plan.hostname));
    if (!plan.sysctls.empty()) steps.run("sysctls", ns::apply_sysctls(plan.sysctls));
    if (plan.objects.any()) steps.run("preseed", preseed(plan));
    if (plan.keeps_namespace_handles())
        steps.run("namespace handles", send_sandbox_handles(channel, plan.takes_snapshot()));
    // Last of the setup's writes to /proc/sys done (sysctls, *_next_id for preseeding, and the
    // snapshot's pause of kernel.shm_rmid_forced).
    if (plan.namespaces.mount)
        steps.run("read-only kernel knobs", ns::make_kernel_knobs_read_only(plan.mounts));
}

void run_sandbox_child(const LaunchPlan& plan, const Command& command, const Channel& channel,
                       const Channel* init_report, const sigset_t& original_mask) {
    set_up_sandbox(plan, channel);
    Steps steps(plan, channel);

    // In a new pid namespace this process is pid 1: it stays behind to reap orphans and pass
    // signals on, and a child of its own becomes the command.
    if (plan.namespaces.pid) {
        pid_t command = fork();
        if (command < 0) steps.fail(kExitSetupFailed, Error::from_errno("fork", errno));
        if (command > 0) _exit(run_init_reaper(command, *init_report));
    }

    steps.run("signals", restore_signals(original_mask));
    steps.run("close inherited fds", close_fds_on_exec());
    if (plan.nested) {
        enter_command_user_namespace(plan, steps);
    } else {
        steps.run("drop privileges", ns::drop_privileges(plan.become));
    }
    // Changing the uid cleared the parent-death signal: arm it again.
    if (plan.die_with_parent && plan.become) steps.run("die with parent", die_with_parent());
    steps.run("no new privileges", seccomp::set_no_new_privs());
    if (plan.landlock.any()) steps.run("landlock scopes", seccomp::restrict_scopes(plan.landlock));
    steps.run("seccomp", seccomp::load_filter(plan.seccomp));
    exec_command(command, steps);
}

}  // namespace ipcbox::launcher
