// The per-IPC-namespace sysctls: the only knobs ipcbox writes, because a new IPC namespace has its
// own copy of each. One table for the spec parser, the writer (ns/sysctl.cpp) and the preseed's
// explanations, and one way from a knob's name to its file under /proc/sys.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ipcbox::config {

struct SysctlKnob {
    std::string_view name;  // as sysctl(8) spells it: "kernel.msgmnb", "fs.mqueue.msg_max"
    // The range of each integer in the value, as the kernel's type allows: int knobs stop at
    // INT_MAX, shmmax/shmall (unsigned long) where TOML integers stop, INT64_MAX; *_next_id
    // takes -1, "the kernel chooses".
    int64_t min;
    int64_t max;
    // How many integers the value holds, space-separated: 4 for kernel.sem (semmsl semmns semopm
    // semmni), 1 for every other knob.
    int count = 1;
    // Set for a knob the kernel accepts writes to but ignores inside an IPC namespace: why it
    // has no effect, and the knob that does the job instead. The parser refuses such a knob.
    std::string_view no_effect_because = {};
    std::string_view instead = {};

    bool has_effect() const { return no_effect_because.empty(); }
};

// Every knob, kernel.* then fs.mqueue.*; names are unique.
std::span<const SysctlKnob> sysctl_knobs();

// The knob called exactly `name`, or nullptr when it does not belong to the IPC namespace.
const SysctlKnob* find_sysctl_knob(std::string_view name);

// "fs.mqueue.msg_max" -> "/proc/sys/fs/mqueue/msg_max": every '.' of the name is a directory.
std::string sysctl_path(std::string_view name);

}  // namespace ipcbox::config
