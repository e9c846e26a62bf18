// Capability names, for sandbox.capabilities and --cap-add: the kernel's numbers and spellings.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ipcbox::config {

// A capability by the kernel's number (CAP_CHOWN = 0 ... CAP_CHECKPOINT_RESTORE = 40).
enum class Capability : uint8_t {};

inline constexpr int kCapabilityCount = 41;
inline constexpr Capability kCapSysAdmin{21};

// "CAP_NET_ADMIN".
const char* capability_name(Capability cap);

// Accepts the kernel's spelling, in any case, with or without the "CAP_" prefix (as podman and
// capsh do): "CAP_NET_ADMIN", "net_admin".
std::optional<Capability> capability_from_name(std::string_view name);

// Every name, in the kernel's spelling, by number.
std::span<const std::string_view> capability_names();

// "'X' is not a capability; did you mean "CAP_Y"?" (the name is escaped).
std::string unknown_capability_message(std::string_view name);

}  // namespace ipcbox::config
