// `ipcbox domain create NAME`: a keeper process in new IPC, mount (and, rootless, user)
// namespaces, set up as `run` sets up a sandbox, kept until `domain rm`.
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <ctime>

#include "base/text.hpp"
#include "config/capabilities.hpp"
#include "launcher/channel.hpp"
#include "launcher/domain/commands.hpp"
#include "launcher/domain/keeper.hpp"
#include "launcher/domain/store.hpp"
#include "launcher/run/clone_error.hpp"
#include "launcher/run/plan.hpp"
#include "launcher/run/sandbox_child.hpp"
#include "launcher/target.hpp"

namespace ipcbox::launcher::domain {
namespace {

// What a domain is made of: its IPC namespace, limits, objects and /dev/shm. How each command in it
// runs is the command's own choice, at `run --domain`.
Status check_domain_spec(const config::Spec& spec) {
    const config::Sandbox& sb = spec.sandbox;
    const char* per_command = nullptr;
    if (!spec.block.kinds.empty())
        per_command = "[block]";
    else if (sb.pid)
        per_command = "sandbox.pid";
    else if (sb.net)
        per_command = "sandbox.net";
    else if (!sb.hostname.empty())
        per_command = "sandbox.hostname";
    else if (sb.timeout_seconds)
        per_command = "sandbox.timeout";
    else if (!sb.scopes.empty())
        per_command = "sandbox.scope";
    else if (!sb.tmpfs.empty())
        per_command = "sandbox.tmpfs";
    else if (sb.uid || sb.gid)
        per_command = "sandbox.uid/gid";
    if (per_command)
        return Error::of(std::string("domain create: ") + per_command +
                         " is a setting of each command, not of a domain")
            .with_hint("give it to 'ipcbox run --domain NAME'");
    if (!sb.mount) return Error::of("domain create: a domain needs a mount namespace (/dev/shm)");
    if (spec.dev_shm.mode == config::DevShmMode::Host)
        return Error::of(
            "domain create: a domain has a /dev/shm of its own; dev_shm = \"host\" "
            "is refused");
    return {};
}

// The keeper, set up, waiting for `create` to record it. Until then it dies with `create`
// (parent-death signal, and end of file on the channel), so a `create` killed half-way leaves no
// keeper that no record names.
class Started {
  public:
    Started(pid_t keeper, Channel channel, Payload handles)
        : keeper(keeper), handles(std::move(handles)), channel_(std::move(channel)) {}

    // Tells the keeper it is recorded; it then stops dying with `create` and says so.
    Status confirm() {
        if (Status s = channel_.send("keep"); !s) return s;
        auto ack = channel_.receive();
        if (!ack) return std::move(ack).error();
        if (!*ack || (*ack)->failure) return Error::of("the keeper ended before it was recorded");
        return {};
    }
    void abandon() {
        kill(keeper, SIGKILL);  // our own child, not yet reaped
        waitpid(keeper, nullptr, 0);
    }

    pid_t keeper;
    Payload handles;

