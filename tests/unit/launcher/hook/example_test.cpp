// examples/oci must stay usable: the hooks.d file is valid 1.0.0 with an anchored annotation
// regex, and the example spec loads and validates.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "config/load.hpp"
#include "launcher/hook/notes.hpp"

namespace ipcbox::launcher {
namespace {

const std::string kOci = IPCBOX_TEST_DATA "/../../examples/oci";

TEST(HookExample, HooksDirFileSelectsOnlyTheIpcboxAnnotations) {
    std::ifstream in(kOci + "/hooks.d/ipcbox.json");
    ASSERT_TRUE(in.good());
    const nlohmann::json hook = nlohmann::json::parse(in);
    EXPECT_EQ(hook["version"], "1.0.0");
    EXPECT_EQ(hook["stages"], nlohmann::json::array({"createRuntime"}));
    const auto& args = hook["hook"]["args"];
    ASSERT_GE(args.size(), 2u);
    EXPECT_EQ(args[1], "hook");
    EXPECT_EQ(hook["hook"]["path"].get<std::string>().front(), '/');

    const auto& annotations = hook["when"]["annotations"];
    ASSERT_EQ(annotations.size(), 1u);
    // podman and CRI-O search the key regex unanchored: it must anchor itself.
    const std::regex key(annotations.begin().key());
    for (const char* k : {"io.ipcbox.spec", "io.ipcbox.spec.toml"})
        EXPECT_TRUE(std::regex_search(k, key)) << k;
    for (const char* k :
         {"xio.ipcbox.spec", "io.ipcbox.specs", "io-ipcbox-spec", "io.ipcbox.spec.tomlx"})
        EXPECT_FALSE(std::regex_search(k, key)) << k;
    // Any value reaches ipcbox, which refuses bad names instead of silently skipping them.
    const std::regex value(annotations.begin().value().get<std::string>());
    for (const char* v : {"worker", "../etc/x", ""}) EXPECT_TRUE(std::regex_search(v, value)) << v;
}

TEST(HookExample, ExampleSpecLoadsAndValidates) {
    auto spec = config::load_spec_file(kOci + "/specs/worker.toml");
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    Status valid = config::validate(*spec);
    ASSERT_TRUE(valid.ok()) << valid.error().message;
    EXPECT_EQ(spec->sysctls.size(), 2u);
    EXPECT_EQ(spec->objects.sysv_queues.size(), 1u);
    EXPECT_EQ(spec->objects.posix_shms.size(), 1u);
    EXPECT_TRUE(runtime_only_notes(*spec).empty());  // everything in it is the hook's to apply
}

}  // namespace
}  // namespace ipcbox::launcher
