// A PostgreSQL-style server start, for the private-path tests: in the socket directory DIR it
// takes the lock file .s.PGSQL.5432.lock (O_EXCL, holding its pid, as postmaster does) and binds
// the unix socket .s.PGSQL.5432 next to it.
//   support_pglock DIR once   start, print "started", remove both, exit 0
//   support_pglock DIR hold   start, print "ready", wait for SIGTERM or SIGINT, remove both, exit 0
// A lock file already there: prints "lock taken by <its contents>" and exits 1; any other failure
// prints "<step>: <errno name>" and exits 1.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

int failed(const char* step) {
    std::printf("%s: %s\n", step, strerrorname_np(errno));
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    const std::string dir = argv[1], mode = argv[2];
    const std::string lock = dir + "/.s.PGSQL.5432.lock", path = dir + "/.s.PGSQL.5432";
    // Signals that stop a held server are waited for, never delivered.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, nullptr);

    const int lock_fd = open(lock.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (lock_fd < 0) {
        if (errno != EEXIST) return failed("lock");
        char holder[32] = {};
        const int fd = open(lock.c_str(), O_RDONLY | O_CLOEXEC);
        const ssize_t n = fd >= 0 ? read(fd, holder, sizeof holder - 1) : -1;
        std::printf("lock taken by %s\n", n > 0 ? holder : "?");
        return 1;
    }
    const std::string pid = std::to_string(getpid());
    const bool wrote = write(lock_fd, pid.data(), pid.size()) == static_cast<ssize_t>(pid.size());
    close(lock_fd);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    const int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!wrote || sock < 0 || bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(sock, 8) != 0) {
        const int rc = failed("socket");
        unlink(lock.c_str());
        return rc;
    }
    std::printf("%s\n", mode == "hold" ? "ready" : "started");
    std::fflush(stdout);
    if (mode == "hold") {
        int sig = 0;
        sigwait(&stop, &sig);
    }
    unlink(path.c_str());
    unlink(lock.c_str());
    return 0;
}
