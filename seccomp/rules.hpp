// The [block] section as a list of syscall rules: the one table both the loaded filter and the
// exported OCI profile are built from, so the two cannot drift apart.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"

namespace ipcbox::seccomp {

// (argument[index] & mask) == value
struct ArgMatch {
    unsigned index = 0;
    uint64_t mask = 0;
    uint64_t value = 0;
    bool operator==(const ArgMatch&) const = default;
};

// One rule: every call of `syscall` whose arguments satisfy all of `args` fails with the errno.
// Rules are alternatives; the arguments of one rule must all hold (AND).
struct BlockRule {
    std::string syscall;
    std::vector<ArgMatch> args;
    int errno_value = 0;  // 0: the block's errno
};

// The rules for `block`, or an error for an errno or create-only kind that cannot be enforced.
// posix.shm and posix.semaphore in `kinds` are blocked by the mount set-up (an empty, read-only
// /dev/shm); their rules keep the command from making a user namespace of its own, in which it
// could mount a tmpfs over that /dev/shm.
Result<std::vector<BlockRule>> block_rules(const config::Block& block);

// Checks the errno is one a user may choose (EPERM, EACCES, ENOSYS).
Status check_block_errno(int errno_value);

}  // namespace ipcbox::seccomp
