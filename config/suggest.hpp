// "Did you mean ...?" for misspelt keys and values.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ipcbox::config {

// The candidate `word` most likely is a typo of: the same word in another case, or one at most two
// edits away (insert, delete, substitute, swap of neighbours) and changed in less than half its
// length. Ties go to the earlier candidate.
std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates);

bool equal_ignoring_case(std::string_view a, std::string_view b);

// `'a', 'b', 'c'` with the given quote character.
std::string quoted_list(std::span<const std::string_view> items, char quote);

}  // namespace ipcbox::config
