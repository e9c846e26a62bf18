// The TOML -> Spec parser, one function per group of sections. Each reads its part of the
// document into `spec` and records the first problem in the reader's ParseContext.
#pragma once

#include "config/spec.hpp"
#include "config/toml_reader.hpp"

namespace ipcbox::config {

void parse_sysctls(const TableReader& sysctl, std::vector<Sysctl>& out);  // [sysctl]
void parse_sysv(const TableReader& sysv, Spec& spec);                     // [[sysv.*]]
void parse_posix(const TableReader& posix, Spec& spec);                   // [[posix.*]]
std::vector<Tmpfs> read_tmpfs(const TableReader& sandbox);                // sandbox.tmpfs

}  // namespace ipcbox::config
