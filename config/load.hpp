// TOML -> Spec. Parsing reports the first problem as "file:line:column: message"; a misspelt key
// names the closest valid one. validate() runs after command-line overrides are applied.
#pragma once

#include <string>
#include <string_view>

#include "base/error.hpp"
#include "config/spec.hpp"

namespace ipcbox::config {

struct LoadOptions {
    // Hook mode with inline TOML from an annotation: `file = ...` and ftok paths are refused.
    bool allow_file_references = true;
};

Result<Spec> load_spec_file(const std::string& path, const LoadOptions& options = {});
// `display_name` is used in error messages; relative paths resolve against `base_dir`.
Result<Spec> load_spec_string(std::string_view toml, const std::string& display_name,
                              const std::string& base_dir, const LoadOptions& options = {});

// Cross-field rules (duplicate keys and names, sections that need other settings, block vs.
// preseed conflicts). Errors point at the offending item's Origin.
Status validate(const Spec& spec);

// What depends on this machine rather than on the spec alone: each sandbox.tmpfs path is an
// existing directory. run, probe and validate check it; the OCI hook, which applies no [sandbox],
// does not.
Status validate_on_host(const Spec& spec);

// "64M" -> 67108864. Accepts a plain integer or K/M/G (powers of 1024).
Result<uint64_t> parse_size(std::string_view text);

}  // namespace ipcbox::config
