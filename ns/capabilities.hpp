// What the command keeps of the privileges the setup needed: nothing. Root of the sandbox's user
// namespace (or host root, without one) may unmount the private /dev/shm, mount a tmpfs or mqueue
// of its own over a blocked one, or setns elsewhere; without capabilities it can do none of it.
#pragma once

#include "base/error.hpp"

namespace ipcbox::ns {

// Runs last before NO_NEW_PRIVS and execve: empties the bounding set (so an exec as uid 0 regains
// nothing), the ambient and inheritable sets, then the permitted and effective sets. Needs
// CAP_SETPCAP, which the setup still holds.
Status drop_capabilities();

}  // namespace ipcbox::ns
