#include "ns/net.hpp"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace ipcbox::ns {

Status bring_up_loopback() {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return Error::from_errno("net: socket", errno);
    ifreq req{};
    std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
    Status result;
    if (ioctl(fd, SIOCGIFFLAGS, &req) != 0) {
        result = Error::from_errno("net: read flags of lo", errno);
    } else {
        req.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(fd, SIOCSIFFLAGS, &req) != 0)
            result = Error::from_errno("net: bring up lo", errno);
    }
    close(fd);
    return result;
}

}  // namespace ipcbox::ns
