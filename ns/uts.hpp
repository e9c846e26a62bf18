// The UTS namespace: only made when the spec names a hostname.
#pragma once

#include <string>

#include "base/error.hpp"

namespace ipcbox::ns {

Status set_hostname(const std::string& name);

}  // namespace ipcbox::ns
