// Private to ipc/preseed/*.cpp: what the SysV and POSIX halves of preseed() share.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"
#include "ipc/preseed/preseed.hpp"

namespace ipcbox::ipc::preseed_detail {

// The ids objects get when the spec names no owner or group: the caller's own, inside.
struct Caller {
    uid_t uid;  // the default owner: the setup's uid, or the command's when it will take another
    gid_t gid;
    uid_t euid;  // what the kernel records as creator and first owner
    gid_t egid;
};

// "sysv.queue[2]"
std::string object_name(config::IpcKind kind, size_t index);

// "<object> (<label>): <call>: <strerror(err)> (<why>)", with the spec position as the hint.
Error object_error(const std::string& object, const std::string& label,
                   const config::Origin& origin, const std::string& call, int err,
                   const std::string& why = {});
// The same without an errno: "<object> (<label>): <what>".
Error object_problem(const std::string& object, const std::string& label,
                     const config::Origin& origin, const std::string& what);

// An IPC sysctl's current value for explanations ("kernel.msgmnb" -> "16384"), "?" if unreadable.
std::string read_knob(const char* key);
// Whether `id` appears in /proc/self/{uid,gid}_map, and the mapped ranges for messages
// ("uid 1000", "uids 0-65535").
bool id_mapped(const char* map_file, uint32_t id);
std::string mapped_ids(const char* map_file, const char* what);

// Why an IPC_SET/fchown to `access`'s owner and group failed, when we can tell.
std::string owner_explanation(int err, const config::Access& access, const Caller& caller);

// What one preseed() has made, so that a failure takes back exactly that: only an exclusive
// creation (IPC_EXCL, O_EXCL) that succeeded is recorded, so nothing that was there before, nor
// another hook's object, is ever removed.
class Created {
  public:
    void sysv(config::IpcKind kind, int id) { entries_.push_back({kind, id, {}}); }
    void posix(config::IpcKind kind, const std::string& name) {
        entries_.push_back({kind, -1, name});
    }
    // Newest first, best effort: the failure being reported matters more than a second one.
    void remove_all();

  private:
    struct Entry {
        config::IpcKind kind;
        int id;
        std::string name;
    };
    std::vector<Entry> entries_;
};

Status preseed_sysv(const config::Objects& objects, const Caller& caller, Created& created);
Status preseed_posix(const config::Objects& objects, Created& created);
// This process, with the default owner PreseedOptions asks for.
Caller caller_of(const PreseedOptions& options);
// Every object, SysV then POSIX, with the umask cleared (ipc/preseed/preseed.cpp).
// On a failure, what it made is removed again.
Status create_all(const config::Objects& objects, const Caller& caller);

}  // namespace ipcbox::ipc::preseed_detail
