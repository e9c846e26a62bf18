#include "ns/id_view.hpp"

#include <sstream>

#include "base/text.hpp"

namespace ipcbox::ns {
namespace {

// The kernel shows an unmapped id as /proc/sys/kernel/overflowuid, 65534 unless changed.
constexpr uint32_t kOverflowId = 65534;

// No ranges: the view is the namespace the ids were read in.
uint32_t translate(const std::vector<IdRange>& ranges, uint32_t outside) {
    if (ranges.empty()) return outside;
    for (const IdRange& r : ranges)
        if (outside >= r.outside && outside - r.outside < r.count)
            return r.inside + (outside - r.outside);
    return kOverflowId;
}

}  // namespace

uint32_t IdView::uid(uint32_t outside) const {
    return translate(uids, outside);
}

uint32_t IdView::gid(uint32_t outside) const {
    return translate(gids, outside);
}

IdView view_of(const IdMapping& m) {
    return IdView{{{m.inside_uid, m.outside_uid, 1}}, {{m.inside_gid, m.outside_gid, 1}}};
}

Result<std::vector<IdRange>> parse_id_map(const std::string& text) {
    std::vector<IdRange> ranges;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        std::istringstream fields(line);
        uint64_t inside = 0, outside = 0, count = 0;
        if (!(fields >> inside >> outside >> count) || inside > UINT32_MAX ||
            outside > UINT32_MAX || count > UINT32_MAX)
            return Error::of("not an id map line: '" + printable(line) + "'");
        ranges.push_back({static_cast<uint32_t>(inside), static_cast<uint32_t>(outside),
                          static_cast<uint32_t>(count)});
    }
    return ranges;
}

}  // namespace ipcbox::ns
