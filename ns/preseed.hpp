// Creates the spec's SysV and POSIX IPC objects inside the sandbox's namespaces.
#pragma once

#include "config/error.hpp"
#include "config/spec.hpp"

namespace ipcbox::ns {

// Runs in the sandbox child after apply_sysctls(), with the new IPC ns joined, the private
// /dev/shm mounted (when the spec has POSIX shm/semaphores) and before NO_NEW_PRIVS/seccomp.
// The caller holds all capabilities of the sandbox's user ns (or is host root).
// Errors name the object: "sysv.queue[2] (key 0x1234): msgsnd: No space left on device (...)".
Status preseed(const config::Spec& spec);

}  // namespace ipcbox::ns
