// Edit distance for key suggestions. Specs have a handful of keys, so the quadratic table is fine.
#include "config/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace ipcbox::config {

namespace {

// Optimal string alignment distance: Levenshtein plus transposition of adjacent characters,
// the most common typing slip ("uesr").
size_t edit_distance(std::string_view a, std::string_view b) {
    const size_t n = a.size(), m = b.size();
    std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
    for (size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (size_t i = 1; i <= n; ++i) {
        for (size_t j = 1; j <= m; ++j) {
            const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[n][m];
}

}  // namespace

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates) {
    for (std::string_view c : candidates) {
        if (equal_ignoring_case(word, c)) return c;
    }
    std::optional<std::string_view> best;
    size_t best_distance = 3;  // more than two edits is not a typo
    for (std::string_view c : candidates) {
        const size_t d = edit_distance(word, c);
        // Changing more than half of a word is a different word: 'key' is not a typo of 'hex'.
        if (d < best_distance && d * 2 < c.size()) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

std::string quoted_list(std::span<const std::string_view> items, char quote) {
    std::string out;
    for (std::string_view item : items) {
        if (!out.empty()) out += ", ";
        out += quote;
        out += item;
        out += quote;
    }
    return out;
}

}  // namespace ipcbox::config
