// The user namespace: maps exactly one id, the caller's, to the sandbox's uid/gid.
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

}  // namespace ipcbox::ns
