#include "seccomp/landlock.hpp"

#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "base/unique_fd.hpp"

// Debian 12's kernel headers (6.1) know Landlock up to ABI 2: they lack the scopes (ABI 6) and the
// fields of struct landlock_ruleset_attr before them. These are the kernel's values and layout
// (include/uapi/linux/landlock.h since 6.12); newer headers are used as they are.
#ifndef LANDLOCK_SCOPE_SIGNAL
#define IPCBOX_OWN_LANDLOCK_ATTR 1
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

namespace ipcbox::seccomp {
namespace {

#ifdef IPCBOX_OWN_LANDLOCK_ATTR
struct RulesetAttr {
    __u64 handled_access_fs;
    __u64 handled_access_net;  // ABI 4
    __u64 scoped;              // ABI 6
};
#else
using RulesetAttr = landlock_ruleset_attr;
#endif

// glibc has no wrappers for the Landlock calls; these are the bare system calls.
long create_ruleset(const RulesetAttr* attr, size_t size, uint32_t flags) {
    return syscall(SYS_landlock_create_ruleset, attr, size, flags);
}

}  // namespace

std::string LandlockAbi::str() const {
    if (version > 0) return "ABI " + std::to_string(version);
    if (err == ENOSYS) return "none (not built into this kernel)";
    if (err == EOPNOTSUPP) return "none (disabled at boot)";
    return "none (" + Error::from_errno("landlock_create_ruleset", err).message + ")";
}

LandlockAbi query_landlock_abi() {
    const long v = create_ruleset(nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (v < 0) return LandlockAbi{0, errno};
    return LandlockAbi{static_cast<int>(v), 0};
}

Result<LandlockScopes> plan_scopes(const std::vector<config::Scope>& scopes,
                                   const LandlockAbi& abi) {
    LandlockScopes planned;
    for (config::Scope scope : scopes) {
        (scope == config::Scope::AbstractUnix ? planned.abstract_unix : planned.signal) = true;
    }
    if (!planned.any() || abi.version >= kLandlockScopesAbi) return planned;
    Error e = Error::of("sandbox.scope: Landlock scopes need Landlock ABI " +
                        std::to_string(kLandlockScopesAbi) + " (Linux 6.12); this kernel has " +
                        abi.str());
    e.err = abi.err;
    if (abi.err == EOPNOTSUPP)
        return std::move(e).with_hint("add landlock to the kernel's lsm= boot parameter");
    return std::move(e).with_hint(
        "leave sandbox.scope out; sandbox.net and sandbox.pid isolate abstract sockets and "
        "signals with namespaces instead");
}

Status restrict_scopes(const LandlockScopes& scopes) {
    if (!scopes.any()) return {};
    RulesetAttr attr{};
    if (scopes.abstract_unix) attr.scoped |= LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
    if (scopes.signal) attr.scoped |= LANDLOCK_SCOPE_SIGNAL;
    // Only scopes are handled: file system and network access stay as they are.
    UniqueFd ruleset(static_cast<int>(create_ruleset(&attr, sizeof attr, 0)));
    if (!ruleset.valid()) return Error::from_errno("landlock_create_ruleset", errno);
    if (syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0)
        return Error::from_errno("landlock_restrict_self", errno);
    return {};
}

}  // namespace ipcbox::seccomp
