#include "ns/user.hpp"

#include <string>

#include "base/io.hpp"

namespace ipcbox::ns {

Status write_id_maps(const IdMapping& m) {
    auto line = [](uint32_t inside, uint32_t outside) {
        return std::to_string(inside) + " " + std::to_string(outside) + " 1\n";
    };
    if (auto s = write_file("/proc/self/setgroups", "deny\n"); !s) return std::move(s).error();
    if (auto s = write_file("/proc/self/gid_map", line(m.inside_gid, m.outside_gid)); !s)
        return std::move(s).error();
    if (auto s = write_file("/proc/self/uid_map", line(m.inside_uid, m.outside_uid)); !s)
        return std::move(s).error();
    return {};
}

}  // namespace ipcbox::ns
