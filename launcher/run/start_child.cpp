#include "launcher/run/start_child.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace ipcbox::launcher {
namespace {

// The borrowed-memory child's stack: the setup steps and preseeding need far less, and pages are
// only made when touched. A guard page below catches an overflow instead of corrupting memory.
constexpr size_t kStackSize = size_t{1} << 20;
constexpr size_t kGuardSize = 4096;

struct Entry {
    void (*child)(void*);
    void* arg;
};

int enter(void* entry) {
    const Entry& e = *static_cast<const Entry*>(entry);
    e.child(e.arg);
    _exit(127);  // not reached: the child execs or exits
}

}  // namespace

pid_t start_child(int clone_flags, bool share_memory, void (*child)(void*), void* arg) {
    if (!share_memory) {
        const pid_t pid = static_cast<pid_t>(
            syscall(SYS_clone, clone_flags | SIGCHLD, nullptr, nullptr, nullptr, 0));
        if (pid == 0) {
            child(arg);
            _exit(127);  // not reached
        }
        return pid;
    }
    void* stack = mmap(nullptr, kStackSize + kGuardSize, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    if (mprotect(stack, kGuardSize, PROT_NONE) != 0) {
        const int err = errno;
        munmap(stack, kStackSize + kGuardSize);
        errno = err;
        return -1;
    }
    Entry entry{child, arg};
    char* top = static_cast<char*>(stack) + kGuardSize + kStackSize;
    const pid_t pid = clone(enter, top, clone_flags | CLONE_VM | CLONE_VFORK | SIGCHLD, &entry);
    // Here the child has exec'd or exited: its stack is free again.
    const int err = errno;
    munmap(stack, kStackSize + kGuardSize);
    errno = err;
    return pid;
}

}  // namespace ipcbox::launcher
