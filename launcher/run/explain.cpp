#include "launcher/run/explain.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "base/text.hpp"
#include "launcher/leaks/check.hpp"
#include "launcher/run/escapes.hpp"
#include "launcher/run/mechanisms.hpp"

namespace ipcbox::launcher {
namespace {

using config::IpcKind;

std::string blocked_by_filter(const config::Block& block) {
    return std::string("seccomp: every syscall fails with ") +
           config::errno_name(block.errno_value);
}

// `by_id`: guessing the host object's id instead of looking its key up.
MechanismVerdict sysv(const config::Block& block, IpcKind kind, const char* name, bool by_id) {
    if (contains(block.kinds, kind)) return {name, Verdict::Blocked, blocked_by_filter(block)};
    std::string why = by_id ? "new IPC namespace: ids name its own objects" : "new IPC namespace";
    if (contains(block.create, kind)) why += "; creating new objects is refused by seccomp";
    return {name, Verdict::Isolated, why};
}

MechanismVerdict posix_queue_by_name(const config::Block& block) {
    const IpcKind kind = IpcKind::PosixQueue;
    const char* name = mechanism::kPosixQueue;
    if (contains(block.kinds, kind)) return {name, Verdict::Blocked, blocked_by_filter(block)};
    std::string why = "new IPC namespace (its own internal mqueue mount)";
    if (contains(block.create, kind)) why += "; mq_open with O_CREAT is refused by seccomp";
    return {name, Verdict::Isolated, why};
}

MechanismVerdict posix_queue_by_path(const LaunchPlan& plan) {
    const char* name = mechanism::kPosixQueuePath;
    const auto& points = plan.mounts.mqueue_mounts;
    if (points.empty())
        return {name, Verdict::NotApplicable, "no host mqueue mount: nothing to reach"};
    std::string where;
    for (const auto& p : points) where += (where.empty() ? "" : ", ") + p;
    if (!plan.namespaces.mount)
        return {name, Verdict::Shared,
                "no mount namespace: the host's mqueue mount at " + where + " is visible"};
    if (plan.mounts.mqueue == ns::MqueueMount::Closed)
        return {name, Verdict::Blocked, "an empty read-only tmpfs covers " + where};
    return {name, Verdict::Isolated, "a fresh mqueue mount covers " + where};
}

MechanismVerdict dev_shm(const LaunchPlan& plan, const char* name) {
    switch (plan.mounts.dev_shm) {
        case ns::ShmMount::Fresh:
            return {name, Verdict::Isolated, "private tmpfs on /dev/shm (mount namespace)"};
        case ns::ShmMount::Closed:
            return {
                name, Verdict::Blocked,
                "empty read-only /dev/shm: shm_open/sem_open fail with EROFS (no syscall filter "
                "can tell them from other opens)"};
        case ns::ShmMount::Inherit:
            if (plan.domain)
                return {name, Verdict::Isolated,
                        "the domain's private tmpfs on /dev/shm, shared with its commands only"};
            break;
    }
    return {name, Verdict::Shared,
            "the host's /dev/shm (dev_shm.mode = \"host\"): the IPC namespace does nothing for it"};
}

std::string tmpfs_paths(const LaunchPlan& plan) {
    std::string paths;
    for (const auto& t : plan.mounts.tmpfs)
        paths += (paths.empty() ? "" : ", ") + printable(t.path);
    return paths;
}

// FIFOs and path sockets are files: private where a fresh tmpfs covers their directory.
MechanismVerdict by_path(const LaunchPlan& plan, const char* name, const char* shared_why) {
    if (plan.namespaces.mount && !plan.mounts.tmpfs.empty())
        return {name, Verdict::Isolated,
                "under the private tmpfs at " + tmpfs_paths(plan) +
                    "; elsewhere the host's file system is visible"};
    return {name, Verdict::Shared, std::string(shared_why) + " (set sandbox.tmpfs)"};
}

MechanismVerdict abstract_socket(const LaunchPlan& plan) {
    const char* name = mechanism::kUnixSocketAbstract;
    if (plan.namespaces.net) return {name, Verdict::Isolated, "new network namespace"};
    if (plan.landlock.abstract_unix)
        return {name, Verdict::Blocked,
                "Landlock scope abstract-unix: connecting to sockets made outside the sandbox "
                "fails with EPERM"};
    return {name, Verdict::Shared,
            "the host's network namespace (set sandbox.net or sandbox.scope)"};
}

MechanismVerdict signals(const LaunchPlan& plan) {
    const char* name = mechanism::kSignal;
    if (plan.namespaces.pid)
        return {name, Verdict::Isolated, "new pid namespace and a fresh /proc"};
    if (plan.landlock.signal)
        return {name, Verdict::Blocked,
                "Landlock scope signal: signalling processes outside the sandbox fails with "
                "EPERM; pids stay the host's"};
    return {name, Verdict::Shared,
            "host pids are visible; same-uid processes can be signalled (set sandbox.pid or "
            "sandbox.scope)"};
}

std::string describe_tmpfs(const ns::TmpfsMount& t) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", t.mode);
    return printable(t.path) + " (mode " + mode + ", " +
           (t.size_bytes ? std::to_string(t.size_bytes) + " bytes" : std::string("default size")) +
           ")";
}

}  // namespace

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::Isolated:
            return "isolated";
        case Verdict::Shared:
            return "shared";
        case Verdict::Blocked:
            return "blocked";
        case Verdict::NotApplicable:
            return "n/a";
    }
    return "?";
}

