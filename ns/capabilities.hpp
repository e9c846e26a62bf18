// What the command keeps of the privileges the setup needed: nothing, unless the spec names
// capabilities to keep (then only those, in a user namespace nested in the sandbox's). Root of the
// sandbox's user namespace (or host root, without one) may unmount the private /dev/shm, mount a
// tmpfs or mqueue of its own over a blocked one, or setns elsewhere; without capabilities it can
// do none of it.
#pragma once

#include <cstdint>
#include <optional>

#include "base/error.hpp"

namespace ipcbox::ns {

struct Identity {
    uint32_t uid = 0;
    uint32_t gid = 0;
};

// setgroups(0), setresgid, setresuid: needs CAP_SETGID/CAP_SETUID, and loses every capability
// when the uid is not 0.
Status become(const Identity& who);

// Runs last before NO_NEW_PRIVS and execve: reduces the bounding set to `keep` (so an exec as uid
// 0 regains nothing else) while CAP_SETPCAP is still there; then, with `who`, takes those ids;
// then sets the inheritable, permitted and effective sets to `keep`, and raises `keep` as ambient
// capabilities so that they survive the exec of a program run by a non-zero uid.
// `keep`: bit N is capability N.
Status drop_privileges(const std::optional<Identity>& who, uint64_t keep = 0);

}  // namespace ipcbox::ns
