#include "launcher/print.hpp"

#include <cstdio>

namespace ipcbox::launcher {

void print_error(const Error& error) {
    std::fprintf(stderr, "ipcbox: %s\n", error.message.c_str());
    if (!error.hint.empty()) std::fprintf(stderr, "ipcbox: hint: %s\n", error.hint.c_str());
}

}  // namespace ipcbox::launcher
