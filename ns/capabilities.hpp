// What the command keeps of the privileges the setup needed: nothing. Root of the sandbox's user
// namespace (or host root, without one) may unmount the private /dev/shm, mount a tmpfs or mqueue
// of its own over a blocked one, or setns elsewhere; without capabilities it can do none of it.
#pragma once

#include <cstdint>
#include <optional>

#include "base/error.hpp"

namespace ipcbox::ns {

struct Identity {
    uint32_t uid = 0;
    uint32_t gid = 0;
};

// Runs last before NO_NEW_PRIVS and execve: empties the bounding set (so an exec as uid 0 regains
// nothing) and the ambient set while CAP_SETPCAP is still there; then, with `become`, takes those
// ids (no supplementary groups; root without a user namespace honours --uid/--gid this way, while
// it still has CAP_SETUID/CAP_SETGID); last, empties the inheritable, permitted and effective sets.
Status drop_privileges(const std::optional<Identity>& become);

}  // namespace ipcbox::ns
