#include "launcher/run/plan.hpp"

#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace ipcbox::launcher {
namespace {

bool blocks(const config::Block& block, config::IpcKind kind) {
    return config::contains(block.kinds, kind);
}

// Is `path` a file we may execute? errno says why not: ENOENT when there is no such file (also
// when a directory on the way cannot be searched, as a shell treats it), EACCES when it exists.
bool executable(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
        errno = ENOENT;
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        errno = EACCES;
        return false;
    }
    return access(path.c_str(), X_OK) == 0;
}

ns::MountPlan plan_mounts(const config::Spec& spec) {
    using config::IpcKind;
    ns::MountPlan m;
    m.dev_shm_size = spec.dev_shm.size_bytes;
    switch (spec.dev_shm.mode) {
        case config::DevShmMode::Private:
            m.dev_shm = ns::ShmMount::Fresh;
            break;
        case config::DevShmMode::None:
            m.dev_shm = ns::ShmMount::Closed;
            break;
        case config::DevShmMode::Host:
            m.dev_shm = ns::ShmMount::Inherit;
            break;
    }
    // No syscall filter can tell shm_open/sem_open from any other open, so blocking either kind
    // takes /dev/shm away altogether (validation refuses a spec that also preseeds it).
    if (blocks(spec.block, IpcKind::PosixShm) || blocks(spec.block, IpcKind::PosixSemaphore))
        m.dev_shm = ns::ShmMount::Closed;
    m.mqueue_mounts = ns::find_mqueue_mounts();
    m.mqueue =
        blocks(spec.block, IpcKind::PosixQueue) ? ns::MqueueMount::Closed : ns::MqueueMount::Fresh;
    for (const config::Tmpfs& t : spec.sandbox.tmpfs)
        m.tmpfs.push_back({t.path, t.mode.value_or(config::default_tmpfs_mode(t.path)),
                           t.size_bytes.value_or(0)});
    return m;
}

}  // namespace

Result<std::string> resolve_command(const std::string& name, int* exit_code) {
    *exit_code = 127;
    if (name.empty()) return Error::of("the command is empty");
    if (name.find('/') != std::string::npos) {
        if (executable(name)) return name;
        int err = errno;
        if (err != ENOENT && err != ENOTDIR) *exit_code = 126;
        return Error::from_errno(name, err);
    }
    const char* env = std::getenv("PATH");
    std::string path = env && *env ? env : "/usr/local/bin:/usr/bin:/bin";
    int first_denied = 0;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string dir = path.substr(start, end - start);
        std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (executable(candidate)) return candidate;
        if (errno == EACCES && !first_denied) first_denied = EACCES;
        start = end + 1;
    }
    if (first_denied) {
        *exit_code = 126;
        return Error::from_errno(name, EACCES);
    }
    return Error::of(name + ": command not found");
}

int NamespaceSet::clone_flags() const {
    // The IPC namespace is the point of ipcbox: always new.
    int flags = CLONE_NEWIPC;
    if (user) flags |= CLONE_NEWUSER;
    if (mount) flags |= CLONE_NEWNS;
    if (pid) flags |= CLONE_NEWPID;
    if (net) flags |= CLONE_NEWNET;
    if (uts) flags |= CLONE_NEWUTS;
    return flags;
}

Result<LaunchPlan> make_plan(config::Spec spec, bool verbose) {
    // Compiled now, before any namespace exists, so a bad policy fails early.
    auto program = seccomp::compile_block_filter(spec.block);
    if (!program) return std::move(program).error().with_context("seccomp");
    // Likewise a scope this kernel cannot enforce.
    const seccomp::LandlockAbi abi = seccomp::query_landlock_abi();
    auto scopes = seccomp::plan_scopes(spec.sandbox.scopes, abi);
    if (!scopes) return std::move(scopes).error();

    const auto& sb = spec.sandbox;
    LaunchPlan plan;
    plan.namespaces = {
        .user = sb.user == config::UserMode::New ||
                (sb.user == config::UserMode::Auto && geteuid() != 0),
        .mount = sb.mount,
        .pid = sb.pid,
        .net = sb.net,
        .uts = !sb.hostname.empty(),
    };
    plan.ids = {sb.uid, sb.gid, geteuid(), getegid()};
    plan.mounts = plan_mounts(spec);
    plan.hostname = sb.hostname;
    plan.sysctls = std::move(spec.sysctls);
    plan.objects = std::move(spec.objects);
    plan.preseed = {.dev_shm = spec.dev_shm.mode};
    // Root without a user namespace runs the command as --uid/--gid: the objects it finds are its
    // own unless the spec says otherwise. (A non-root caller's ids cannot change without one.)
    if (!plan.namespaces.user && geteuid() == 0 && (sb.uid != geteuid() || sb.gid != getegid())) {
        plan.become = ns::Identity{sb.uid, sb.gid};
        plan.preseed.owner = sb.uid;
        plan.preseed.group = sb.gid;
    }
    plan.leaks = std::move(spec.leaks);
    plan.die_with_parent = sb.die_with_parent;
    plan.timeout_seconds = sb.timeout_seconds;
    plan.seccomp = std::move(program).value();
    plan.landlock_abi = abi;
    plan.landlock = *scopes;
    plan.verbose = verbose;
    return plan;
}

}  // namespace ipcbox::launcher
