#include "launcher/leaks/report.hpp"

#include "ipc/inventory/json.hpp"
#include "launcher/exit_codes.hpp"

namespace ipcbox::launcher {
namespace {

using config::IpcKind;
using ipc::IpcObject;

bool same_object(const IpcObject& a, const IpcObject& b) {
    if (a.kind != b.kind) return false;
    return is_sysv(a.kind) ? a.id == b.id && a.key == b.key : a.name == b.name;
}

std::string values_text(const std::optional<std::vector<int>>& values) {
    if (!values) return "?";
    std::string text;
    for (int v : *values) text += (text.empty() ? "" : " ") + std::to_string(v);
    return text;
}

std::string count_text(const std::optional<uint64_t>& n) {
    return n ? std::to_string(*n) : "?";
}

}  // namespace

const char* leak_status_name(LeakStatus status) {
    switch (status) {
        case LeakStatus::Preseeded:
            return "preseeded";
        case LeakStatus::Changed:
            return "changed";
        case LeakStatus::Created:
            return "created";
    }
    return "?";
}

size_t LeakReport::count(LeakStatus status) const {
    size_t n = 0;
    for (const auto& e : entries) n += e.status == status;
    return n;
}

std::vector<std::string> describe_changes(const IpcObject& a, const IpcObject& b) {
    std::vector<std::string> changes;
    if (a.mode != b.mode)
        changes.push_back("mode " + ipc::mode_text(a.mode) + " -> " + ipc::mode_text(b.mode));
    if (a.uid != b.uid || a.gid != b.gid)
        changes.push_back("owner " + std::to_string(a.uid) + ":" + std::to_string(a.gid) + " -> " +
                          std::to_string(b.uid) + ":" + std::to_string(b.gid));
    if (a.messages != b.messages)
        changes.push_back("messages " + count_text(a.messages) + " -> " + count_text(b.messages));
    const bool queue = a.kind == IpcKind::SysvQueue || a.kind == IpcKind::PosixQueue;
    if (a.size != b.size)
        changes.push_back(std::string(queue ? "bytes " : "size ") + std::to_string(a.size) +
                          " -> " + std::to_string(b.size));
    if (a.values != b.values)
        changes.push_back((a.kind == IpcKind::PosixSemaphore ? "value " : "values ") +
                          values_text(a.values) + " -> " + values_text(b.values));
    // Same counts and sizes, other bytes: say so once.
    if (changes.empty() && a.digest != b.digest) changes.push_back("contents differ");
    return changes;
}

LeakReport compare_inventories(const ipc::Inventory& before, const ipc::Inventory& after,
                               int command_exit_code) {
    LeakReport report;
    report.command_exit_code = command_exit_code;
    report.notes = after.notes;
    for (const IpcObject& now : after.objects) {
        LeakEntry entry{now, LeakStatus::Created, {}};
        for (const IpcObject& then : before.objects) {
            if (!same_object(then, now)) continue;
            entry.changes = describe_changes(then, now);
            entry.status = entry.changes.empty() ? LeakStatus::Preseeded : LeakStatus::Changed;
            break;
        }
        report.entries.push_back(std::move(entry));
    }
    for (const IpcObject& then : before.objects) {
        bool still_there = false;
        for (const IpcObject& now : after.objects)
            still_there = still_there || same_object(then, now);
        if (!still_there) report.removed.push_back(then);
    }
    return report;
}

int leak_exit_code(const config::Leaks& leaks, const LeakReport& report) {
    if (leaks.fail && report.command_exit_code == 0 && report.leaked()) return kExitLeaked;
    return report.command_exit_code;
}

}  // namespace ipcbox::launcher
