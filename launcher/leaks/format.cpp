// The leak report for people (stderr) and for programs (a JSON file, version 1):
//   {"version": 1, "command_exit_code": 0, "leaked": true,
//    "counts": {"created": 1, "changed": 1, "preseeded": 2, "removed": 0, "processes": 1},
//    "notes": [...],
//    "objects": [{<object, see ipc/inventory/json.hpp>, "status": "created" | "changed" |
//                 "preseeded", "changes": ["messages 2 -> 1", ...] (changed only)}, ...],
//    "removed": [<object as preseeded>, ...],
//    "processes": [{"pid": 4242, "name": "sleep", "signal": "SIGTERM" | "SIGKILL" | null}, ...]}
#include "launcher/ls/format.hpp"

#include <signal.h>

#include "base/text.hpp"
#include "ipc/inventory/json.hpp"
#include "launcher/leaks/report.hpp"

namespace ipcbox::launcher {
namespace {

std::string joined(const std::vector<std::string>& parts) {
    std::string text;
    for (const auto& p : parts) text += (text.empty() ? "" : ", ") + p;
    return text;
}

std::string summary(const LeakReport& r) {
    return std::to_string(r.count(LeakStatus::Created)) + " created, " +
           std::to_string(r.count(LeakStatus::Changed)) + " changed, " +
           std::to_string(r.count(LeakStatus::Preseeded)) + " preseeded and unchanged, " +
           std::to_string(r.removed.size()) + " preseeded and removed, " +
           std::to_string(r.processes.size()) +
           (r.processes.size() == 1 ? " process" : " processes") + " left running";
}

const char* signal_name(int sig) {
    switch (sig) {
        case SIGTERM:
            return "SIGTERM";
        case SIGKILL:
            return "SIGKILL";
    }
    return nullptr;
}

}  // namespace

std::string how_it_ended(const EndedProcess& p) {
    switch (p.signal) {
        case SIGTERM:
            return "ended after SIGTERM";
        case SIGKILL:
            return "killed with SIGKILL after the grace";
    }
    return "ended before ipcbox sent it a signal";
}

std::string leak_table(const LeakReport& report) {
    std::string out = "ipcbox: leak report: " + summary(report) + "\n";
    if (!report.entries.empty()) {
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> header{"STATUS"};
        for (auto& cell : object_header()) header.push_back(cell);
        header.push_back("CHANGES");
        rows.push_back(header);
        for (const LeakEntry& e : report.entries) {
            std::vector<std::string> row{leak_status_name(e.status)};
            for (auto& cell : object_cells(e.object)) row.push_back(cell);
            row.push_back(e.changes.empty() ? "-" : joined(e.changes));
            rows.push_back(row);
        }
        out += align_columns(rows);
    }
    for (const auto& o : report.removed)
        out += "removed: " + object_cells(o)[0] + " " + object_cells(o)[1] + "\n";
    for (const auto& p : report.processes)
        out += "process: " + std::to_string(p.pid) + " " + printable(p.name) + ": " +
               how_it_ended(p) + "\n";
    for (const auto& note : report.notes) out += "note: " + escape_controls(note) + "\n";
    return out;
}

nlohmann::json leak_json(const LeakReport& report) {
    nlohmann::json objects = nlohmann::json::array();
    for (const LeakEntry& e : report.entries) {
        nlohmann::json j = ipc::object_to_json(e.object);
        j["status"] = leak_status_name(e.status);
        if (e.status == LeakStatus::Changed) j["changes"] = e.changes;
        objects.push_back(std::move(j));
    }
    nlohmann::json removed = nlohmann::json::array();
    for (const auto& o : report.removed) removed.push_back(ipc::object_to_json(o));
    return {{"version", ipc::kInventoryJsonVersion},
            {"command_exit_code", report.command_exit_code},
            {"leaked", report.leaked()},
            {"counts",
             {{"created", report.count(LeakStatus::Created)},
              {"changed", report.count(LeakStatus::Changed)},
              {"preseeded", report.count(LeakStatus::Preseeded)},
              {"removed", report.removed.size()},
              {"processes", report.processes.size()}}},
            {"notes", report.notes},
            {"objects", std::move(objects)},
            {"removed", std::move(removed)},
            {"processes", processes_json(report.processes)}};
}

nlohmann::json processes_json(const std::vector<EndedProcess>& processes) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : processes) {
        const char* sig = signal_name(p.signal);
        list.push_back({{"pid", p.pid},
                        {"name", p.name},
                        {"signal", sig ? nlohmann::json(sig) : nlohmann::json(nullptr)}});
    }
    return list;
}

std::vector<EndedProcess> processes_from_json(const nlohmann::json& json) {
    std::vector<EndedProcess> processes;
    if (!json.is_array()) return processes;
    for (const auto& j : json) {
        if (!j.is_object() || !j.contains("pid") || !j["pid"].is_number_integer()) continue;
        EndedProcess p{j["pid"].get<pid_t>(), "", 0};
        if (j.contains("name") && j["name"].is_string()) p.name = j["name"].get<std::string>();
        if (j.contains("signal") && j["signal"] == "SIGTERM") p.signal = SIGTERM;
        if (j.contains("signal") && j["signal"] == "SIGKILL") p.signal = SIGKILL;
        processes.push_back(std::move(p));
    }
    return processes;
}

}  // namespace ipcbox::launcher
