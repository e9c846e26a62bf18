// Strings that came from outside (a spec, a flag, the file system) on their way to a terminal.
#pragma once

#include <string>
#include <string_view>

namespace ipcbox {

// `text` with every byte that is not printable ASCII (control characters, escape sequences,
// bytes of other encodings) and the backslash written as \xHH or \\, so a message can neither
// move the cursor nor pass one string off as another.
std::string printable(std::string_view text);

}  // namespace ipcbox
