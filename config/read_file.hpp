// Whole reads: spec and payload files, and descriptors (stdin, a helper's pipe).
#pragma once

#include <cstdint>
#include <string>

#include "config/error.hpp"

namespace ipcbox::config {

// The file's bytes. Errors are "cannot read: <strerror>" (with err set) or "cannot read: larger
// than N bytes"; the caller names the file. The cap keeps `file = "/dev/zero"` from hanging.
Result<std::string> read_whole_file(const std::string& path, uint64_t max_bytes);

// Everything `fd` gives until end of file. Errors are "<strerror>" (with err set) or "larger than
// N bytes" (err 0), for the caller to put in context.
Result<std::string> read_to_end(int fd, uint64_t max_bytes);

}  // namespace ipcbox::config
