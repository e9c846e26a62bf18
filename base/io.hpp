// Whole reads and writes on descriptors and files, with the real errno in every error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace ipcbox {

// The file's bytes. Errors are "cannot read: <strerror>" (with err set) or "cannot read: larger
// than N bytes"; the caller names the file. The cap keeps `file = "/dev/zero"` from hanging.
Result<std::string> read_whole_file(const std::string& path, uint64_t max_bytes);

// Everything `fd` gives until end of file. Errors are "<strerror>" (with err set) or "larger than
// N bytes" (err 0), for the caller to put in context.
Result<std::string> read_to_end(int fd, uint64_t max_bytes);

// Opens `path` for reading without ever blocking in open(): a FIFO opens at once (O_NONBLOCK) and
// no terminal becomes ours (O_NOCTTY). The caller fstat()s the result before reading it.
Result<UniqueFd> open_for_reading(const std::string& path);

// The same for `relative` resolved beneath the directory `dir_fd` (openat2 RESOLVE_BENEATH and
// RESOLVE_NO_MAGICLINKS): an absolute path, a ".." or a symlink leading out of it fails with EXDEV,
// a /proc magic link with ELOOP. The error carries the errno; the caller names the file.
Result<UniqueFd> open_beneath(int dir_fd, const std::string& relative);

// Writes all of `data`, retrying short writes and EINTR. Errors are "<strerror>" with err set.
Status write_all(int fd, std::string_view data);

// Writes `content` to an existing file in one write() (what /proc/sys and /proc/self/*_map need:
// their handlers parse a single buffer).
Status write_file(const std::string& path, const std::string& content);

}  // namespace ipcbox
