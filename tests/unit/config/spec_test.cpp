// Names and strings of spec values, and byte sizes.
#include "config/spec.hpp"

#include <gtest/gtest.h>

#include "config/load.hpp"

namespace ipcbox::config {
namespace {

TEST(ConfigOrigin, FormatsFileLineColumn) {
    EXPECT_EQ((Origin{"spec.toml", 12, 3}.str()), "spec.toml:12:3");
    EXPECT_EQ((Origin{"spec.toml", 0, 0}.str()), "spec.toml");
    EXPECT_EQ(Origin{}.str(), "<command line>");
}

TEST(ConfigKinds, NamesRoundTrip) {
    const char* expected[] = {"sysv.queue",  "sysv.semaphore", "sysv.shm",
                              "posix.queue", "posix.shm",      "posix.semaphore"};
    size_t i = 0;
    for (IpcKind kind : kAllIpcKinds) {
        EXPECT_STREQ(kind_name(kind), expected[i++]);
        EXPECT_EQ(kind_from_name(kind_name(kind)), kind);
    }
    EXPECT_EQ(kind_from_name("sysv.que"), std::nullopt);
    EXPECT_EQ(kind_from_name("SYSV.QUEUE"), std::nullopt);
}

TEST(ConfigSysvKey, Str) {
    SysvKey literal;
    literal.value = 0x1234;
    EXPECT_EQ(literal.str(), "key 0x1234");
    SysvKey negative;
    negative.value = -559038737;
    EXPECT_EQ(negative.str(), "key 0xdeadbeef");
    SysvKey ftok;
    ftok.ftok_path = "/p";
    ftok.ftok_proj = 65;
    EXPECT_EQ(ftok.str(), "ftok(/p, 65)");
    EXPECT_EQ(SysvKey{}.str(), "no key");
}

TEST(ConfigSize, PlainAndSuffixed) {
    EXPECT_EQ(parse_size("0").value(), 0u);
    EXPECT_EQ(parse_size("4096").value(), 4096u);
    EXPECT_EQ(parse_size("64K").value(), 65536u);
    EXPECT_EQ(parse_size("64M").value(), 67108864u);
    EXPECT_EQ(parse_size("2G").value(), 2147483648u);
    EXPECT_EQ(parse_size("18446744073709551615").value(), 18446744073709551615u);
    EXPECT_EQ(parse_size("17179869183G").value(), 17179869183ull << 30);
}

TEST(ConfigSize, Rejects) {
    const std::string shape =
        " is not a size (a whole number of bytes with an optional K, M or G "
        "suffix)";
    for (const char* bad : {"", "K", "-1", "+1", "1.5M", "64k", "64 M", "64MB", "0x10", " 1"}) {
        Result<uint64_t> r = parse_size(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().message, "'" + std::string(bad) + "'" + shape);
    }
    EXPECT_EQ(parse_size("17179869184G").error().message, "'17179869184G' is too large");
    EXPECT_EQ(parse_size("18446744073709551616").error().message,
              "'18446744073709551616' is too large");
}

}  // namespace
}  // namespace ipcbox::config
