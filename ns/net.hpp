// The network namespace: isolates abstract unix sockets and loopback; lo is brought up so that
// programs talking to localhost inside the sandbox keep working.
#pragma once

#include "base/error.hpp"

namespace ipcbox::ns {

Status bring_up_loopback();

}  // namespace ipcbox::ns
