// The user namespaces: the sandbox's maps exactly one id, the caller's, to the setup's uid/gid;
// the command's nested one (when it has one) maps the command's ids onto the setup's.
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "base/error.hpp"

namespace ipcbox::ns {

struct IdMapping {
    uint32_t inside_uid = 0;
    uint32_t inside_gid = 0;
    uid_t outside_uid = 0;
    gid_t outside_gid = 0;
};

// Runs in the child right after it entered its new user namespace. Order matters: setgroups must
// be denied before gid_map can be written without CAP_SETGID in the parent namespace.
Status write_id_maps(const IdMapping& mapping);

// After the setup, in the process that execs the command: a user namespace of its own, nested in
// the current one (`extra_flags`: CLONE_NEWNS, whose copied mounts the kernel then locks against
// it, and CLONE_NEWNET for a network namespace it owns), with `mapping` written by the process
// itself. Needs no capability in the parent namespace: each map is one line for its own id.
Status enter_nested_user_namespace(const IdMapping& mapping, int extra_flags);

}  // namespace ipcbox::ns
