// The leak report: what the command left in its sandbox (IPC objects, compared with the preseed
// snapshot, and processes still running), and what that means for ipcbox's exit code. Documented
// in docs/leaks.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "ipc/inventory/inventory.hpp"
#include "launcher/process.hpp"

namespace ipcbox::launcher {

enum class LeakStatus {
    Preseeded,  // made by preseeding and left as it was
    Changed,    // made by preseeding, left different (messages taken, values, contents, mode...)
    Created,    // not there before the command ran
};
const char* leak_status_name(LeakStatus status);  // "preseeded", "changed", "created"

struct LeakEntry {
    ipc::IpcObject object;  // as left behind
    LeakStatus status = LeakStatus::Created;
    std::vector<std::string> changes;  // Changed: "messages 2 -> 1", "contents differ", ...
};

struct LeakReport {
    int command_exit_code = 0;
    std::vector<LeakEntry> entries;       // every object still there, in inventory order
    std::vector<ipc::IpcObject> removed;  // preseeded objects the command removed
    std::vector<EndedProcess> processes;  // left running when the command exited, then ended
    std::vector<std::string> notes;

    size_t count(LeakStatus status) const;
    // Created or changed objects and processes left running are leaks; preseeded and unchanged
    // objects are not.
    bool leaked() const {
        return count(LeakStatus::Created) + count(LeakStatus::Changed) + processes.size() > 0;
    }
};

// Objects match by kind and id + key (SysV) or name (POSIX). "Changed" compares the state a later
// user would find: mode, owner, message count and bytes, semaphore values, sizes and content
// fingerprints; times and pids are not compared, so using a preseeded object and leaving it as it
// was (a lock taken and released) is no change.
LeakReport compare_inventories(const ipc::Inventory& before, const ipc::Inventory& after,
                               int command_exit_code);

// What each object's state change looks like in words; empty when the state is the same.
std::vector<std::string> describe_changes(const ipc::IpcObject& before,
                                          const ipc::IpcObject& after);

// ipcbox's exit status once the report is taken: the command's own status, except kExitLeaked
// when leaks.fail is set, the command exited 0 and it leaked.
int leak_exit_code(const config::Leaks& leaks, const LeakReport& report);

// For stderr, and for a report file (version 1, docs/leaks.md).
std::string leak_table(const LeakReport& report);
nlohmann::json leak_json(const LeakReport& report);

// "ended after SIGTERM", "killed with SIGKILL after the grace" or "ended before ipcbox sent it a
// signal": for the table and for -v.
std::string how_it_ended(const EndedProcess& process);

// The report's "processes" array; also what the sandbox's init sends the supervisor. Parsing
// skips what it does not understand.
nlohmann::json processes_json(const std::vector<EndedProcess>& processes);
std::vector<EndedProcess> processes_from_json(const nlohmann::json& json);

}  // namespace ipcbox::launcher
