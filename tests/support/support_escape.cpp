// Run inside a sandbox by the seal tests: one escape attempt, and what the kernel said.
// Exit 0 when the attempt succeeded (it should not), 1 when it failed (the errno name on stdout).
//   caps                 print CapInh CapPrm CapEff CapAmb CapBnd from /proc/self/status
//   umount PATH          umount2(PATH, 0)
//   umount-lazy PATH     umount2(PATH, MNT_DETACH)
//   mount FSTYPE PATH    mount("none", PATH, FSTYPE, 0, NULL): tmpfs, mqueue
//   setns-ipc PID        setns(open(/proc/PID/ns/ipc), CLONE_NEWIPC)
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
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
    std::fprintf(stderr,
                 "usage: support_escape caps | umount[-lazy] PATH | mount FSTYPE PATH | "
                 "setns-ipc PID\n");
    return 2;
}
