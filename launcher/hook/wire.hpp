// The one message the hook's namespace helper sends back to ipcbox over a pipe: what it applied,
// or the Error that stopped it, as data (the helper prints nothing; the parent prints once).
#pragma once

#include <string>

#include "base/error.hpp"
#include "launcher/hook/apply.hpp"

namespace ipcbox::launcher {

std::string encode_applied(const HookApplied& applied);
std::string encode_error(const Error& error);
// An empty or malformed message is itself an error.
Result<HookApplied> decode_report(const std::string& message);

// Whole-message I/O on the pipe; read_report returns what arrived before EOF (at most 64 KiB).
void write_report(int fd, const std::string& message);
std::string read_report(int fd);

}  // namespace ipcbox::launcher
