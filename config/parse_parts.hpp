// The TOML -> Spec parser, one function per group of sections. Each reads its part of the
// document into `spec` and records the first problem in the reader's ParseContext.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "config/payload.hpp"
#include "config/spec.hpp"
#include "config/toml_reader.hpp"

namespace ipcbox::config {

void parse_sysctls(const TableReader& sysctl, std::vector<Sysctl>& out);  // [sysctl]
void parse_sysv(const TableReader& sysv, Spec& spec);                     // [[sysv.*]]
void parse_posix(const TableReader& posix, Spec& spec);                   // [[posix.*]]
std::vector<Tmpfs> read_tmpfs(const TableReader& sandbox);                // sandbox.tmpfs

// The number [sysctl] sets `key` to ("kernel.msgmax"), nullopt when it does not set it.
std::optional<uint64_t> sysctl_number(const std::vector<Sysctl>& sysctls, std::string_view key);
// What a message may hold when the spec does not say: the limit [sysctl] sets for `key`, else
// `kernel_default` (a new IPC namespace starts from the kernel's defaults).
Capacity message_capacity(const std::vector<Sysctl>& sysctls, std::string_view key,
                          uint64_t kernel_default);

}  // namespace ipcbox::config
