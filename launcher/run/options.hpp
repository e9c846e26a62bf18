// Command-line flags of `ipcbox run` (and `export seccomp`), and how they override the spec.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"

namespace ipcbox::launcher {

struct RunOptions {
    std::optional<std::string> spec_path;
    std::optional<std::string> domain;  // run in this domain (`run --domain`)
    // Overrides; unset means "as the spec (or the default) says".
    std::optional<config::UserMode> user;
    std::optional<uint32_t> uid, gid, timeout;
    std::optional<bool> mount, net, pid, die_with_parent;
    std::optional<std::string> hostname;
    std::optional<config::DevShmMode> dev_shm;
    std::optional<uint64_t> dev_shm_size;
    std::vector<config::Scope> scopes;             // non-empty: replaces sandbox.scope
    std::vector<config::Capability> capabilities;  // added to sandbox.capabilities
    std::vector<std::string> tmpfs;      // non-empty: replaces sandbox.tmpfs (normalised paths)
    std::vector<config::IpcKind> block;  // non-empty: replaces [block] kinds
    std::optional<int> block_errno;
    std::optional<config::LeakOutput> leak_report;  // --leak-report[=PATH]
    std::string leak_report_path;                   // with LeakReport::File
    bool fail_on_leak = false;
    bool explain = false;
    bool verbose = false;
    bool help = false;
    std::vector<std::string> command;
};

// `args` excludes the subcommand itself. The command starts at "--" or at the first argument
// that is not an option, whatever follows it. `command` (probe and export take the same flags) and
// `more_flags` (flags it takes out itself) are for the did-you-mean of a mistyped flag.
Result<RunOptions> parse_run_options(const std::vector<std::string>& args,
                                     std::string_view command = "run",
                                     std::span<const std::string_view> more_flags = {});
std::string run_usage();

// defaults < spec file < flags.
void apply_overrides(config::Spec& spec, const RunOptions& options);

// Loads the spec named by the options (or the defaults), applies the flags and validates, also
// against this machine (config::validate_on_host).
Result<config::Spec> resolve_spec(const RunOptions& options);

}  // namespace ipcbox::launcher
