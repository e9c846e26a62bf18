#include "launcher/hook/oci_state.hpp"

#include <limits>
#include <nlohmann/json.hpp>

namespace ipcbox::launcher {
namespace {

using nlohmann::json;

Error field_error(const std::string& name, const std::string& expected) {
    return Error::of("OCI state: \"" + name + "\" must be " + expected);
}

// A string member, or "" when absent.
Result<std::string> optional_string(const json& state, const char* name) {
    auto it = state.find(name);
    if (it == state.end() || it->is_null()) return std::string();
    if (!it->is_string()) return field_error(name, "a string");
    return it->get<std::string>();
}

Result<std::optional<pid_t>> read_pid(const json& state) {
    auto it = state.find("pid");
    if (it == state.end() || it->is_null()) return std::optional<pid_t>();
    if (!it->is_number_integer()) return field_error("pid", "an integer");
    const auto value = it->get<int64_t>();
    if (value < 0 || value > std::numeric_limits<pid_t>::max())
        return field_error("pid", "a process id, got " + std::to_string(value));
    // runc reports pid 0 for a container without a process.
    if (value == 0) return std::optional<pid_t>();
    return std::optional<pid_t>(static_cast<pid_t>(value));
}

Result<std::map<std::string, std::string>> read_annotations(const json& state) {
    std::map<std::string, std::string> out;
    auto it = state.find("annotations");
    if (it == state.end() || it->is_null()) return out;
    if (!it->is_object()) return field_error("annotations", "an object");
    for (const auto& [key, value] : it->items()) {
        if (!value.is_string()) return field_error("annotations." + key, "a string");
        out.emplace(key, value.get<std::string>());
    }
    return out;
}

}  // namespace

Result<OciState> parse_oci_state(std::string_view text) {
    json state = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (state.is_discarded()) return Error::of("OCI state on stdin is not valid JSON");
    if (!state.is_object()) return Error::of("OCI state on stdin is not a JSON object");

    OciState out;
    auto version = optional_string(state, "ociVersion");
    if (!version) return std::move(version).error();
    auto id = optional_string(state, "id");
    if (!id) return std::move(id).error();
    auto status = optional_string(state, "status");
    if (!status) return std::move(status).error();
    auto bundle = optional_string(state, "bundle");
    if (!bundle) return std::move(bundle).error();
    auto pid = read_pid(state);
    if (!pid) return std::move(pid).error();
    auto annotations = read_annotations(state);
    if (!annotations) return std::move(annotations).error();
    out.oci_version = std::move(version).value();
    out.id = std::move(id).value();
    out.status = std::move(status).value();
    out.bundle = std::move(bundle).value();
    out.pid = *pid;
    out.annotations = std::move(annotations).value();
    return out;
}

}  // namespace ipcbox::launcher
