// The did-you-mean of a mistyped flag: a close spelling, or the one flag a short word begins.
#include "launcher/flag_errors.hpp"

#include <gtest/gtest.h>

#include <string_view>

#include "launcher/run/options.hpp"

namespace ipcbox::launcher {
namespace {

constexpr std::string_view kFlags[] = {"net", "no-net", "timeout", "tmpfs", "pid", "no-pid"};

TEST(ClosestFlag, CloseSpellingOrTheOnlyFlagItBegins) {
    EXPECT_EQ(closest_flag("--nett", kFlags), "net");
    EXPECT_EQ(closest_flag("--time", kFlags), "timeout");
    EXPECT_EQ(closest_flag("--time=5", kFlags), "timeout");
    EXPECT_EQ(closest_flag("--tmfps", kFlags), "tmpfs");
    EXPECT_EQ(closest_flag("-no-pdi", kFlags), "no-pid");
    // Nothing close, a beginning shared by two flags, or nothing typed at all: no guess.
    EXPECT_EQ(closest_flag("--frobnicate", kFlags), "");
    EXPECT_EQ(closest_flag("--t", kFlags), "");
    EXPECT_EQ(closest_flag("--", kFlags), "");
}

TEST(ClosestFlag, RunOptionsNameIt) {
    auto typo = parse_run_options({"--nett", "true"});
    ASSERT_FALSE(typo);
    EXPECT_EQ(typo.error().message, "unrecognised option '--nett'; did you mean '--net'?");
    EXPECT_EQ(typo.error().hint, "see 'ipcbox run --help'");
    auto cut = parse_run_options({"--time", "5", "true"});
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().message, "unrecognised option '--time'; did you mean '--timeout'?");
    constexpr std::string_view kMore[] = {"json"};
    auto probe = parse_run_options({"--jsn"}, "probe", kMore);
    ASSERT_FALSE(probe);
    EXPECT_EQ(probe.error().message, "unrecognised option '--jsn'; did you mean '--json'?");
    EXPECT_EQ(probe.error().hint, "see 'ipcbox probe --help'");
}

}  // namespace
}  // namespace ipcbox::launcher