  private:
    Channel channel_;
};

// In the keeper: waits for `create` to record it, stops dying with it, says so, then keeps.
[[noreturn]] void await_record_then_keep(const Channel& channel) {
    auto go = channel.receive();
    if (!go || !*go) _exit(kExitSetupFailed);  // `create` is gone: nothing names this keeper
    if (prctl(PR_SET_PDEATHSIG, 0) != 0 || !channel.send("kept")) _exit(kExitSetupFailed);
    keep();
}

// Clones the keeper, which sets the domain up; returns once it has sent its namespace handles.
Result<Started> start_keeper(const LaunchPlan& plan) {
    auto channel = Channel::make();
    if (!channel) return std::move(channel).error();
    auto& [parent_end, child_end] = *channel;
    const pid_t keeper = static_cast<pid_t>(
        syscall(SYS_clone, plan.namespaces.clone_flags() | SIGCHLD, nullptr, nullptr, nullptr, 0));
    if (keeper < 0) return clone_error(errno, clone_caller(plan.namespaces.user));
    if (keeper == 0) {
        parent_end.close();
        set_up_sandbox(plan, child_end);
        await_record_then_keep(child_end);
    }
    child_end.close();
    auto message = parent_end.receive();
    if (!message || !*message || (*message)->failure) {
        if (!message || !*message) kill(keeper, SIGKILL);  // our own child, not yet reaped
        waitpid(keeper, nullptr, 0);
        if (!message) return std::move(message).error();
        if (!*message) return Error::of("the keeper ended during setup");
        return std::move((*message)->failure->error);
    }
    Started started(keeper, std::move(parent_end), std::move((*message)->payload));
    if (started.handles.fds.size() != 3) {
        started.abandon();
        return Error::of("the keeper sent no handles on its namespaces");
    }
    return started;
}

Result<State> create(const std::string& name, LaunchPlan& plan, const std::string& domain_dir) {
    // Root's domain /dev/shm is a tmpfs on the host too, which containers can bind (a mount in
    // the keeper's namespace cannot be bound from the host's); the keeper binds it on /dev/shm.
    if (geteuid() == 0 && plan.mounts.dev_shm == ns::ShmMount::Fresh) {
        const std::string shm = domain_dir + "/shm";
        if (mkdir(shm.c_str(), 0700) != 0)
            return Error::from_errno("mkdir " + printable(shm), errno);
        if (Status s = ns::mount_shm_tmpfs(shm, plan.mounts.dev_shm_size); !s)
            return std::move(s).error();
        // Its own: what later happens to it does not propagate to the host's other mounts.
        if (mount(nullptr, shm.c_str(), nullptr, MS_PRIVATE, nullptr) != 0)
            return Error::from_errno("mount: make " + printable(shm) + " private", errno);
        plan.mounts.dev_shm_source = shm;
    }
    auto started = start_keeper(plan);
    if (!started) return std::move(started).error();
    State state;
    state.name = name;
    state.owner = geteuid();
    state.keeper = started->keeper;
    auto since = start_time_of(started->keeper);
    if (!since) return std::move(since).error();
    state.keeper_start = *since;
    state.ipc_ns = inode_of(started->handles.fds[1].get());
    state.created = static_cast<int64_t>(std::time(nullptr));
    state.user_namespace = plan.namespaces.user;
    state.shm_dir = plan.mounts.dev_shm_source;
    for (unsigned cap = 0; cap < 64; ++cap)
        if (plan.kept_capabilities & (uint64_t{1} << cap))
            state.capabilities.push_back(
                config::capability_name(static_cast<config::Capability>(cap)));
    state.preseeded = std::move(started->handles.bytes);
    if (Status s = write_state(domain_dir, state); !s) {
        started->abandon();
        return std::move(s).error();
    }
    if (Status s = started->confirm(); !s) {
        started->abandon();
        return std::move(s).error();
    }
    return state;
}

}  // namespace

Outcome create_command(const std::string& name, const RunOptions& options) {
    if (Status s = check_name(name); !s)
        return Outcome::with(kExitSetupFailed, std::move(s).error());
    auto spec = resolve_spec(options);
    if (!spec) return Outcome::with(kExitSetupFailed, std::move(spec).error());
    if (Status s = check_domain_spec(*spec); !s)
        return Outcome::with(kExitSetupFailed, std::move(s).error());
    auto planned = make_plan(std::move(spec).value(), options.verbose);
    if (!planned) return Outcome::with(kExitSetupFailed, std::move(planned).error());
    LaunchPlan plan = std::move(planned).value();
    plan.domain_keeper = true;
    // The keeper dies with `create` until it is recorded (await_record_then_keep), not after.
    plan.die_with_parent = true;

    auto dir = domains_dir(true);
    if (!dir) return Outcome::with(kExitSetupFailed, std::move(dir).error());
    const std::string domain_dir = *dir + "/" + name;
    // The directory is the lock: of two `create` of one name, one makes it.
    if (mkdir(domain_dir.c_str(), 0700) != 0) {
        const int err = errno;
        if (err != EEXIST)
            return Outcome::with(kExitSetupFailed,
                                 Error::from_errno("mkdir " + printable(domain_dir), err));
        Error exists = Error::of("domain '" + printable(name) + "' exists");
        if (auto state = read_state(domain_dir); state && !open_keeper(*state))
            exists = std::move(exists).with_hint("its keeper is gone; 'ipcbox domain rm " +
                                                 printable(name) + "' cleans it up");
        return Outcome::with(kExitSetupFailed, std::move(exists));
    }
    auto state = create(name, plan, domain_dir);
    if (!state) {
        remove_record(domain_dir);
        return Outcome::with(kExitSetupFailed, std::move(state).error().with_context(
                                                   "domain create " + printable(name)));
    }
    if (options.verbose)
        std::fprintf(stderr, "ipcbox: [domain] %s: keeper pid %d\n", printable(name).c_str(),
                     state->keeper);
    return Outcome::ok();
}

}  // namespace ipcbox::launcher::domain
