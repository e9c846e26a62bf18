// Shorthands for the config tests: specs are loaded as "spec.toml" from the directory /specs.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "config/load.hpp"

namespace ipcbox::config::testing {

inline Result<Spec> load(std::string_view toml, const LoadOptions& options = {}) {
    return load_spec_string(toml, "spec.toml", "/specs", options);
}

// The load error's message, or a marker that makes an expected-error comparison fail.
inline std::string load_error(std::string_view toml, const LoadOptions& options = {}) {
    Result<Spec> spec = load(toml, options);
    return spec.ok() ? "(loaded without error)" : spec.error().message;
}

// A spec that does not load, and its load error's message.
struct Case {
    std::string toml;
    std::string error;
};

inline void expect_errors(const std::vector<Case>& cases, const LoadOptions& options = {}) {
    for (const Case& c : cases) {
        EXPECT_EQ(load_error(c.toml, options), c.error) << "spec:\n" << c.toml;
    }
}

inline std::string data_dir() {
    return IPCBOX_TEST_DATA "/config";
}

}  // namespace ipcbox::config::testing
