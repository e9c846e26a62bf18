// The TOML -> Spec parser, one function per group of sections. Each reads its part of the
// document into its output and records every problem in the reader's ParseContext.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/payload.hpp"
#include "config/spec.hpp"
#include "config/toml_reader.hpp"

namespace ipcbox::config {

// [sysctl] as the object sections see it: the limits it sets, and the knobs it gets wrong (a bad
// value, or a misspelt key that names the knob), whose value is therefore not known.
struct SysctlLimits {
    const std::vector<Sysctl>& set;
    const std::vector<std::string>& unknown;
    bool section_read = true;  // false when [sysctl] itself is misspelt or not a table: no value
                               // is known

    // What a message may hold when its object does not say: the limit [sysctl] sets for `key`,
    // else `kernel_default` (a new IPC namespace starts from the kernel's defaults); nullopt when
    // [sysctl] sets it wrongly, so that nothing is checked against a limit the spec did not mean.
    std::optional<Capacity> message_capacity(std::string_view key, uint64_t kernel_default) const;
};

// [sysctl]; `unknown` gets the knobs whose value is not known (see SysctlLimits).
void parse_sysctls(const TableReader& sysctl, std::vector<Sysctl>& out,
                   std::vector<std::string>& unknown);
void parse_sysv(const TableReader& sysv, Objects& out, const SysctlLimits& limits);  // [[sysv.*]]
void parse_posix(const TableReader& posix, Objects& out,
                 const SysctlLimits& limits);               // [[posix.*]]
std::vector<Tmpfs> read_tmpfs(const TableReader& sandbox);  // sandbox.tmpfs

// The number [sysctl] sets `key` to ("kernel.msgmax"), nullopt when it does not set it.
std::optional<uint64_t> sysctl_number(const std::vector<Sysctl>& sysctls, std::string_view key);

}  // namespace ipcbox::config
