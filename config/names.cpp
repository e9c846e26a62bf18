// The spelling of every enumerated value, in one table each, for the parser and the flags.
#include <array>
#include <utility>

#include "config/spec.hpp"

namespace ipcbox::config {
namespace {

constexpr std::array<std::pair<UserMode, const char*>, 3> kUserModes{
    {{UserMode::Auto, "auto"}, {UserMode::New, "new"}, {UserMode::Host, "host"}}};
constexpr std::array<std::pair<DevShmMode, const char*>, 3> kDevShmModes{
    {{DevShmMode::Private, "private"}, {DevShmMode::None, "none"}, {DevShmMode::Host, "host"}}};
constexpr std::array<std::pair<int, const char*>, 3> kErrnos{
    {{EPERM, "EPERM"}, {EACCES, "EACCES"}, {ENOSYS, "ENOSYS"}}};
constexpr std::array<std::pair<Scope, const char*>, 2> kScopes{
    {{Scope::AbstractUnix, "abstract-unix"}, {Scope::Signal, "signal"}}};

template <class T, size_t N>
const char* name_of(const std::array<std::pair<T, const char*>, N>& table, T value) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "?";
}

template <class T, size_t N>
std::optional<T> value_of(const std::array<std::pair<T, const char*>, N>& table,
                          const std::string& name) {
    for (const auto& [v, n] : table)
        if (name == n) return v;
    return std::nullopt;
}

}  // namespace

const char* user_mode_name(UserMode mode) {
    return name_of(kUserModes, mode);
}
std::optional<UserMode> user_mode_from_name(const std::string& name) {
    return value_of(kUserModes, name);
}
const char* dev_shm_mode_name(DevShmMode mode) {
    return name_of(kDevShmModes, mode);
}
std::optional<DevShmMode> dev_shm_mode_from_name(const std::string& name) {
    return value_of(kDevShmModes, name);
}
const char* errno_name(int err) {
    return name_of(kErrnos, err);
}
std::optional<int> errno_from_name(const std::string& name) {
    return value_of(kErrnos, name);
}
const char* scope_name(Scope scope) {
    return name_of(kScopes, scope);
}
std::optional<Scope> scope_from_name(const std::string& name) {
    return value_of(kScopes, name);
}

}  // namespace ipcbox::config
