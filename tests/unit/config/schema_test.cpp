// The spec's JSON Schema is built from the parser's key tables: every key the parser takes is in
// it with a type, and it takes no key the parser refuses.
#include "config/schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "config/keys.hpp"

namespace ipcbox::config {
namespace {

using nlohmann::json;

// Every "properties" entry anywhere in `node` (by its path) that has no type: the boolean schema
// `true`, which is what a key of keys.hpp without a type in schema.cpp becomes.
void collect_untyped(const json& node, const std::string& path, std::vector<std::string>& out) {
    if (!node.is_object()) {
        if (node.is_array())
            for (const json& item : node) collect_untyped(item, path, out);
        return;
    }
    if (node.contains("properties"))
        for (const auto& [key, value] : node["properties"].items()) {
            if (value == json(true)) out.push_back(path + key);
            collect_untyped(value, path + key + ".", out);
        }
    for (const char* nested : {"items", "anyOf"})
        if (node.contains(nested)) collect_untyped(node[nested], path, out);
}

TEST(SpecSchema, IsDraft2020WithEveryKeyTyped) {
    const json schema = spec_schema();
    EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    std::vector<std::string> untyped;
    collect_untyped(schema, "", untyped);
    EXPECT_TRUE(untyped.empty()) << "keys of config/keys.hpp without a type in schema.cpp: "
                                 << json(untyped).dump();
}

TEST(SpecSchema, HasExactlyTheParsersKeys) {
    const json schema = spec_schema();
    auto keys_of = [](const json& object) {
        std::vector<std::string> names;
        for (const auto& [key, value] : object["properties"].items()) names.push_back(key);
        std::sort(names.begin(), names.end());
        return names;
    };
    auto table_keys = [](std::span<const std::string_view> table) {
        std::vector<std::string> names(table.begin(), table.end());
        std::sort(names.begin(), names.end());
        return names;
    };
    EXPECT_EQ(keys_of(schema), table_keys(keys::kTop));
    EXPECT_FALSE(schema["additionalProperties"].get<bool>());
    const json& props = schema["properties"];
    EXPECT_EQ(keys_of(props["sandbox"]), table_keys(keys::kSandbox));
    EXPECT_EQ(keys_of(props["block"]), table_keys(keys::kBlock));
    EXPECT_EQ(keys_of(props["sysv"]["properties"]["queue"]["items"]), table_keys(keys::kSysvQueue));
    EXPECT_EQ(keys_of(props["posix"]["properties"]["shm"]["items"]), table_keys(keys::kPosixShm));
    EXPECT_EQ(props["block"]["properties"]["errno"]["enum"],
              json::parse(R"(["EPERM","EACCES","ENOSYS"])"));
    // Knobs both as written whole and split at their dots.
    const json& sysctl = props["sysctl"]["properties"];
    EXPECT_TRUE(sysctl.contains("kernel.msgmnb"));
    EXPECT_TRUE(sysctl["kernel"]["properties"].contains("msgmnb"));
    EXPECT_TRUE(sysctl["fs"]["properties"]["mqueue"]["properties"].contains("msg_max"));
    EXPECT_FALSE(sysctl.contains("kernel.msgmni_not_a_knob"));
}

}  // namespace
}  // namespace ipcbox::config
