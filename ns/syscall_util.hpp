// Small helpers shared by the namespace set-up code.
#pragma once

#include <string>

#include "config/error.hpp"

namespace ipcbox::ns {

// Writes `content` to an existing file in one write() (what /proc/sys and /proc/self/*_map need).
Status write_file(const std::string& path, const std::string& content);

}  // namespace ipcbox::ns
