// Name rules (see value_rules.hpp).
#include "config/value_rules.hpp"

namespace ipcbox::config {

bool is_valid_hostname(std::string_view name) {
    if (name.size() > 64) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (!ok) return false;
    }
    return true;
}

bool is_valid_posix_name(std::string_view name) {
    if (name.size() < 2 || name.size() > 255 || name[0] != '/') return false;
    std::string_view rest = name.substr(1);
    // Both would name a directory under /dev/shm or /dev/mqueue rather than an object.
    if (rest == "." || rest == "..") return false;
    return rest.find('/') == std::string_view::npos && rest.find('\0') == std::string_view::npos;
}

}  // namespace ipcbox::config
