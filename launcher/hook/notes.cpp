#include "launcher/hook/notes.hpp"

namespace ipcbox::launcher {

std::vector<std::string> runtime_only_notes(const config::Spec& spec) {
    std::vector<std::string> notes;
    const config::Sandbox sandbox_defaults;
    const config::Sandbox& s = spec.sandbox;
    if (s.user != sandbox_defaults.user || s.uid != sandbox_defaults.uid ||
        s.gid != sandbox_defaults.gid || s.mount != sandbox_defaults.mount ||
        s.net != sandbox_defaults.net || s.pid != sandbox_defaults.pid ||
        s.hostname != sandbox_defaults.hostname ||
        s.die_with_parent != sandbox_defaults.die_with_parent ||
        s.timeout_seconds != sandbox_defaults.timeout_seconds || !s.scopes.empty() ||
        !s.tmpfs.empty() || !s.capabilities.empty())
        notes.push_back(
            "[sandbox] is not applied: the runtime's config.json decides the "
            "container's namespaces, ids, capabilities and lifetime");
    const config::DevShm dev_shm_defaults;
    if (spec.dev_shm.mode != dev_shm_defaults.mode ||
        spec.dev_shm.size_bytes != dev_shm_defaults.size_bytes)
        notes.push_back(
            "[dev_shm] is not applied: the container's /dev/shm is a mount in its "
            "config.json");
    if (!spec.block.kinds.empty() || !spec.block.create.empty())
        notes.push_back(
            "[block] is not applied: only the runtime can load a seccomp filter; "
            "put the output of 'ipcbox export seccomp -c SPEC' in config.json's "
            "linux.seccomp");
    if (spec.leaks.report != config::LeakOutput::Off || spec.leaks.fail)
        notes.push_back("[leaks] is not applied: the hook does not see the container exit");
    return notes;
}

std::vector<std::string> overridden_sysctl_notes(const config::Spec& spec,
                                                 const BundleConfig& bundle) {
    std::vector<std::string> notes;
    for (const config::Sysctl& s : spec.sysctls) {
        const auto it = bundle.sysctls.find(s.key);
        if (it != bundle.sysctls.end() && it->second != s.value)
            notes.push_back("[sysctl] " + s.key + " = " + s.value +
                            " is replaced by config.json's linux.sysctl value " + it->second +
                            ", which the runtime writes after the hook");
    }
    return notes;
}

}  // namespace ipcbox::launcher
