// How ids read in one user namespace look from a namespace nested below it: the command of a
// sandbox with a nested user namespace sees the owner of an object as its own uid, while ls and
// the leak check read it as the setup's root.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "ns/user.hpp"

namespace ipcbox::ns {

// One line of /proc/PID/uid_map or gid_map: `count` ids from `inside` (in the nested namespace)
// are `outside` ones (in the namespace the map was read from).
struct IdRange {
    uint32_t inside = 0;
    uint32_t outside = 0;
    uint32_t count = 0;
};

struct IdView {
    std::vector<IdRange> uids, gids;  // both empty: ids are shown as read
    bool as_read() const { return uids.empty() && gids.empty(); }
    // The id as the nested namespace sees it; 65534 (the kernel's overflow id) when it is not
    // mapped there.
    uint32_t uid(uint32_t outside) const;
    uint32_t gid(uint32_t outside) const;
};

// The one id each of a nested namespace made from `mapping` (inside -> outside).
IdView view_of(const IdMapping& mapping);

// "inside outside count" lines; an error names the line.
Result<std::vector<IdRange>> parse_id_map(const std::string& text);

}  // namespace ipcbox::ns
