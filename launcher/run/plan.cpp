#include "launcher/run/plan.hpp"

#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "base/text.hpp"
#include "config/load.hpp"
#include "launcher/run/clone_error.hpp"

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
    m.dev_shm_size = spec.dev_shm.size_bytes.value_or(ns::dev_shm_size_here());
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

// The setup runs as uid 0 of the sandbox's user namespace (the one id it maps, to the caller) and
// the command as N of the nested one, mapped onto that 0: an owner the spec names, as seen
// inside, must be N, and is created as the setup's 0.
Status translate_owners(config::Objects& objects, const ns::IdMapping& nested) {
    auto fix = [&](auto& items, config::IpcKind kind) -> Status {
        for (size_t i = 0; i < items.size(); ++i) {
            config::Access& a = items[i].access;
            const std::string what =
                std::string(config::kind_name(kind)) + "[" + std::to_string(i) + "]";
            auto unmapped = [&](const char* what_id, uint32_t id, uint32_t only) {
                return Error::of(items[i].origin.str() + ": " + what + ": " + what_id + " " +
                                 std::to_string(id) +
                                 " is not mapped in the sandbox's user namespace, which maps "
                                 "only the command's " +
                                 (what_id[0] == 'o' ? "uid " : "gid ") + std::to_string(only));
            };
            if (a.owner && *a.owner != nested.inside_uid)
                return unmapped("owner", *a.owner, nested.inside_uid);
            if (a.group && *a.group != nested.inside_gid)
                return unmapped("group", *a.group, nested.inside_gid);
            if (a.owner) a.owner = nested.outside_uid;
            if (a.group) a.group = nested.outside_gid;
        }
        return {};
    };
    if (Status s = fix(objects.sysv_queues, config::IpcKind::SysvQueue); !s) return s;
    if (Status s = fix(objects.sysv_semaphores, config::IpcKind::SysvSemaphore); !s) return s;
    return fix(objects.sysv_shms, config::IpcKind::SysvShm);
}

// Decides the user namespaces: the sandbox's (rootless, or user = "new") and the command's
// nested one when its ids or kept capabilities need it.
Status plan_users(const config::Sandbox& sb, LaunchPlan& plan) {
    const uid_t caller_uid = geteuid();
    const gid_t caller_gid = getegid();
    plan.kept_capabilities = capability_mask(sb.capabilities);
    const bool other_ids = sb.uid != 0 || sb.gid != 0;
    // Joining a domain with a user namespace of its own, the setup is that namespace's root.
    const bool in_user_ns = plan.namespaces.user || (plan.domain && plan.domain->user_namespace);
    if (in_user_ns) {
        plan.ids = {sb.uid, sb.gid, caller_uid, caller_gid};
        if (!other_ids && sb.capabilities.empty()) return {};
        // The setup is root of the sandbox's user namespace; the command is nested below it.
        plan.ids = {0, 0, caller_uid, caller_gid};
        plan.nested = NestedUser{.ids = {sb.uid, sb.gid, 0, 0}};
        if (Status s = translate_owners(plan.objects, plan.nested->ids); !s) return s;
    } else {
        // Root without a user namespace runs the command as --uid/--gid: the objects it finds
        // are its own unless the spec says otherwise.
        if (caller_uid == 0 && (sb.uid != caller_uid || sb.gid != caller_gid)) {
            plan.become = ns::Identity{sb.uid, sb.gid};
            plan.preseed.owner = sb.uid;
            plan.preseed.group = sb.gid;
        }
        // Kept capabilities as root: a user namespace of the command's own, mapping its host ids
        // onto themselves.
        if (!sb.capabilities.empty())
            plan.nested = NestedUser{.ids = {sb.uid, sb.gid, sb.uid, sb.gid}};
    }
    // Host uid 0: root's command without --uid and a user namespace, or any uid in a user
    // namespace made by root (it maps the one id, root's).
    plan.mounts.command_is_host_root = caller_uid == 0 && (in_user_ns || sb.uid == 0);
    if (plan.nested) {
        plan.nested->mount = plan.namespaces.mount;
        plan.nested->net = plan.namespaces.net;
        plan.namespaces.net_in_nested_user = plan.namespaces.net;
    }
    return {};
}

}  // namespace

uint64_t capability_mask(const std::vector<config::Capability>& caps) {
    uint64_t mask = 0;
    for (config::Capability cap : caps) mask |= uint64_t{1} << static_cast<unsigned>(cap);
    return mask;
}

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
    if (net && !net_in_nested_user) flags |= CLONE_NEWNET;
    if (uts) flags |= CLONE_NEWUTS;
    return flags;
}

namespace {

// `run --domain`: the domain made the IPC namespace, its limits, objects and /dev/shm; the command
// gets a copy of the domain's mount namespace, and a pid, net or uts namespace of its own on
// request.
Status plan_join(const config::Spec& spec, LaunchPlan& plan) {
    auto refuse = [&](const std::string& what) {
        return Error::of("--domain " + printable(plan.domain->name) + ": " + what)
            .with_hint("the domain's own spec sets them, at 'ipcbox domain create'");
    };
    if (!spec.sysctls.empty()) return refuse("a spec for a command in a domain has no [sysctl]");
    if (spec.objects.any()) return refuse("a spec for a command in a domain preseeds no objects");
    if (spec.dev_shm.mode == config::DevShmMode::Host)
        return refuse("the domain's /dev/shm is the command's; dev_shm = \"host\" is refused");
    if (!spec.sandbox.mount)
        return Error::of("--domain " + printable(plan.domain->name) +
                         ": a command in a domain needs a mount namespace (its /dev/shm is there)");
    plan.namespaces.user = false;
    if (plan.mounts.dev_shm == ns::ShmMount::Fresh) plan.mounts.dev_shm = ns::ShmMount::Inherit;
    return {};
}

}  // namespace

Result<LaunchPlan> make_plan(config::Spec spec, bool verbose, std::optional<JoinedDomain> domain) {
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
        .user =
            sb.user == config::UserMode::New ||
            (sb.user == config::UserMode::Auto && (geteuid() != 0 || !effective_cap_sys_admin())),
        .mount = sb.mount,
        .pid = sb.pid,
        .net = sb.net,
        .uts = !sb.hostname.empty(),
    };
    plan.mounts = plan_mounts(spec);
    plan.domain = std::move(domain);
    if (plan.domain)
        if (Status s = plan_join(spec, plan); !s) return std::move(s).error();
    // validate() has checked an explicit dev_shm.size; the default is known only now.
    if (!plan.domain && !spec.dev_shm.size_bytes && plan.mounts.dev_shm == ns::ShmMount::Fresh &&
        plan.mounts.dev_shm_size)
        if (Status s = config::check_posix_shm_room(
                spec.objects, plan.mounts.dev_shm_size,
                "the size of the host's /dev/shm, " + std::to_string(plan.mounts.dev_shm_size) +
                    " bytes, the default; set dev_shm.size to change it");
            !s)
            return std::move(s).error();
    plan.hostname = sb.hostname;
    plan.sysctls = std::move(spec.sysctls);
    plan.objects = std::move(spec.objects);
    plan.preseed = {.dev_shm = spec.dev_shm.mode};
    if (Status s = plan_users(sb, plan); !s) return std::move(s).error();
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
