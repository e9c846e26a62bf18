#include "launcher/explain.hpp"

#include <algorithm>
#include <sstream>

namespace ipcbox::launcher {
namespace {

using config::IpcKind;

bool has(const std::vector<IpcKind>& kinds, IpcKind kind) {
    return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::string blocked_by_filter(const LaunchPlan& plan) {
    return std::string("seccomp: every syscall fails with ") +
           config::errno_name(plan.spec.block.errno_value);
}

MechanismVerdict sysv(const LaunchPlan& plan, IpcKind kind) {
    if (has(plan.spec.block.kinds, kind))
        return {kind_name(kind), Verdict::Blocked, blocked_by_filter(plan)};
    std::string why = "new IPC namespace";
    if (has(plan.spec.block.create, kind)) why += "; creating new objects is refused by seccomp";
    return {kind_name(kind), Verdict::Isolated, why};
}

MechanismVerdict posix_queue_by_name(const LaunchPlan& plan) {
    const IpcKind kind = IpcKind::PosixQueue;
    if (has(plan.spec.block.kinds, kind))
        return {"posix.queue (mq_open)", Verdict::Blocked, blocked_by_filter(plan)};
    std::string why = "new IPC namespace (its own internal mqueue mount)";
    if (has(plan.spec.block.create, kind)) why += "; mq_open with O_CREAT is refused by seccomp";
    return {"posix.queue (mq_open)", Verdict::Isolated, why};
}

MechanismVerdict posix_queue_by_path(const LaunchPlan& plan) {
    const char* name = "posix.queue (mqueue mount path)";
    const auto& points = plan.mounts.mqueue_mounts;
    if (points.empty()) return {name, Verdict::Isolated, "the host has no mqueue mount to inherit"};
    std::string where;
    for (const auto& p : points) where += (where.empty() ? "" : ", ") + p;
    if (!plan.new_mount_ns)
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
            break;
    }
    return {name, Verdict::Shared,
            "the host's /dev/shm (dev_shm.mode = \"host\"): the IPC namespace does nothing for it"};
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
    }
    return "?";
}

std::vector<MechanismVerdict> predict_isolation(const LaunchPlan& plan) {
    std::vector<MechanismVerdict> rows;
    rows.push_back(sysv(plan, IpcKind::SysvQueue));
    rows.push_back(sysv(plan, IpcKind::SysvSemaphore));
    rows.push_back(sysv(plan, IpcKind::SysvShm));
    rows.push_back(posix_queue_by_name(plan));
    rows.push_back(posix_queue_by_path(plan));
    rows.push_back(dev_shm(plan, "posix.shm"));
    rows.push_back(dev_shm(plan, "posix.semaphore"));
    rows.push_back(
        {"FIFO / unix socket at a path", Verdict::Shared, "the host's file system is visible"});
    rows.push_back(plan.new_net_ns
                       ? MechanismVerdict{"abstract unix socket, loopback TCP/UDP",
                                          Verdict::Isolated, "new network namespace"}
                       : MechanismVerdict{"abstract unix socket, loopback TCP/UDP", Verdict::Shared,
                                          "the host's network namespace (set sandbox.net)"});
    rows.push_back(
        plan.new_pid_ns
            ? MechanismVerdict{"signals to host processes", Verdict::Isolated,
                               "new pid namespace and a fresh /proc"}
            : MechanismVerdict{
                  "signals to host processes", Verdict::Shared,
                  "host pids are visible; same-uid processes can be signalled (set sandbox.pid)"});
    rows.push_back({"inherited file descriptors", Verdict::Isolated,
                    "every fd but 0, 1, 2 is closed before exec"});
    return rows;
}

std::string explain(const LaunchPlan& plan) {
    const auto& spec = plan.spec;
    std::ostringstream out;
    out << "spec: " << (spec.path.empty() ? "(defaults)" : spec.path) << "\n";
    out << "command: " << plan.command_path;
    for (size_t i = 1; i < plan.argv.size(); ++i) out << " " << plan.argv[i];
    out << "\nnamespaces:\n";
    if (plan.new_user_ns)
        out << "  user   new: uid " << plan.ids.inside_uid << " -> " << plan.ids.outside_uid
            << ", gid " << plan.ids.inside_gid << " -> " << plan.ids.outside_gid
            << ", setgroups denied\n";
    else
        out << "  user   host (running as root)\n";
    out << "  ipc    new\n";
    out << "  mount  " << (plan.new_mount_ns ? "new, private propagation" : "host") << "\n";
    out << "  pid    " << (plan.new_pid_ns ? "new, fresh /proc, ipcbox init reaps orphans" : "host")
        << "\n";
    out << "  net    " << (plan.new_net_ns ? "new, lo up" : "host") << "\n";
    out << "  uts    "
        << (plan.new_uts_ns ? "new, hostname " + spec.sandbox.hostname : std::string("host"))
        << "\n";
    out << "/dev/shm: " << config::dev_shm_mode_name(spec.dev_shm.mode);
    if (plan.mounts.dev_shm == ns::ShmMount::Fresh)
        out << ", " << plan.mounts.dev_shm_size << " bytes";
    if (plan.mounts.dev_shm == ns::ShmMount::Closed &&
        spec.dev_shm.mode != config::DevShmMode::None)
        out << " -> none (posix.shm/posix.semaphore blocked)";
    out << "\n";
    out << "timeout: "
        << (spec.sandbox.timeout_seconds ? std::to_string(spec.sandbox.timeout_seconds) + "s"
                                         : "none")
        << "; die with parent: " << (spec.sandbox.die_with_parent ? "yes" : "no") << "\n";

    if (!spec.sysctls.empty()) {
        out << "sysctls (sandbox IPC namespace only):\n";
        for (const auto& s : spec.sysctls) out << "  " << s.key << " = " << s.value << "\n";
    }
    if (spec.has_preseed()) {
        out << "preseed:\n";
        for (size_t i = 0; i < spec.sysv_queues.size(); ++i)
            out << "  sysv.queue[" << i << "] " << spec.sysv_queues[i].key.str() << ", "
                << spec.sysv_queues[i].messages.size() << " message(s)\n";
        for (size_t i = 0; i < spec.sysv_semaphores.size(); ++i)
            out << "  sysv.semaphore[" << i << "] " << spec.sysv_semaphores[i].key.str() << ", "
                << spec.sysv_semaphores[i].values.size() << " semaphore(s)\n";
        for (size_t i = 0; i < spec.sysv_shms.size(); ++i)
            out << "  sysv.shm[" << i << "] " << spec.sysv_shms[i].key.str() << ", "
                << spec.sysv_shms[i].size_bytes << " bytes\n";
        for (size_t i = 0; i < spec.posix_queues.size(); ++i)
            out << "  posix.queue[" << i << "] " << spec.posix_queues[i].name << ", "
                << spec.posix_queues[i].messages.size() << " message(s)\n";
        for (size_t i = 0; i < spec.posix_shms.size(); ++i)
            out << "  posix.shm[" << i << "] " << spec.posix_shms[i].name << ", "
                << spec.posix_shms[i].size_bytes << " bytes\n";
        for (size_t i = 0; i < spec.posix_semaphores.size(); ++i)
            out << "  posix.semaphore[" << i << "] " << spec.posix_semaphores[i].name << " = "
                << spec.posix_semaphores[i].value << "\n";
    }
    out << "isolation:\n";
    for (const auto& row : predict_isolation(plan)) {
        out << "  " << row.mechanism
            << std::string(row.mechanism.size() < 40 ? 40 - row.mechanism.size() : 1, ' ')
            << verdict_name(row.verdict) << "  (" << row.why << ")\n";
    }
    return out.str();
}

}  // namespace ipcbox::launcher
