// sandbox.capabilities: names as the kernel spells them (any case, "CAP_" optional), each once,
// and the combinations that would let a kept capability undo the sandbox.
#include "config/capabilities.hpp"

#include <gtest/gtest.h>

#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::load;
using testing::load_error;

TEST(ConfigCapabilities, NamesInEveryAcceptedSpelling) {
    auto spec = load("[sandbox]\ncapabilities = [\"CAP_NET_ADMIN\", \"net_raw\", \"Cap_Kill\"]\n");
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    ASSERT_EQ(spec->sandbox.capabilities.size(), 3u);
    EXPECT_EQ(static_cast<int>(spec->sandbox.capabilities[0]), 12);
    EXPECT_EQ(static_cast<int>(spec->sandbox.capabilities[1]), 13);
    EXPECT_EQ(static_cast<int>(spec->sandbox.capabilities[2]), 5);
    EXPECT_STREQ(capability_name(spec->sandbox.capabilities[2]), "CAP_KILL");
    EXPECT_STREQ(capability_name(Capability{40}), "CAP_CHECKPOINT_RESTORE");
}

TEST(ConfigCapabilities, UnknownTwiceOrNotAString) {
    EXPECT_EQ(load_error("[sandbox]\ncapabilities = [\"CAP_NET_ADMN\"]\n"),
              "spec.toml:2:17: sandbox.capabilities[0]: 'CAP_NET_ADMN' is not a capability; did "
              "you mean \"CAP_NET_ADMIN\"?");
    EXPECT_EQ(load_error("[sandbox]\ncapabilities = [\"sys_admn\"]\n"),
              "spec.toml:2:17: sandbox.capabilities[0]: 'sys_admn' is not a capability; did you "
              "mean \"CAP_SYS_ADMIN\"?");
    EXPECT_EQ(load_error("[sandbox]\ncapabilities = [\"CAP_KILL\", \"kill\"]\n"),
              "spec.toml:2:29: sandbox.capabilities[1]: 'CAP_KILL' is listed twice");
    EXPECT_EQ(load_error("[sandbox]\ncapabilities = \"CAP_KILL\"\n"),
              "spec.toml:2:16: sandbox.capabilities: expected an array, got a string");
    // Escaped before it reaches a terminal.
    EXPECT_EQ(load_error("[sandbox]\ncapabilities = [\"\\u001b[2J\"]\n"),
              "spec.toml:2:17: sandbox.capabilities[0]: '\\x1b[2J' is not a capability");
}

std::string validate_error(std::string_view toml) {
    Result<Spec> spec = load(toml);
    if (!spec.ok()) return "(did not load: " + spec.error().message + ")";
    Status s = validate(*spec);
    return s.ok() ? "(valid)" : s.error().message;
}

TEST(ConfigCapabilities, CombinationsThatWouldUndoTheSandbox) {
    EXPECT_EQ(validate_error("[sandbox]\nuser = \"host\"\ncapabilities = [\"CAP_KILL\"]\n"),
              "sandbox.capabilities: 'CAP_KILL' needs a user namespace to be kept in, so that it "
              "reaches only the sandbox's own namespaces; user = \"host\" has none (use \"auto\")");
    EXPECT_EQ(validate_error("[sandbox]\ncapabilities = [\"CAP_SYS_ADMIN\"]\n[block]\nkinds = "
                             "[\"posix.shm\"]\n"),
              "sandbox.capabilities: 'CAP_SYS_ADMIN' would let the command mount a tmpfs of its "
              "own over the closed /dev/shm and undo block.kinds; keep it only without blocking "
              "posix.shm or posix.semaphore");
    EXPECT_EQ(validate_error("[sandbox]\ncapabilities = [\"CAP_SYS_ADMIN\"]\n[block]\nkinds = "
                             "[\"sysv.queue\"]\n"),
              "(valid)");
}

}  // namespace
}  // namespace ipcbox::config
