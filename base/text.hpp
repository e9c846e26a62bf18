// Strings that came from outside (a spec, a flag, the file system) on their way to a terminal.
#pragma once

#include <string>
#include <string_view>

namespace ipcbox {

// `text` with every byte that is not printable ASCII (control characters, escape sequences,
// bytes of other encodings) and the backslash written as \xHH or \\, so a message can neither
// move the cursor nor pass one string off as another.
std::string printable(std::string_view text);

// `text` with every byte that is not printable ASCII written as \xHH, like printable(), but with
// backslashes left as they are, so a message that already went through printable() comes out
// unchanged. The last guard where a whole message meets a terminal: one message stays one line
// and cannot carry an escape sequence (C0, DEL, or a C1 control in UTF-8 or as a raw byte).
std::string escape_controls(std::string_view text);

}  // namespace ipcbox
