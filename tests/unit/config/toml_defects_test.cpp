// Inputs that reach defects of toml++ 3.3.0 (Debian 12's): each must come back as a positioned
// parse error, never as undefined behaviour or an aborted assertion. These run in the ASan+UBSan
// build (tests/run.sh), where the defects are caught if the guards in toml_tree.cpp are lost.
#include <gtest/gtest.h>

#include <string>

#include "config/toml_tree.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::load_error;

// toml++ asks whether a non-ASCII character after '=' is whitespace; for U+00A1..U+0499,
// U+2DAE..U+31A7 and U+FB46..U+FEFE its generated table reaches __builtin_unreachable().
TEST(TomlDefects, NonAsciiAfterEqualsIsAParseErrorInEveryUnreachableRange) {
    for (const char* value :
         {"\u01e3", "\u00a1", "\u0499", "\u2dae", "\u31a7", "\ufb46", "\ufefe"}) {
        const std::string toml = std::string("x = ") + value + "\n";
        Result<TomlNode> parsed = parse_toml(toml, "spec.toml");
        ASSERT_FALSE(parsed.ok()) << toml;
        EXPECT_EQ(parsed.error().message.rfind("spec.toml:1:", 0), 0u) << parsed.error().message;
    }
}

// The value is what toml++ cannot read, and is named as such.
TEST(TomlDefects, NonAsciiValueNamesItsPosition) {
    EXPECT_EQ(load_error("[sandbox]\nhostname = \u01e3\n"),
              "spec.toml:2:12: Error while parsing value: could not determine value type");
}

// "[,a]": toml++ asserts that a key starts with a key character before checking it.
TEST(TomlDefects, TableHeaderStartingWithACommaIsAParseError) {
    EXPECT_EQ(load_error("[,a]\n"),
              "spec.toml:1:2: Error while parsing key: expected bare key "
              "starting character or string delimiter, saw ','");
    EXPECT_EQ(load_error("[sandbox]\n,x = 1\n").rfind("spec.toml:2:1: ", 0), 0u);
}

}  // namespace
}  // namespace ipcbox::config
