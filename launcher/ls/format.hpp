// How `ipcbox ls` (and the leak report) shows IPC objects: an aligned table for people, and the
// stable JSON documented in docs/ls-json.md for programs.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ipc/inventory/inventory.hpp"

namespace ipcbox::launcher {

// Which namespaces were listed, as the user asked for them.
struct LsSource {
    enum class From { Self, Pid, Path, Domain } from = From::Self;
    pid_t pid = 0;       // From::Pid, and From::Domain's keeper
    std::string path;    // From::Path
    std::string domain;  // From::Domain
};

// ls --json, version 1:
//   {"version": 1,
//    "namespace": {"from": "self" | "pid" | "path" | "domain", "pid": N (pid, and the domain's
//                  keeper), "path": S (path only), "domain": NAME (domain only),
//                  "ipc": <ipc ns inode>, "mnt": <mnt ns inode>},
//    "notes": ["what could not be listed, or came from elsewhere, and why", ...],
//    "objects": [<object, see ipc/inventory/json.hpp>, ...]}
nlohmann::json ls_json(const ipc::Inventory& inventory, const LsSource& source);
std::string ls_table(const ipc::Inventory& inventory, const LsSource& source);

// The table's header cells and one object's cells (KIND, KEY/NAME, ID, MODE, OWNER, CREATOR,
// CONTENT, PIDS, LAST USE, CHANGED), shared with the leak report.
std::vector<std::string> object_header();
std::vector<std::string> object_cells(const ipc::IpcObject& object);
// Pads every column to its widest cell; two spaces between columns, no trailing blanks.
std::string align_columns(const std::vector<std::vector<std::string>>& rows);

}  // namespace ipcbox::launcher
