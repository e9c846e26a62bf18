#include "config/capabilities.hpp"

#include <array>
#include <cctype>

#include "base/text.hpp"
#include "config/suggest.hpp"

namespace ipcbox::config {
namespace {

// Indexed by the capability's number (linux/capability.h).
constexpr std::array<std::string_view, kCapabilityCount> kNames = {"CAP_CHOWN",
                                                                   "CAP_DAC_OVERRIDE",
                                                                   "CAP_DAC_READ_SEARCH",
                                                                   "CAP_FOWNER",
                                                                   "CAP_FSETID",
                                                                   "CAP_KILL",
                                                                   "CAP_SETGID",
                                                                   "CAP_SETUID",
                                                                   "CAP_SETPCAP",
                                                                   "CAP_LINUX_IMMUTABLE",
                                                                   "CAP_NET_BIND_SERVICE",
                                                                   "CAP_NET_BROADCAST",
                                                                   "CAP_NET_ADMIN",
                                                                   "CAP_NET_RAW",
                                                                   "CAP_IPC_LOCK",
                                                                   "CAP_IPC_OWNER",
                                                                   "CAP_SYS_MODULE",
                                                                   "CAP_SYS_RAWIO",
                                                                   "CAP_SYS_CHROOT",
                                                                   "CAP_SYS_PTRACE",
                                                                   "CAP_SYS_PACCT",
                                                                   "CAP_SYS_ADMIN",
                                                                   "CAP_SYS_BOOT",
                                                                   "CAP_SYS_NICE",
                                                                   "CAP_SYS_RESOURCE",
                                                                   "CAP_SYS_TIME",
                                                                   "CAP_SYS_TTY_CONFIG",
                                                                   "CAP_MKNOD",
                                                                   "CAP_LEASE",
                                                                   "CAP_AUDIT_WRITE",
                                                                   "CAP_AUDIT_CONTROL",
                                                                   "CAP_SETFCAP",
                                                                   "CAP_MAC_OVERRIDE",
                                                                   "CAP_MAC_ADMIN",
                                                                   "CAP_SYSLOG",
                                                                   "CAP_WAKE_ALARM",
                                                                   "CAP_BLOCK_SUSPEND",
                                                                   "CAP_AUDIT_READ",
                                                                   "CAP_PERFMON",
                                                                   "CAP_BPF",
                                                                   "CAP_CHECKPOINT_RESTORE"};

std::string canonical(std::string_view name) {
    std::string upper;
    for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper.rfind("CAP_", 0) != 0) upper = "CAP_" + upper;
    return upper;
}

}  // namespace

std::span<const std::string_view> capability_names() {
    return kNames;
}

const char* capability_name(Capability cap) {
    const auto n = static_cast<size_t>(cap);
    return n < kNames.size() ? kNames[n].data() : "CAP_?";
}

std::optional<Capability> capability_from_name(std::string_view name) {
    const std::string wanted = canonical(name);
    for (size_t n = 0; n < kNames.size(); ++n)
        if (kNames[n] == wanted) return Capability{static_cast<uint8_t>(n)};
    return std::nullopt;
}

std::string unknown_capability_message(std::string_view name) {
    std::string message = "'" + printable(std::string(name)) + "' is not a capability";
    const std::string wanted = canonical(name);
    if (auto near = closest(wanted, kNames))
        message += "; did you mean \"" + std::string(*near) + "\"?";
    return message;
}

}  // namespace ipcbox::config
