// The one place errors reach the user: "ipcbox: <what>: <why>" and, when there is one, a hint.
#pragma once

#include "base/error.hpp"

namespace ipcbox::launcher {

void print_error(const Error& error);

}  // namespace ipcbox::launcher