std::vector<MechanismVerdict> predict_isolation(const config::Block& block,
                                                const LaunchPlan& plan) {
    namespace m = mechanism;
    std::vector<MechanismVerdict> rows;
    rows.push_back(sysv(block, IpcKind::SysvQueue, m::kSysvQueue, false));
    rows.push_back(sysv(block, IpcKind::SysvQueue, m::kSysvQueueId, true));
    rows.push_back(sysv(block, IpcKind::SysvSemaphore, m::kSysvSemaphore, false));
    rows.push_back(sysv(block, IpcKind::SysvSemaphore, m::kSysvSemaphoreId, true));
    rows.push_back(sysv(block, IpcKind::SysvShm, m::kSysvShm, false));
    rows.push_back(sysv(block, IpcKind::SysvShm, m::kSysvShmId, true));
    rows.push_back(posix_queue_by_name(block));
    rows.push_back(posix_queue_by_path(plan));
    rows.push_back(dev_shm(plan, m::kPosixShm));
    rows.push_back(dev_shm(plan, m::kPosixSemaphore));
    rows.push_back(by_path(plan, m::kFifo, "the host's file system is visible"));
    rows.push_back(by_path(plan, m::kUnixSocketPath,
                           "the host's file system is visible; path sockets ignore network "
                           "namespaces"));
    rows.push_back(abstract_socket(plan));
    rows.push_back(
        plan.namespaces.net
            ? MechanismVerdict{m::kTcpLoopback, Verdict::Isolated, "new network namespace"}
            : MechanismVerdict{m::kTcpLoopback, Verdict::Shared,
                               "the host's network namespace (set sandbox.net)"});
    rows.push_back(signals(plan));
    rows.push_back(
        {m::kInheritedFd, Verdict::Isolated, "every fd but 0, 1, 2 is closed before exec"});
    for (MechanismVerdict& row : predict_escapes(plan)) rows.push_back(std::move(row));
    return rows;
}

// What the command keeps, and where it holds it.
static std::string describe_capabilities(const std::vector<config::Capability>& kept) {
    if (kept.empty()) return "none (every set empty, bounding set too)";
    std::string text;
    for (config::Capability cap : kept)
        text += std::string(text.empty() ? "" : ", ") + capability_name(cap);
    return text +
           " (in the command's nested user namespace only: not over the IPC namespace, its "
           "sysctls or the locked mounts)";
}

