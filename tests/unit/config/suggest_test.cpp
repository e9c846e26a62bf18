// "Did you mean" suggestions: close typos get one, different words do not.
#include "config/suggest.hpp"

#include <gtest/gtest.h>

namespace ipcbox::config {
namespace {

constexpr std::string_view kKeys[] = {"user", "uid", "gid", "mount", "net", "pid", "hostname"};

std::string suggest(std::string_view word) {
    std::optional<std::string_view> near = closest(word, kKeys);
    return near ? std::string(*near) : "(none)";
}

TEST(ConfigSuggest, Typos) {
    EXPECT_EQ(suggest("usr"), "user");      // deletion
    EXPECT_EQ(suggest("uesr"), "user");     // swapped neighbours
    EXPECT_EQ(suggest("mounts"), "mount");  // insertion
    EXPECT_EQ(suggest("hostnmae"), "hostname");
    EXPECT_EQ(suggest("host_name"), "hostname");
    EXPECT_EQ(suggest("HOSTNAME"), "hostname");  // case alone, however many letters
    EXPECT_EQ(suggest("Net"), "net");
}

TEST(ConfigSuggest, DifferentWords) {
    EXPECT_EQ(suggest("network"), "(none)");
    EXPECT_EQ(suggest("xx"), "(none)");
    EXPECT_EQ(suggest("hst"), "(none)");  // two edits from "net" is most of the word
    EXPECT_EQ(suggest(""), "(none)");
}

TEST(ConfigSuggest, TiesGoToTheEarlierCandidate) {
    EXPECT_EQ(suggest("xid"), "uid");  // one edit from uid, gid and pid
}

TEST(ConfigSuggest, QuotedList) {
    constexpr std::string_view items[] = {"a", "b c"};
    EXPECT_EQ(quoted_list(items, '"'), "\"a\", \"b c\"");
    EXPECT_EQ(quoted_list(std::span<const std::string_view>(), '\''), "");
}

}  // namespace
}  // namespace ipcbox::config
