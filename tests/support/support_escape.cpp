// Run inside a sandbox by the seal tests: one escape attempt, and what the kernel said.
// Exit 0 when the attempt succeeded (it should not), 1 when it failed (the errno name on stdout).
//   caps                 print CapInh CapPrm CapEff CapAmb CapBnd from /proc/self/status
//   umount PATH          umount2(PATH, 0)
//   umount-lazy PATH     umount2(PATH, MNT_DETACH)
//   mount FSTYPE PATH    mount("none", PATH, FSTYPE, 0, NULL): tmpfs, mqueue
//   setns-ipc PID        setns(open(/proc/PID/ns/ipc), CLONE_NEWIPC)
//   write PATH TEXT      open(PATH, O_WRONLY) and write TEXT (a sysctl, a /sys knob)
//   lo-down              take the loopback interface down (SIOCSIFFLAGS: CAP_NET_ADMIN over
//                        the network namespace), then up again
//   userns               unshare(CLONE_NEWUSER)
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

namespace {

int report(int rc) {
    if (rc == 0) {
        std::puts("ok");
        return 0;
    }
    std::printf("%s\n", strerrorname_np(errno));
    return 1;
}

int write_text(const char* path, const char* text) {
    const int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return report(-1);
    const ssize_t n = write(fd, text, strlen(text));
    const int err = errno;
    close(fd);
    errno = err;
    return report(n == static_cast<ssize_t>(strlen(text)) ? 0 : -1);
}

int loopback_down() {
    const int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) return report(-1);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(sock, SIOCGIFFLAGS, &ifr) != 0) return report(-1);
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags & ~IFF_UP);
    if (ioctl(sock, SIOCSIFFLAGS, &ifr) != 0) return report(-1);
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    return report(ioctl(sock, SIOCSIFFLAGS, &ifr));
}

int caps() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("Cap", 0) == 0) std::printf("%s\n", line.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string op = argc > 1 ? argv[1] : "";
    if (op == "caps") return caps();
    if (op == "umount" && argc == 3) return report(umount2(argv[2], 0));
    if (op == "umount-lazy" && argc == 3) return report(umount2(argv[2], MNT_DETACH));
    if (op == "mount" && argc == 4) return report(mount("none", argv[3], argv[2], 0, nullptr));
    if (op == "setns-ipc" && argc == 3) {
        const std::string path = std::string("/proc/") + argv[2] + "/ns/ipc";
        const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return report(-1);
        return report(setns(fd, CLONE_NEWIPC));
    }
    if (op == "write" && argc == 4) return write_text(argv[2], argv[3]);
    if (op == "lo-down" && argc == 2) return loopback_down();
    if (op == "userns" && argc == 2) return report(unshare(CLONE_NEWUSER));
    std::fprintf(stderr,
                 "usage: support_escape caps | umount[-lazy] PATH | mount FSTYPE PATH | "
                 "setns-ipc PID | write PATH TEXT | lo-down | userns\n");
    return 2;
}
