// Ids read in the setup's user namespace, shown as a nested namespace sees them.
#include "ns/id_view.hpp"

#include <gtest/gtest.h>

namespace ipcbox::ns {
namespace {

TEST(IdView, AsReadWithoutRanges) {
    IdView view;
    EXPECT_TRUE(view.as_read());
    EXPECT_EQ(view.uid(0), 0u);
    EXPECT_EQ(view.gid(1234), 1234u);
}

TEST(IdView, OneIdOfANestedNamespace) {
    const IdView view = view_of(IdMapping{65534, 100, 0, 0});
    EXPECT_FALSE(view.as_read());
    EXPECT_EQ(view.uid(0), 65534u);
    EXPECT_EQ(view.gid(0), 100u);
    // Not mapped there: the kernel's overflow id.
    EXPECT_EQ(view.uid(1), 65534u);
    EXPECT_EQ(view.gid(7), 65534u);
}

TEST(IdView, RangesFromAMapFile) {
    auto ranges =
        parse_id_map("         0       1000          1\n      1000     100000      65536\n");
    ASSERT_TRUE(ranges.ok()) << ranges.error().message;
    ASSERT_EQ(ranges->size(), 2u);
    IdView view{*ranges, *ranges};
    EXPECT_EQ(view.uid(1000), 0u);
    EXPECT_EQ(view.uid(100000), 1000u);
    EXPECT_EQ(view.uid(165535), 66535u);
    EXPECT_EQ(view.uid(165536), 65534u);
    EXPECT_EQ(view.uid(999), 65534u);
}

TEST(IdView, MalformedMapLine) {
    auto ranges = parse_id_map("0 1000\n");
    ASSERT_FALSE(ranges.ok());
    EXPECT_EQ(ranges.error().message, "not an id map line: '0 1000'");
    EXPECT_FALSE(parse_id_map("0 99999999999 1\n").ok());
}

}  // namespace
}  // namespace ipcbox::ns
