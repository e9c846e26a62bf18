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
    m.fresh_proc = spec.sandbox.pid;
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

Result<LaunchPlan> make_plan(config::Spec taken, std::vector<std::string> argv, bool verbose) {
    LaunchPlan plan;
    plan.spec = std::move(taken);
    const config::Spec& spec = plan.spec;
    plan.verbose = verbose;
    plan.argv = std::move(argv);
    const auto& sb = spec.sandbox;

    plan.new_user_ns =
        sb.user == config::UserMode::New || (sb.user == config::UserMode::Auto && geteuid() != 0);
    plan.ids = {sb.uid, sb.gid, geteuid(), getegid()};
    plan.new_mount_ns = sb.mount;
    plan.mounts = plan_mounts(spec);
    plan.new_pid_ns = sb.pid;
    plan.new_net_ns = sb.net;
    plan.new_uts_ns = !sb.hostname.empty();

    // The IPC namespace is the point of ipcbox: always new.
    plan.clone_flags = CLONE_NEWIPC;
    if (plan.new_user_ns) plan.clone_flags |= CLONE_NEWUSER;
    if (plan.new_mount_ns) plan.clone_flags |= CLONE_NEWNS;
    if (plan.new_pid_ns) plan.clone_flags |= CLONE_NEWPID;
    if (plan.new_net_ns) plan.clone_flags |= CLONE_NEWNET;
    if (plan.new_uts_ns) plan.clone_flags |= CLONE_NEWUTS;

    // Compiled now, before any namespace exists, so a bad policy fails early.
    auto program = seccomp::compile_block_filter(spec.block);
    if (!program) return std::move(program).error().with_context("seccomp");
    plan.seccomp = std::move(program).value();
    return plan;
}

}  // namespace ipcbox::launcher
