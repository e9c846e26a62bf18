// Where a JSON leak report goes: the file named by leaks.report, or, for a path ending in '/', a
// new file of its own in that directory (so that parallel runs can share one directory that a CI
// runner collects, such as $TEST_UNDECLARED_OUTPUTS_DIR).
#pragma once

#include <string>

#include "base/error.hpp"

namespace ipcbox::launcher {

// Writes `text` to `path`, or to a new file in the directory `path` ends with '/':
// ipcbox-leaks-<UTC time>-<pid>.json, with "-2", "-3", ... before ".json" if that exists.
// Returns the file written.
Result<std::string> write_leak_report_file(const std::string& path, const std::string& text);

}  // namespace ipcbox::launcher
