// Name rules (see value_rules.hpp).
#include "config/value_rules.hpp"

#include "base/text.hpp"

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

namespace {

// `path` is `dir` or under it.
bool at_or_under(std::string_view path, std::string_view dir) {
    return path == dir || (path.size() > dir.size() && path.substr(0, dir.size()) == dir &&
                           path[dir.size()] == '/');
}

}  // namespace

Result<std::string> tmpfs_path(std::string_view path) {
    const std::string shown = "'" + printable(path) + "'";
    if (path.find('\0') != std::string_view::npos) return Error::of(shown + " contains a NUL byte");
    if (path.empty() || path[0] != '/') return Error::of(shown + " is not an absolute path");
    std::string normal;
    for (size_t start = 0; start < path.size();) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view part = path.substr(start, end - start);
        if (part == "." || part == "..")
            return Error::of(shown + " has a '.' or '..' component; write the path it stands for");
        if (!part.empty()) normal += "/" + std::string(part);
        start = end + 1;
    }
    if (normal.empty())
        return Error::of(shown + " would hide the whole file system, the command with it");
    if (at_or_under(normal, "/dev/shm"))
        return Error::of(shown + " is /dev/shm or under it: /dev/shm has its own setting, dev_shm");
    if (at_or_under("/dev/shm", normal))
        return Error::of(shown + " would hide the sandbox's /dev/shm (dev_shm.mode) and devices");
    if (at_or_under(normal, "/proc"))
        return Error::of(shown + " is /proc or under it: ipcbox reads the kernel's /proc there");
    return normal;
}

}  // namespace ipcbox::config
