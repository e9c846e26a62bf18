// Per-IPC-namespace sysctls: written into the sandbox's own IPC namespace, read back and compared.
#pragma once

#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"

namespace ipcbox::ns {

// Runs in the sandbox child after it has entered its new IPC (and user) namespace, before any
// object is preseeded. Never touches the host: callers only reach here with a new IPC ns.
Status apply_sysctls(const std::vector<config::Sysctl>& sysctls);

}  // namespace ipcbox::ns