std::string explain(const config::Spec& spec, const LaunchPlan& plan, const Command& command) {
    std::ostringstream out;
    out << "spec: " << (spec.path.empty() ? "(defaults)" : printable(spec.path)) << "\n";
    out << "command: " << printable(command.path);
    for (size_t i = 1; i < command.argv.size(); ++i) out << " " << command.argv[i];
    out << "\nnamespaces:\n";
    const std::string domain = plan.domain ? "the domain " + printable(plan.domain->name) : "";
    if (plan.domain && plan.domain->user_namespace)
        out << "  user   " << domain << "'s, as its root\n";
    else if (plan.namespaces.user)
        out << "  user   new: uid " << plan.ids.inside_uid << " -> " << plan.ids.outside_uid
            << ", gid " << plan.ids.inside_gid << " -> " << plan.ids.outside_gid
            << ", setgroups denied\n";
    else
        out << "  user   host (running as root)"
            << (plan.become ? ", command as uid " + std::to_string(plan.become->uid) + " gid " +
                                  std::to_string(plan.become->gid)
                            : std::string())
            << "\n";
    if (plan.nested)
        out << "  user   nested for the command: uid " << plan.nested->ids.inside_uid << " -> "
            << plan.nested->ids.outside_uid << ", gid " << plan.nested->ids.inside_gid << " -> "
            << plan.nested->ids.outside_gid << (plan.nested->mount ? ", mounts locked" : "")
            << (plan.nested->net ? ", owns the network namespace" : "") << "\n";
    if (plan.domain) {
        out << "  ipc    " << domain << "'s, shared with its other commands\n";
        out << "  mount  a copy of " << domain << "'s, private propagation\n";
    } else {
        out << "  ipc    new\n";
        out << "  mount  " << (plan.namespaces.mount ? "new, private propagation" : "host") << "\n";
    }
    out << "  pid    "
        << (plan.namespaces.pid ? "new, fresh /proc, ipcbox init reaps orphans" : "host") << "\n";
    out << "  net    " << (plan.namespaces.net ? "new, lo up" : "host") << "\n";
    out << "  uts    "
        << (plan.namespaces.uts ? "new, hostname " + printable(spec.sandbox.hostname)
                                : std::string("host"))
        << "\n";
    out << "capabilities: " << describe_capabilities(spec.sandbox.capabilities) << "\n";
    out << "/dev/shm: "
        << (plan.domain && plan.mounts.dev_shm == ns::ShmMount::Inherit
                ? domain + "'s"
                : std::string(config::dev_shm_mode_name(spec.dev_shm.mode)));
    if (plan.mounts.dev_shm == ns::ShmMount::Fresh) {
        if (!plan.mounts.dev_shm_size)
            out << ", the kernel's default size (half of the RAM; the host has no tmpfs /dev/shm)";
        else
            out << ", " << plan.mounts.dev_shm_size << " bytes"
                << (spec.dev_shm.size_bytes ? " (dev_shm.size)"
                                            : " (the size of the host's /dev/shm)");
    }
    if (plan.mounts.dev_shm == ns::ShmMount::Closed &&
        spec.dev_shm.mode != config::DevShmMode::None)
        out << " -> none (posix.shm/posix.semaphore blocked)";
    out << "\n";
    if (!plan.mounts.tmpfs.empty()) {
        out << "tmpfs: ";
        for (size_t i = 0; i < plan.mounts.tmpfs.size(); ++i)
            out << (i ? "; " : "") << describe_tmpfs(plan.mounts.tmpfs[i]);
        out << "\n";
    }
    out << "landlock: " << plan.landlock_abi.str() << "; scopes: ";
    if (!plan.landlock.any()) out << "none";
    if (plan.landlock.abstract_unix) out << "abstract-unix" << (plan.landlock.signal ? ", " : "");
    if (plan.landlock.signal) out << "signal";
    out << "\n";
    out << "timeout: "
        << (spec.sandbox.timeout_seconds ? std::to_string(spec.sandbox.timeout_seconds) + "s"
                                         : "none")
        << "; die with parent: " << (spec.sandbox.die_with_parent ? "yes" : "no") << "\n";
    out << "leaks: " << describe_leak_settings(spec.leaks) << "\n";
    out << "capabilities: none (every set and the bounding set emptied before exec), "
           "NO_NEW_PRIVS\n";

    if (!spec.sysctls.empty()) {
        out << "sysctls (sandbox IPC namespace only):\n";
        for (const auto& s : spec.sysctls) out << "  " << s.key << " = " << s.value << "\n";
    }
    if (spec.objects.any()) {
        out << "preseed:\n";
        for (size_t i = 0; i < spec.objects.sysv_queues.size(); ++i)
            out << "  sysv.queue[" << i << "] " << spec.objects.sysv_queues[i].key.str() << ", "
                << spec.objects.sysv_queues[i].messages.size() << " message(s)\n";
        for (size_t i = 0; i < spec.objects.sysv_semaphores.size(); ++i)
            out << "  sysv.semaphore[" << i << "] " << spec.objects.sysv_semaphores[i].key.str()
                << ", " << spec.objects.sysv_semaphores[i].values.size() << " semaphore(s)\n";
        for (size_t i = 0; i < spec.objects.sysv_shms.size(); ++i)
            out << "  sysv.shm[" << i << "] " << spec.objects.sysv_shms[i].key.str() << ", "
                << spec.objects.sysv_shms[i].size_bytes << " bytes\n";
        for (size_t i = 0; i < spec.objects.posix_queues.size(); ++i)
            out << "  posix.queue[" << i << "] " << spec.objects.posix_queues[i].name << ", "
                << spec.objects.posix_queues[i].messages.size() << " message(s)\n";
        for (size_t i = 0; i < spec.objects.posix_shms.size(); ++i)
            out << "  posix.shm[" << i << "] " << spec.objects.posix_shms[i].name << ", "
                << spec.objects.posix_shms[i].size_bytes << " bytes\n";
        for (size_t i = 0; i < spec.objects.posix_semaphores.size(); ++i)
            out << "  posix.semaphore[" << i << "] " << spec.objects.posix_semaphores[i].name
                << " = " << spec.objects.posix_semaphores[i].value << "\n";
    }
    if (!spec.block.kinds.empty() || !spec.block.create.empty()) {
        auto names = [](const std::vector<IpcKind>& kinds) {
            std::string list;
            for (IpcKind k : kinds) list += (list.empty() ? "" : ", ") + std::string(kind_name(k));
            return list.empty() ? std::string("none") : list;
        };
        out << "block (errno " << config::errno_name(spec.block.errno_value) << "): every call of "
            << names(spec.block.kinds) << "; creating " << names(spec.block.create) << "\n";
        for (const auto& note : seccomp::block_filter_notes(spec.block))
            out << "  " << note << "\n";
    }
    out << "isolation:\n";
    for (const auto& row : predict_isolation(spec.block, plan)) {
        out << "  " << row.mechanism
            << std::string(row.mechanism.size() < 40 ? 40 - row.mechanism.size() : 1, ' ')
            << verdict_name(row.verdict) << "  (" << row.why << ")\n";
    }
    return out.str();
}

}  // namespace ipcbox::launcher
