// TOML -> Spec. Loading reports the first problem read as "file:line:column: message"; a misspelt
// key names the closest valid one. validate() runs after command-line overrides are applied.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "config/spec.hpp"

namespace ipcbox::config {

struct LoadOptions {
    // Hook mode with inline TOML from an annotation: `file = ...` and ftok paths are refused.
    bool allow_file_references = true;
    // Opens a payload file, given the spec's directory and the path as the spec wrote it. Unset
    // (run, validate): the path resolved against the directory and opened by the caller, with its
    // own rights. The hook, which reads as root for specs others wrote, opens beneath the
    // directory only, and inside the container for a bundle's spec (launcher/hook/spec.cpp).
    std::function<Result<UniqueFd>(const std::string& dir, const std::string& relative)>
        open_payload;
};

Result<Spec> load_spec_file(const std::string& path, const LoadOptions& options = {});
// `display_name` is used in error messages; relative paths resolve against `base_dir`.
Result<Spec> load_spec_string(std::string_view toml, const std::string& display_name,
                              const std::string& base_dir, const LoadOptions& options = {});

// What `validate` reports for the spec file at `path`: nothing when it is valid here; a file that
// cannot be read, or TOML that does not parse, alone; otherwise every problem the sections have
// (the earliest kMaxReportedProblems of them in source order, and how many more there are); or,
// when those all read, the first broken cross-field rule or the first thing missing on this
// machine.
inline constexpr size_t kMaxReportedProblems = 20;
struct SpecProblems {
    std::vector<Error> earliest;
    size_t left_out = 0;
};
SpecProblems spec_file_problems(const std::string& path);
// The same for a spec held in memory, named and resolved as load_spec_string() does.
SpecProblems spec_problems(std::string_view toml, const std::string& display_name,
                           const std::string& base_dir);

// Cross-field rules (duplicate keys and names, sections that need other settings, block vs.
// preseed conflicts). Errors point at the offending item's Origin.
Status validate(const Spec& spec);

// Each posix.shm must fit in the /dev/shm that holds it, `dev_shm_bytes` large (`what` says where
// that comes from: "dev_shm.size 1048576"): a bigger one would only end in SIGBUS once the command
// fills it. validate() checks an explicit dev_shm.size; run checks the default when it knows it.
Status check_posix_shm_room(const Objects& objects, uint64_t dev_shm_bytes,
                            const std::string& what);

// What depends on this machine rather than on the spec alone: each sandbox.tmpfs path is an
// existing directory. run, probe and validate check it; the OCI hook, which applies no [sandbox],
// does not.
Status validate_on_host(const Spec& spec);

// "64M" -> 67108864. Accepts a plain integer or K/M/G (powers of 1024).
Result<uint64_t> parse_size(std::string_view text);

}  // namespace ipcbox::config
