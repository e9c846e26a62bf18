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
//   count-sigint         print "ready", count each SIGINT received; at SIGUSR2 exit 100 + the count
//   abstract-connect N   connect to the abstract unix socket "\0N"
//   abstract-self N      listen on the abstract unix socket "\0N" and connect to it
//   pid                  print its pid
//   links                print the network interfaces and whether each is up ("lo:up")
//   sem-exists KEY       semget(KEY, 0, 0)
//   seg-exists KEY       shmget(KEY, 0, 0) (a SysV segment; shm-exists is POSIX shm)
//   msg-key ID           msgctl(ID, IPC_STAT): print the key of the queue with that id
//   sem-key ID           semctl(ID, 0, IPC_STAT): print the key of the semaphore set
//   seg-key ID           shmctl(ID, IPC_STAT): print the key of the segment
//   mq-exists NAME       mq_open(NAME, O_RDONLY)
//   nsem-exists NAME     sem_open(NAME, 0)
//   path-exists PATH     stat(PATH)
//   fifo-write PATH      open(PATH, O_WRONLY|O_NONBLOCK) and write one byte
//   unix-connect PATH    connect to the unix socket at PATH
//   tcp-connect PORT     connect to 127.0.0.1:PORT
//   kill PID SIG         kill(PID, SIG)
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <net/if.h>
#include <netinet/in.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

// Each delivery is taken on its own: a second SIGINT that arrives while one is still pending merges
// with it, so a duplicate shows only when it comes after the first was taken, as a forwarded copy
// does (it has to wake ipcbox first).
int count_sigint() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    std::printf("ready\n");
    std::fflush(stdout);
    for (int count = 0;;) {
        int sig = 0;
        sigwait(&set, &sig);
        if (sig == SIGUSR2) return 100 + count;
        ++count;
    }
}

int abstract_connect(const char* name) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path + 1, name, sizeof addr.sun_path - 2);
    socklen_t len = offsetof(sockaddr_un, sun_path) + 1 + std::strlen(name);
    return report(connect(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
}

// A listener of its own, made where this process runs: connecting to it must work.
int abstract_self(const char* name) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path + 1, name, sizeof addr.sun_path - 2);
    socklen_t len = offsetof(sockaddr_un, sun_path) + 1 + std::strlen(name);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd, 1) != 0)
        return report(false);
    return abstract_connect(name);
}

int unix_connect(const char* path) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    return report(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
}

int tcp_connect(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return report(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
}

int fifo_write(const char* path) {
    int fd = open(path, O_WRONLY | O_NONBLOCK);
    return report(fd >= 0 && write(fd, "x", 1) == 1);
}

// The key of the SysV object with this id, as IPC_STAT sees it.
int sysv_key(const std::string& op, int id) {
    msqid_ds msg{};
    semid_ds sem{};
    shmid_ds seg{};
    int rc = op == "msg-key"   ? msgctl(id, IPC_STAT, &msg)
             : op == "sem-key" ? semctl(id, 0, IPC_STAT, &sem)
                               : shmctl(id, IPC_STAT, &seg);
    if (rc < 0) return report(false);
    key_t key = op == "msg-key"   ? msg.msg_perm.__key
                : op == "sem-key" ? sem.sem_perm.__key
                                  : seg.shm_perm.__key;
    std::printf("%d\n", key);
    return 0;
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
    const char* arg2 = argc > 3 ? argv[3] : "";
    struct stat st;
    const key_t key = static_cast<key_t>(std::strtol(arg, nullptr, 0));
    if (op == "fds") return list_fds();
    if (op == "msg-create") return report(msgget(key, IPC_CREAT | 0666) >= 0);
    if (op == "msg-exists") return report(msgget(key, 0) >= 0);
    if (op == "shm-create") return report(shm_open(arg, O_CREAT | O_RDWR, 0666) >= 0);
    if (op == "shm-exists") return report(shm_open(arg, O_RDONLY, 0) >= 0);
    if (op == "mq-create") return report(mq_open(arg, O_CREAT | O_RDWR, 0666, nullptr) >= 0);
    if (op == "raise") return kill(getpid(), std::atoi(arg)), 3;
    if (op == "wait-signal") return wait_signal();
    if (op == "count-sigint") return count_sigint();
    if (op == "abstract-connect") return abstract_connect(arg);
    if (op == "abstract-self") return abstract_self(arg);
    if (op == "links") return links();
    if (op == "pid") return std::printf("%d\n", getpid()), 0;
    if (op == "sem-exists") return report(semget(key, 0, 0) >= 0);
    if (op == "seg-exists") return report(shmget(key, 0, 0) >= 0);
    if (op == "msg-key" || op == "sem-key" || op == "seg-key") return sysv_key(op, std::atoi(arg));
    if (op == "mq-exists") return report(mq_open(arg, O_RDONLY) != static_cast<mqd_t>(-1));
    if (op == "nsem-exists") return report(sem_open(arg, 0) != SEM_FAILED);
    if (op == "path-exists") return report(stat(arg, &st) == 0);
    if (op == "fifo-write") return fifo_write(arg);
    if (op == "unix-connect") return unix_connect(arg);
    if (op == "tcp-connect") return tcp_connect(std::atoi(arg));
    if (op == "kill") return report(kill(std::atoi(arg), std::atoi(arg2)) == 0);
    return 2;
}
