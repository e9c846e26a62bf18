#include "launcher/hook/spec.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/io.hpp"
#include "config/load.hpp"
#include "launcher/hook/payload_files.hpp"

namespace ipcbox::launcher {
namespace {

constexpr uint64_t kMaxConfigJsonBytes = 16 << 20;

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

Result<HookSpec> validated(Result<config::Spec> spec, std::string source) {
    if (!spec) return std::move(spec).error();
    if (Status s = config::validate(*spec); !s) return std::move(s).error();
    return HookSpec{std::move(source), std::move(spec).value()};
}

Result<std::optional<HookSpec>> found(Result<HookSpec> spec) {
    if (!spec) return std::move(spec).error();
    return std::optional<HookSpec>(std::move(spec).value());
}

Status absolute_bundle(const std::string& bundle) {
    if (bundle.empty() || bundle[0] != '/')
        return Error::of("OCI state: \"bundle\" must be an absolute path, got \"" + bundle + "\"");
    return {};
}

}  // namespace

Status check_spec_name(std::string_view name) {
    const std::string shown = "annotation " + std::string(kSpecAnnotation) + ": ";
    if (name.empty()) return Error::of(shown + "empty spec name");
    if (name.size() > kMaxSpecNameLength)
        return Error::of(shown + "spec name longer than " + std::to_string(kMaxSpecNameLength) +
                         " characters");
    for (char c : name)
        if (!name_char(c))
            return Error::of(shown + "'" + std::string(name) +
                             "' is not a spec name (letters, digits, '.', '_' and '-' only)");
    // ".", ".." and hidden files are never spec names; ".." anywhere is refused outright.
    if (name[0] == '.' || name.find("..") != std::string_view::npos)
        return Error::of(shown + "'" + std::string(name) +
                         "' is not a spec name (it may not start with '.' or contain '..')");
    return {};
}

Result<std::optional<HookSpec>> find_hook_spec(const OciState& state, const SpecLookup& lookup) {
    if (auto it = state.annotations.find(kSpecAnnotation); it != state.annotations.end()) {
        if (Status s = check_spec_name(it->second); !s) return std::move(s).error();
        const std::string path = lookup.spec_dir + "/" + it->second + ".toml";
        // Said in words of its own: podman reads strerror(ENOENT) in a hook's output as exit 127.
        if (access(path.c_str(), F_OK) != 0 && errno == ENOENT)
            return Error::of("spec not found: " + path)
                .with_hint("the io.ipcbox.spec annotation names a spec '" + it->second +
                           "' that is not installed in the hook's spec directory " +
                           lookup.spec_dir + " (--spec-dir)");
        config::LoadOptions options;
        options.open_payload = open_payload_beneath;
        return found(validated(config::load_spec_file(path, options), path));
    }
    if (auto it = state.annotations.find(kInlineSpecAnnotation); it != state.annotations.end()) {
        const std::string source = std::string("annotation ") + kInlineSpecAnnotation;
        // Refused rather than ignored: the container would otherwise run without its fixtures.
        if (!lookup.allow_inline)
            return Error::of(source + " is not accepted by this hook")
                .with_hint("the hook's administrator enables it with 'ipcbox hook --allow-inline'");
        if (Status s = absolute_bundle(state.bundle); !s) return std::move(s).error();
        config::LoadOptions options;
        options.allow_file_references = false;
        return found(
            validated(config::load_spec_string(it->second, source, state.bundle, options), source));
    }
    if (Status s = absolute_bundle(state.bundle); !s) return std::move(s).error();
    const std::string path = state.bundle + "/" + kBundleSpecFile;
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::optional<HookSpec>();
        return Error::from_errno("stat " + path, errno);
    }
    config::LoadOptions options;
    const pid_t pid = state.pid.value_or(0);
    options.open_payload = [pid](const std::string& dir, const std::string& relative) {
        return open_payload_in_container(pid, dir, relative);
    };
    return found(validated(config::load_spec_file(path, options), path));
}

Result<BundleConfig> read_bundle_config(const std::string& bundle) {
    if (Status s = absolute_bundle(bundle); !s) return std::move(s).error();
    const std::string path = bundle + "/config.json";
    auto text = read_whole_file(path, kMaxConfigJsonBytes);
    if (!text) return std::move(text).error().with_context(path);
    const auto doc = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return Error::of(path + ": not a JSON object");
    BundleConfig out;
    const auto root = doc.find("root");
    if (root == doc.end() || !root->is_object() || !root->contains("path") ||
        !root->at("path").is_string())
        return Error::of(path + ": root.path is missing or not a string");
    out.rootfs = root->at("path").get<std::string>();
    if (out.rootfs.empty()) return Error::of(path + ": root.path is empty");
    if (out.rootfs[0] != '/') out.rootfs = bundle + "/" + out.rootfs;
    // Only read for notes: a malformed linux.sysctl is the runtime's to refuse.
    const auto linux_section = doc.find("linux");
    if (linux_section != doc.end() && linux_section->is_object()) {
        const auto sysctl = linux_section->find("sysctl");
        if (sysctl != linux_section->end() && sysctl->is_object())
            for (const auto& [key, value] : sysctl->items())
                if (value.is_string()) out.sysctls.emplace(key, value.get<std::string>());
    }
    return out;
}

}  // namespace ipcbox::launcher
