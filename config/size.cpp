// Byte sizes as written in specs and flags: "4096", "64K", "64M", "1G" (powers of 1024).
#include <charconv>
#include <limits>

#include "base/text.hpp"
#include "config/load.hpp"

namespace ipcbox::config {

namespace {

Error not_a_size(std::string_view text) {
    return Error::of("'" + printable(text) +
                     "' is not a size (a whole number of bytes with an optional K, M or G suffix)");
}

}  // namespace

Result<uint64_t> parse_size(std::string_view text) {
    int shift = 0;
    std::string_view digits = text;
    if (!digits.empty()) {
        switch (digits.back()) {
            case 'K':
                shift = 10;
                break;
            case 'M':
                shift = 20;
                break;
            case 'G':
                shift = 30;
                break;
            default:
                break;
        }
        if (shift != 0) digits.remove_suffix(1);
    }
    // from_chars alone would accept a leading '-' and stop at the first non-digit.
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
        return not_a_size(text);
    }
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() ||
        value > (std::numeric_limits<uint64_t>::max() >> shift)) {
        return Error::of("'" + printable(text) + "' is too large");
    }
    return value << shift;
}

}  // namespace ipcbox::config
