#include "ns/uts.hpp"

#include <unistd.h>

namespace ipcbox::ns {

Status set_hostname(const std::string& name) {
    if (sethostname(name.data(), name.size()) != 0)
        return Error::from_errno("uts: sethostname " + name, errno);
    return {};
}

}  // namespace ipcbox::ns
