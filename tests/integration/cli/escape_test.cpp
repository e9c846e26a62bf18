// Strings from specs, flags and namespaces reach the terminal escaped: a newline cannot forge an
// `ipcbox:` line and an ESC sequence cannot reach the terminal; JSON keeps them exact.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {
namespace {

TEST(Escaping, HostnameCannotForgeALine) {
    Outcome o =
        run_ipcbox(As::Root, {"run", "--hostname", "a\nipcbox: forged\x1b[2J", "--", "true"});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_EQ(o.err,
              "ipcbox: sandbox.hostname: 'a\\x0aipcbox: forged\\x1b[2J' is not a valid hostname (1 "
              "to 64 letters, digits, '-' and '.')\n");
    const std::string spec =
        write_spec("[sandbox]\nhostname = \"b\\nipcbox: forged\\u001b]0;t\\u0007\"\n");
    Outcome v = run_ipcbox(As::Root, {"validate", spec});
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(v.err, "ipcbox: " + spec +
                         ":2:12: sandbox.hostname: 'b\\x0aipcbox: forged\\x1b]0;t\\x07' is not a "
                         "valid hostname (1 to 64 letters, digits, '-' and '.')\n");
}

// A sandboxed command names a POSIX shm object with a newline and an escape sequence: `ipcbox ls`
// (as an administrator would run it) shows it escaped, and its JSON keeps the exact name.
TEST(Escaping, NamesFromANamespaceInLs) {
    const std::string make = "touch \"/dev/shm/$(printf 'x\\033[2Jy\\nipcbox: forged')\" && exec " +
                             staging_dir() + "/ipcbox ls";
    Outcome table = run_ipcbox(As::Root, {"run", "--", "/bin/sh", "-c", make});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_EQ(table.out.find('\x1b'), std::string::npos) << table.out;
    EXPECT_EQ(table.out.find("\nipcbox: forged"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("posix.shm  /x\\x1b[2Jy\\x0aipcbox: forged "), std::string::npos)
        << table.out;
    Outcome json = run_ipcbox(As::Root, {"run", "--", "/bin/sh", "-c", make + " --json"});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    const auto doc = nlohmann::json::parse(json.out);
    ASSERT_EQ(doc["objects"].size(), 1u) << json.out;
    EXPECT_EQ(doc["objects"][0]["name"], "/x\x1b[2Jy\nipcbox: forged");
}

}  // namespace
}  // namespace ipcbox::test
