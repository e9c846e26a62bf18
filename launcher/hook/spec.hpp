// Which spec an OCI hook applies to a container, and where the container's root filesystem is.
// Annotations come from whoever creates the container (a Kubernetes user), so they may only name
// a spec in the administrator's directory, never a host path.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "config/spec.hpp"
#include "launcher/hook/oci_state.hpp"

namespace ipcbox::launcher {

inline constexpr const char* kSpecAnnotation = "io.ipcbox.spec";
inline constexpr const char* kInlineSpecAnnotation = "io.ipcbox.spec.toml";
inline constexpr const char* kDefaultSpecDir = "/etc/ipcbox/specs";
inline constexpr const char* kBundleSpecFile = "ipcbox.toml";
inline constexpr size_t kMaxSpecNameLength = 128;

struct SpecLookup {
    std::string spec_dir = kDefaultSpecDir;
    bool allow_inline = false;  // honour io.ipcbox.spec.toml (file references are then refused)
};

struct HookSpec {
    std::string source;  // for the log: the file, or "annotation io.ipcbox.spec.toml"
    config::Spec spec;   // loaded and validated
};

// A spec name from the io.ipcbox.spec annotation: 1 to kMaxSpecNameLength letters, digits, '.',
// '_' and '-', not starting with '.' and without "..".
Status check_spec_name(std::string_view name);

// In order: io.ipcbox.spec = NAME -> <spec_dir>/NAME.toml; io.ipcbox.spec.toml (inline, only
// with allow_inline); <bundle>/ipcbox.toml. nullopt when none applies: the container runs as is.
Result<std::optional<HookSpec>> find_hook_spec(const OciState& state, const SpecLookup& lookup);

// What the hook needs from <bundle>/config.json.
struct BundleConfig {
    std::string rootfs;                          // root.path, absolute (relative to the bundle)
    std::map<std::string, std::string> sysctls;  // linux.sysctl: the runtime writes these later
};
Result<BundleConfig> read_bundle_config(const std::string& bundle);

}  // namespace ipcbox::launcher
