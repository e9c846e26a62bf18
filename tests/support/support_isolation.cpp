// Run inside (and outside) a sandbox by the isolation tests. Does one thing and reports it:
// exit 0 when the operation succeeded, 1 when it failed (the errno name on stdout).
//   fds                  print the open fds (but the one used to list them), space-separated
//   msg-create KEY       msgget(KEY, IPC_CREAT|0666)
//   msg-exists KEY       msgget(KEY, 0)
//   shm-create NAME      shm_open(NAME, O_CREAT|O_RDWR, 0666)
//   shm-exists NAME      shm_open(NAME, O_RDONLY)
//   mq-create NAME       mq_open(NAME, O_CREAT|O_RDWR, 0666)
//   raise SIG            kill itself with SIG
//   wait-signal          print "ready", then exit 100 + the number of the first signal received
//   abstract-connect N   connect to the abstract unix socket "\0N"
//   pid                  print its pid
//   links                print the network interfaces and whether each is up ("lo:up")
#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

int report(bool ok) {
    if (ok) return 0;
    std::printf("%s\n", strerrorname_np(errno));
    return 1;
}

int list_fds() {
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) return report(false);
    std::string out;
    while (dirent* e = readdir(dir)) {
        if (e->d_name[0] == '.' || std::atoi(e->d_name) == dirfd(dir)) continue;
        out += (out.empty() ? "" : " ") + std::string(e->d_name);
    }
    closedir(dir);
    std::printf("%s\n", out.c_str());
    return 0;
}

int wait_signal() {
    sigset_t set;
    sigfillset(&set);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    std::printf("ready\n");
    std::fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    return 100 + sig;
}

int abstract_connect(const char* name) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path + 1, name, sizeof addr.sun_path - 2);
    socklen_t len = offsetof(sockaddr_un, sun_path) + 1 + std::strlen(name);
    return report(connect(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
}

int links() {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct if_nameindex* names = if_nameindex();
    if (fd < 0 || !names) return report(false);
    std::string out;
    for (struct if_nameindex* n = names; n->if_index != 0; ++n) {
        ifreq req{};
        std::strncpy(req.ifr_name, n->if_name, IFNAMSIZ - 1);
        bool up = ioctl(fd, SIOCGIFFLAGS, &req) == 0 && (req.ifr_flags & IFF_UP);
        out += (out.empty() ? "" : " ") + std::string(n->if_name) + (up ? ":up" : ":down");
    }
    if_freenameindex(names);
    std::printf("%s\n", out.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    const std::string op = argv[1];
    const char* arg = argc > 2 ? argv[2] : "";
    const key_t key = static_cast<key_t>(std::strtol(arg, nullptr, 0));
    if (op == "fds") return list_fds();
    if (op == "msg-create") return report(msgget(key, IPC_CREAT | 0666) >= 0);
    if (op == "msg-exists") return report(msgget(key, 0) >= 0);
    if (op == "shm-create") return report(shm_open(arg, O_CREAT | O_RDWR, 0666) >= 0);
    if (op == "shm-exists") return report(shm_open(arg, O_RDONLY, 0) >= 0);
    if (op == "mq-create") return report(mq_open(arg, O_CREAT | O_RDWR, 0666, nullptr) >= 0);
    if (op == "raise") return kill(getpid(), std::atoi(arg)), 3;
    if (op == "wait-signal") return wait_signal();
    if (op == "abstract-connect") return abstract_connect(arg);
    if (op == "links") return links();
    if (op == "pid") return std::printf("%d\n", getpid()), 0;
    return 2;
}
