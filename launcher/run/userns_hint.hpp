// The hint for a user namespace ipcbox was not allowed to make. On hosts where AppArmor restricts
// unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1: Ubuntu 23.10
// and later, GitHub's ubuntu-24.04 runners) only a program with a profile allowing `userns` may
// make one, and the hint names the profile ipcbox ships for that.
#pragma once

#include <optional>
#include <string>

namespace ipcbox::launcher {

inline constexpr const char* kAppArmorRestrictFile =
    "/proc/sys/kernel/apparmor_restrict_unprivileged_userns";

// `apparmor_restrict`: the contents of kAppArmorRestrictFile, nullopt where it does not exist.
std::string userns_denied_hint(const std::optional<std::string>& apparmor_restrict,
                               const std::string& profile);

// The hint for this host, with the profile path ipcbox was built to install.
std::string userns_denied_hint_here();

}  // namespace ipcbox::launcher
