#include "launcher/hook/apply.hpp"

#include <linux/magic.h>
#include <sched.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "base/io.hpp"
#include "config/load.hpp"
#include "config/sysctl_knobs.hpp"
#include "launcher/helper.hpp"
#include "launcher/hook/deadline.hpp"
#include "ns/join.hpp"
#include "ns/sysctl.hpp"

namespace ipcbox::launcher {
namespace {

bool needs_dev_shm(const config::Spec& spec) {
    return !spec.objects.posix_shms.empty() || !spec.objects.posix_semaphores.empty();
}

constexpr const char* kSharedIpc = "the container shares ipcbox's own IPC namespace (host IPC?)";

// What the container's namespaces allow before anything is joined.
Status check_target(const config::Spec& spec, const ns::TargetNamespaces& t) {
    if (t.ipc_is_ours) {
        if (!spec.hook.allow_shared_ipc)
            return Error::of(std::string(kSharedIpc) + ": refusing to put the spec's objects there")
                .with_hint("set hook.allow_shared_ipc = true in the spec if that is intended");
        // Limits of a shared namespace are the whole host's.
        if (!spec.sysctls.empty())
            return Error::of(
                std::string(kSharedIpc) +
                ": refusing to write [sysctl] there, it would change the host's limits");
    }
    if (t.mnt_is_ours && needs_dev_shm(spec))
        return Error::of(
            "the container shares ipcbox's own mount namespace: posix.shm and "
            "posix.semaphore would land in the host's /dev/shm");
    return {};
}

// The container's /dev/shm must be its own tmpfs (a plain directory of the image would keep the
// objects in the image), large enough for each posix.shm.
Status check_dev_shm(const config::Objects& objects) {
    struct statfs fs {};
    if (statfs("/dev/shm", &fs) != 0)
        return Error::from_errno("container /dev/shm", errno)
            .with_hint("posix.shm and posix.semaphore need a tmpfs mounted on /dev/shm");
    if (fs.f_type != TMPFS_MAGIC)
        return Error::of("container /dev/shm is not a tmpfs mount")
            .with_hint("posix.shm and posix.semaphore need a tmpfs mounted on /dev/shm");
    const uint64_t size = static_cast<uint64_t>(fs.f_blocks) * fs.f_bsize;
    return config::check_posix_shm_room(
        objects, size, "the container's /dev/shm, " + std::to_string(size) + " bytes");
}

// Paths in the spec that must be looked up in the container's root: /dev/shm, ftok files.
bool needs_container_root(const config::Spec& spec) {
    auto has_ftok = [](const auto& objects) {
        for (const auto& o : objects)
            if (!o.key.ftok_path.empty()) return true;
        return false;
    };
    return needs_dev_shm(spec) || has_ftok(spec.objects.sysv_queues) ||
           has_ftok(spec.objects.sysv_semaphores) || has_ftok(spec.objects.sysv_shms);
}

// Under kernel.shm_rmid_forced = 1 the kernel removes a segment that nothing has attached as soon
// as its creator exits: this helper, long before the container starts.
Status check_segments_can_outlive_us(const config::Spec& spec) {
    if (spec.objects.sysv_shms.empty()) return {};
    auto knob = read_whole_file(config::sysctl_path("kernel.shm_rmid_forced"), 16);
    if (!knob || !knob->starts_with("1")) return {};
    return Error::of(
               "kernel.shm_rmid_forced is 1 in the container's IPC namespace: the kernel would "
               "remove the sysv.shm segments as soon as the hook's helper, their creator, exits")
        .with_hint("set kernel.shm_rmid_forced = 0 in the spec, or let the container make them");
}

// Runs in the child, which exits right after: a plain sequence that reports its first failure.
Result<HookApplied> apply_inside(const config::Spec& spec, const ns::TargetNamespaces& t,
                                 const std::string& rootfs) {
    if (auto joined = ns::join_target_namespaces(t, {.ipc = true, .mnt = false}); !joined)
        return std::move(joined).error().with_context("joining the container's namespaces");
    // Our own /proc stays in view for the sysctls (and fixed ids): any proc mount writes the knobs
    // of the IPC ns we are in, and the container's /proc/sys may be read-only.
    if (Status s = ns::apply_sysctls(spec.sysctls); !s) return std::move(s).error();
    if (Status s = check_segments_can_outlive_us(spec); !s) return std::move(s).error();
    if (!t.mnt_is_ours && needs_container_root(spec)) {
        if (setns(t.mnt.get(), CLONE_NEWNS) != 0)
            return Error::from_errno("joining the container's namespaces: setns mnt", errno);
        // runc has mounted /dev/shm and /proc under root.path before createRuntime and pivots
        // later: inside the rootfs, shm_open() and ftok() see what the container will see.
        if (chroot(rootfs.c_str()) != 0 || chdir("/") != 0)
            return Error::from_errno("chroot " + rootfs + " in the container's mount namespace",
                                     errno)
                .with_hint(
                    "the root filesystem is reachable there only until pivot_root: run "
                    "ipcbox hook at createRuntime or prestart");
        if (needs_dev_shm(spec))
            if (Status s = check_dev_shm(spec.objects); !s) return std::move(s).error();
    }
    auto counts = ipc::preseed(
        spec.objects, {.dev_shm = config::DevShmMode::Private, .accept_identical_existing = true});
    if (!counts) return std::move(counts).error();
    return HookApplied{spec.sysctls.size(), *counts};
}

}  // namespace

std::string encode_applied(const HookApplied& a) {
    return std::to_string(a.sysctls) + " " + std::to_string(a.objects.created) + " " +
           std::to_string(a.objects.existing);
}

Result<HookApplied> decode_applied(const std::string& text) {
    HookApplied a;
    int used = 0;
    if (std::sscanf(text.c_str(), "%zu %zu %zu%n", &a.sysctls, &a.objects.created,
                    &a.objects.existing, &used) != 3 ||
        static_cast<size_t>(used) != text.size())
        return Error::of("the namespace helper sent a malformed report");
    return a;
}

Result<HookApplied> apply_to_container(const config::Spec& spec, const HookTarget& target) {
    if (spec.sysctls.empty() && !spec.objects.any()) return HookApplied{};
    auto t = ns::open_target_namespaces(target.pid);
    if (!t) return std::move(t).error();
    if (Status s = check_target(spec, *t); !s) return std::move(s).error();

    // Never hold the runtime's pipes: runc waits for them to close even after killing the hook.
    auto answer = run_helper(
        [&]() -> Result<Payload> {
            auto applied = apply_inside(spec, *t, target.rootfs);
            if (!applied) return std::move(applied).error();
            return Payload{encode_applied(*applied), {}};
        },
        {.name = "the helper that joins the container's namespaces",
         .quiet_stdio = true,
         .watch = watch_child});
    if (!answer) return std::move(answer).error();
    return decode_applied(answer->bytes);
}

}  // namespace ipcbox::launcher
