// Where a user's domains are recorded, and what is recorded of each: the keeper process that holds
// the domain's namespaces, and the preseeded state `domain rm` compares against.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ipcbox::launcher::domain {

// [A-Za-z0-9_.-]{1,64}, and not "." or "..": a name is also a directory name.
Status check_name(std::string_view name);

// "no domain 'NAME' of uid N", with where to look: the one way a missing domain is said.
Error no_such_domain(std::string_view name);

// The caller's own domains directory: /run/ipcbox/domains for root, else
// $XDG_RUNTIME_DIR/ipcbox/domains, or /tmp/ipcbox-UID/domains when XDG_RUNTIME_DIR is unset. Made
// (mode 0700) when `make` is true. Every directory ipcbox makes on the way must be a real
// directory owned by the caller and writable by nobody else; anything else (a symlink planted in
// /tmp by another user) is refused, so one user's domains are never another's.
Result<std::string> domains_dir(bool make);

// One domain, as `domain create` recorded it in DIR/NAME/state.json.
struct State {
    std::string name;
    uid_t owner = 0;              // the creator's uid (host's view)
    pid_t keeper = 0;             // the keeper's pid (host's view)
    uint64_t keeper_start = 0;    // its start time (/proc/PID/stat field 22): tells a reused pid
    uint64_t ipc_ns = 0;          // inode of the domain's IPC namespace
    int64_t created = 0;          // seconds since the epoch
    bool user_namespace = false;  // the domain has a user namespace of its own (rootless)
    // Root only: the host directory on which the domain's /dev/shm tmpfs is also mounted, for
    // containers (`-v DIR:/dev/shm`). Empty rootless: a user cannot mount on the host.
    std::string shm_dir;
    std::vector<std::string> capabilities;  // kept by every command run in the domain
    std::string preseeded;                  // inventory JSON taken right after preseeding
};

// Removes what `create` left on the host: the root domain's /dev/shm mount, the state file, the
// directory. Quietly: whatever is missing is already gone.
void remove_record(const std::string& domain_dir);

Status write_state(const std::string& domain_dir, const State& state);
Result<State> read_state(const std::string& domain_dir);

}  // namespace ipcbox::launcher::domain
