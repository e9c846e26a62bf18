// Whole-file reads for spec files and payload files.
#pragma once

#include <cstdint>
#include <string>

#include "config/error.hpp"

namespace ipcbox::config {

// The file's bytes. Errors are "cannot read: <strerror>" (with err set) or "cannot read: larger
// than N bytes"; the caller names the file. The cap keeps `file = "/dev/zero"` from hanging.
Result<std::string> read_whole_file(const std::string& path, uint64_t max_bytes);

}  // namespace ipcbox::config
