#include "launcher/run/userns_hint.hpp"

#include <gtest/gtest.h>

#include "base/io.hpp"

namespace ipcbox::launcher {
namespace {

TEST(UsernsHint, NamesTheAppArmorRestrictionAndTheProfileWhenItIsOn) {
    const std::string hint = userns_denied_hint(std::string("1\n"), "/etc/apparmor.d/ipcbox");
    EXPECT_NE(hint.find("kernel.apparmor_restrict_unprivileged_userns = 1"), std::string::npos)
        << hint;
    EXPECT_NE(hint.find("apparmor_parser -r /etc/apparmor.d/ipcbox"), std::string::npos) << hint;
    EXPECT_EQ(hint.find("look disabled"), std::string::npos) << hint;
}

TEST(UsernsHint, GivesTheGeneralSysctlsWhenTheRestrictionIsOffOrAbsent) {
    for (const std::optional<std::string>& value :
         {std::optional<std::string>("0\n"), std::optional<std::string>()}) {
        const std::string hint = userns_denied_hint(value, "/etc/apparmor.d/ipcbox");
        EXPECT_NE(hint.find("unprivileged user namespaces look disabled"), std::string::npos)
            << hint;
        EXPECT_EQ(hint.find("/etc/apparmor.d/ipcbox"), std::string::npos) << hint;
    }
}

TEST(UsernsHint, OnThisHostFollowsTheSysctlFile) {
    auto sysctl = read_whole_file(kAppArmorRestrictFile, 64);
    const bool on = sysctl && sysctl->starts_with("1");
    EXPECT_EQ(userns_denied_hint_here().find("apparmor_parser -r") != std::string::npos, on);
}

}  // namespace
}  // namespace ipcbox::launcher
