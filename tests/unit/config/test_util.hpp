// Shorthands for the config tests: specs are loaded as "spec.toml" from the directory /specs.
#pragma once

#include <string>
#include <string_view>

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

inline std::string data_dir() {
    return IPCBOX_TEST_DATA "/config";
}

}  // namespace ipcbox::config::testing
