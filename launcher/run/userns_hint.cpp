#include "launcher/run/userns_hint.hpp"

#include "base/io.hpp"

namespace ipcbox::launcher {

std::string userns_denied_hint(const std::optional<std::string>& apparmor_restrict,
                               const std::string& profile) {
    if (apparmor_restrict && apparmor_restrict->starts_with("1"))
        return "kernel.apparmor_restrict_unprivileged_userns = 1: AppArmor lets only programs "
               "whose profile allows it make user namespaces; load ipcbox's profile with "
               "'apparmor_parser -r " +
               profile + "' (as root; the ipcbox package does it), or run as root";
    return "unprivileged user namespaces look disabled here (see sysctls "
           "kernel.unprivileged_userns_clone, user.max_user_namespaces and "
           "kernel.apparmor_restrict_unprivileged_userns; inside a container, its seccomp "
           "profile may forbid them)";
}

std::string userns_denied_hint_here() {
    std::optional<std::string> restrict;
    if (auto text = read_whole_file(kAppArmorRestrictFile, 64)) restrict = std::move(text).value();
    return userns_denied_hint(restrict, IPCBOX_APPARMOR_PROFILE);
}

}  // namespace ipcbox::launcher
