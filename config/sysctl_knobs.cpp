#include "config/sysctl_knobs.hpp"

#include <algorithm>
#include <climits>

namespace ipcbox::config {
namespace {

constexpr int64_t kIntMax = INT_MAX;

constexpr SysctlKnob kKnobs[] = {
    {.name = "kernel.msgmax", .min = 0, .max = kIntMax},
    {.name = "kernel.msgmnb", .min = 0, .max = kIntMax},
    {.name = "kernel.msgmni", .min = 0, .max = kIntMax},
    {.name = "kernel.auto_msgmni",
     .min = 0,
     .max = 1,
     .no_effect_because = "msgmni no longer scales with memory",
     .instead = "kernel.msgmni"},
    {.name = "kernel.shmmax", .min = 0, .max = INT64_MAX},
    {.name = "kernel.shmall", .min = 0, .max = INT64_MAX},
    {.name = "kernel.shmmni", .min = 0, .max = kIntMax},
    {.name = "kernel.sem", .min = 0, .max = kIntMax, .count = 4},
    {.name = "kernel.shm_rmid_forced", .min = 0, .max = 1},
    {.name = "kernel.msg_next_id", .min = -1, .max = kIntMax},
    {.name = "kernel.sem_next_id", .min = -1, .max = kIntMax},
    {.name = "kernel.shm_next_id", .min = -1, .max = kIntMax},
    {.name = "fs.mqueue.queues_max", .min = 0, .max = kIntMax},
    {.name = "fs.mqueue.msg_max", .min = 0, .max = kIntMax},
    {.name = "fs.mqueue.msgsize_max", .min = 0, .max = kIntMax},
    {.name = "fs.mqueue.msg_default", .min = 0, .max = kIntMax},
    {.name = "fs.mqueue.msgsize_default", .min = 0, .max = kIntMax},
};

constexpr bool well_formed() {
    for (size_t i = 0; i < std::size(kKnobs); ++i) {
        const SysctlKnob& k = kKnobs[i];
        if (k.name.empty() || k.min > k.max) return false;
        // The parser reads several integers only as kernel.sem's four.
        if (k.count != (k.name == "kernel.sem" ? 4 : 1)) return false;
        if (k.no_effect_because.empty() != k.instead.empty()) return false;
        for (size_t j = 0; j < i; ++j)
            if (kKnobs[j].name == k.name) return false;
    }
    return true;
}
static_assert(well_formed());

}  // namespace

std::span<const SysctlKnob> sysctl_knobs() {
    return kKnobs;
}

const SysctlKnob* find_sysctl_knob(std::string_view name) {
    for (const SysctlKnob& knob : kKnobs)
        if (knob.name == name) return &knob;
    return nullptr;
}

std::string sysctl_path(std::string_view name) {
    std::string path = "/proc/sys/";
    const size_t prefix = path.size();
    path += name;
    std::replace(path.begin() + prefix, path.end(), '.', '/');
    return path;
}

}  // namespace ipcbox::config
