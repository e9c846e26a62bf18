// The JSON form of an inventory, shared by `ipcbox ls --json`, the leak report and the helper that
// carries an inventory out of other namespaces. Documented in docs/ls-json.md (version 1):
//   object:  {"kind": "sysv.queue" | "sysv.semaphore" | "sysv.shm" | "posix.queue" | "posix.shm"
//                     | "posix.semaphore",
//             "mode": "0640", "uid": 0, "gid": 0,
//             SysV:  "key": "0x00001234", "id": 0, "cuid", "cgid", "change_time",
//             sysv.queue:      "messages", "bytes", "send_pid", "recv_pid", "send_time",
//             "recv_time" sysv.semaphore:  "nsems", "values" ([..] or null), "op_time" sysv.shm:
//             "size", "attached", "removed", "creator_pid", "last_pid",
//                              "attach_time", "detach_time"
//             POSIX: "name": "/jobs", "modify_time",
//             posix.queue:     "messages" (or null), "bytes", "max_messages", "message_size"
//             posix.shm:       "size"
//             posix.semaphore: "value" (or null)
//             "digest" only when fingerprints were taken (leak reports)}
//   inventory: {"ipc_ns": inode, "mnt_ns": inode, "notes": [..], "objects": [..]}
// Adding fields keeps version 1; renaming or removing one makes version 2.
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "ipc/inventory/inventory.hpp"

namespace ipcbox::ipc {

inline constexpr int kInventoryJsonVersion = 1;

nlohmann::json object_to_json(const IpcObject& object);
Result<IpcObject> object_from_json(const nlohmann::json& json);

nlohmann::json inventory_to_json(const Inventory& inventory);
Result<Inventory> inventory_from_json(const nlohmann::json& json);

// Serialises without throwing: bytes that are not UTF-8 (a /dev/shm name may hold any) become
// U+FFFD.
std::string dump_json(const nlohmann::json& json, int indent = -1);

// "0x00001234", "0640"
std::string key_text(key_t key);
std::string mode_text(uint32_t mode);

}  // namespace ipcbox::ipc
