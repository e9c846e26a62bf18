// Starts the sandbox child inside its new namespaces: one clone, either a fork or, when nothing
// needs the supervisor before the command runs, a vfork-style clone that borrows its memory.
#pragma once

#include <sys/types.h>

namespace ipcbox::launcher {

// `child(arg)` runs in the new child and must never return (it execs or exits). With
// `share_memory` the child runs on a stack of its own in this process's memory (CLONE_VM |
// CLONE_VFORK, as posix_spawn does) and this process is suspended until it execs or exits: that
// spares copying the page tables and the copy-on-write faults on both sides afterwards. Such a
// child must change nothing this process owns (memory it did not allocate, or its descriptors'
// owners) and must never wait for this process. Returns the child's pid, or -1 with errno.
pid_t start_child(int clone_flags, bool share_memory, void (*child)(void*), void* arg);

}  // namespace ipcbox::launcher
