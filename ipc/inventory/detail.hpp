// Private to ipc/inventory/*.cpp (and their unit tests): the readers behind collect_inventory().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "ipc/inventory/inventory.hpp"

namespace ipcbox::ipc::inventory_detail {

// Parses one /proc/sysvipc table (msg, sem or shm) by the names in its header, so a column added by
// a later kernel changes nothing.
Result<std::vector<IpcObject>> parse_sysvipc(config::IpcKind kind, const std::string& text);

// A /dev/shm file name as glibc makes them: "sem.NAME" is the named semaphore "/NAME", any other
// name the shared memory object "/NAME". nullopt for "sem." alone and dot files.
std::optional<std::pair<config::IpcKind, std::string>> classify_dev_shm_entry(
    const std::string& file_name);

// The byte count of a POSIX queue's file ("QSIZE:13   NOTIFY:0 ...").
std::optional<uint64_t> parse_mqueue_qsize(const std::string& text);

// 64-bit FNV-1a: cheap, dependency-free and good enough to notice changed contents.
class Fingerprint {
  public:
    void add(const void* data, size_t size);
    void add_number(int64_t value) { add(&value, sizeof value); }
    std::string hex() const;

  private:
    uint64_t hash_ = 0xcbf29ce484222325ull;
};

// The collectors, run in the helper inside the namespaces to read. collect_sysv fails only when
// /proc/sysvipc cannot be read; the others add a note for what they cannot see.
Status collect_sysv(Inventory& inventory, const InventoryOptions& options);
void collect_dev_shm(Inventory& inventory, const InventoryOptions& options,
                     const std::string& dir = "/dev/shm");
void collect_mqueues(Inventory& inventory);

}  // namespace ipcbox::ipc::inventory_detail
