#include "launcher/print.hpp"

#include <cstdio>

#include "base/text.hpp"

namespace ipcbox::launcher {

void print_error(const Error& error) {
    // Strings from outside are escaped where they enter a message; this catches whatever a message
    // still carries (a library's text, a path nobody escaped) so that it cannot forge a line.
    std::fprintf(stderr, "ipcbox: %s\n", escape_controls(error.message).c_str());
    if (!error.hint.empty())
        std::fprintf(stderr, "ipcbox: hint: %s\n", escape_controls(error.hint).c_str());
}

}  // namespace ipcbox::launcher
