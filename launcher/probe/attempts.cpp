// The attempts of the inside half: each looks for the host's object without creating anything, so
// a route that turns out to be shared changes nothing on the host.
#include <arpa/inet.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "launcher/probe/inside.hpp"
#include "launcher/run/mechanisms.hpp"

namespace ipcbox::launcher::probe {
namespace {

namespace m = mechanism;

constexpr long kMqueueMagic = 0x19800202;  // statfs f_type of an mqueue mount

// A seccomp filter answers with one of these; a namespace answers "no such object".
bool filtered(int err) {
    return err == EPERM || err == EACCES || err == ENOSYS;
}

std::string errno_text(int err) {
    const char* name = strerrorname_np(err);
    return name ? name : std::to_string(err);
}

Attempt reached(const char* mechanism, std::string detail) {
    return Attempt{mechanism, true, 0, false, std::move(detail)};
}

// Called right after the failed call, while errno is still its errno.
Attempt failed(const char* mechanism, std::string what) {
    const int err = errno;
    return Attempt{mechanism, false, err, filtered(err), what + ": " + errno_text(err)};
}

Attempt inherited_fd(const Targets& t) {
    struct stat st;
    if (fstat(t.inherited_fd, &st) != 0)
        return failed(m::kInheritedFd, "fd " + std::to_string(t.inherited_fd));
    if (S_ISFIFO(st.st_mode) && st.st_ino == t.inherited_inode)
        return reached(m::kInheritedFd,
                       "fd " + std::to_string(t.inherited_fd) + " is still the host's pipe");
    return Attempt{m::kInheritedFd, false, 0, false,
                   "fd " + std::to_string(t.inherited_fd) + " is another file"};
}

enum class Sysv { Queue, Semaphore, Shm };

Attempt sysv_by_key(Sysv kind, const char* mechanism, key_t key) {
    const int id = kind == Sysv::Queue       ? msgget(key, 0)
                   : kind == Sysv::Semaphore ? semget(key, 0, 0)
                                             : shmget(key, 0, 0);
    if (id >= 0) return reached(mechanism, "found the key, id " + std::to_string(id));
    return failed(mechanism, "get by key");
}

// The id of the host's object, used as if it were valid here: it must name nothing, or another
// object (told apart by its key).
Attempt sysv_by_id(Sysv kind, const char* mechanism, const SysvTarget& target) {
    int rc;
    key_t seen;
    if (kind == Sysv::Queue) {
        msqid_ds ds{};
        rc = msgctl(target.id, IPC_STAT, &ds);
        seen = ds.msg_perm.__key;
    } else if (kind == Sysv::Semaphore) {
        semid_ds ds{};
        rc = semctl(target.id, 0, IPC_STAT, &ds);
        seen = ds.sem_perm.__key;
    } else {
        shmid_ds ds{};
        rc = shmctl(target.id, IPC_STAT, &ds);
        seen = ds.shm_perm.__key;
    }
    const std::string id = "id " + std::to_string(target.id);
    if (rc < 0) return failed(mechanism, "IPC_STAT " + id);
    if (seen != target.key)
        return Attempt{mechanism, false, 0, false, id + " is another object here"};
    return reached(mechanism, id + " is the host's object");
}

Attempt posix_queue(const std::string& name) {
    mqd_t q = mq_open(name.c_str(), O_RDONLY);
    if (q == static_cast<mqd_t>(-1)) return failed(m::kPosixQueue, "mq_open");
    mq_close(q);
    return reached(m::kPosixQueue, "mq_open found it");
}

// A read-only mount in place of the host's: nothing can be found or made there.
bool read_only(const std::string& dir) {
    struct statvfs vfs;
    return statvfs(dir.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
}

Attempt mqueue_path(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) == 0) return reached(m::kPosixQueuePath, "the path exists");
    Attempt a = failed(m::kPosixQueuePath, "stat " + path);
    const std::string dir = path.substr(0, path.rfind('/'));
    struct statfs fs;
    if (statfs(dir.c_str(), &fs) == 0 && fs.f_type != kMqueueMagic && read_only(dir)) {
        a.blocked = true;
        a.detail += " (" + dir + " is a read-only non-mqueue mount)";
    }
    return a;
}

// shm_open and sem_open are opens in /dev/shm: a read-only /dev/shm is a closed route.
Attempt in_dev_shm(const char* mechanism, bool found, const std::string& what) {
    if (found) return reached(mechanism, what + " found it");
    Attempt a = failed(mechanism, what);
    if (read_only("/dev/shm")) {
        a.blocked = true;
        a.detail += " (/dev/shm is read-only)";
    }
    return a;
}

Attempt posix_shm(const std::string& name) {
    int fd = shm_open(name.c_str(), O_RDONLY, 0);
    if (fd < 0) return in_dev_shm(m::kPosixShm, false, "shm_open");
    close(fd);
    return in_dev_shm(m::kPosixShm, true, "shm_open");
}

Attempt posix_semaphore(const std::string& name) {
    sem_t* sem = sem_open(name.c_str(), 0);
    if (sem == SEM_FAILED) return in_dev_shm(m::kPosixSemaphore, false, "sem_open");
    sem_close(sem);
    return in_dev_shm(m::kPosixSemaphore, true, "sem_open");
}

// The host holds the read end open, so a non-blocking open for writing finds a reader.
Attempt fifo(const std::string& path) {
    int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return failed(m::kFifo, "open " + path);
    const bool wrote = write(fd, "x", 1) == 1;
    close(fd);
    return reached(m::kFifo, wrote ? "opened and wrote a byte" : "opened");
}

Attempt connect_to(const char* mechanism, const sockaddr* addr, socklen_t len, int family) {
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return failed(mechanism, "socket");
    if (connect(fd, addr, len) != 0) {
        Attempt a = failed(mechanism, "connect");
        close(fd);
        return a;
    }
    close(fd);
    return reached(mechanism, "connected");
}

Attempt unix_socket(const char* mechanism, const std::string& name, bool abstract) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const size_t offset = abstract ? 1 : 0;  // an abstract name starts with a NUL byte
    std::memcpy(addr.sun_path + offset, name.data(),
                std::min(name.size(), sizeof addr.sun_path - 1 - offset));
    const socklen_t len =
        offsetof(sockaddr_un, sun_path) + offset + name.size() + (abstract ? 0 : 1);
    return connect_to(mechanism, reinterpret_cast<sockaddr*>(&addr), len, AF_UNIX);
}

Attempt tcp(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return connect_to(m::kTcpLoopback, reinterpret_cast<sockaddr*>(&addr), sizeof addr, AF_INET);
}

// In a new pid namespace the host's pid number may name one of the sandbox's own processes:
// those are never signalled.
Attempt signal_host(pid_t pid, int cookie) {
    if (pid <= 1 || pid == getpid() || pid == getppid())
        return Attempt{m::kSignal, false, 0, false,
                       "pid " + std::to_string(pid) + " is this sandbox's own process here"};
    sigval value{};
    value.sival_int = cookie;
    if (sigqueue(pid, SIGUSR1, value) != 0) return failed(m::kSignal, "sigqueue SIGUSR1");
    return reached(m::kSignal, "sigqueue SIGUSR1 to pid " + std::to_string(pid) + " succeeded");
}

}  // namespace

std::vector<Attempt> try_targets(const Targets& t) {
    std::vector<Attempt> out;
    if (t.inherited_fd >= 0) out.push_back(inherited_fd(t));
    if (t.sysv_queue) {
        out.push_back(sysv_by_key(Sysv::Queue, m::kSysvQueue, t.sysv_queue->key));
        out.push_back(sysv_by_id(Sysv::Queue, m::kSysvQueueId, *t.sysv_queue));
    }
    if (t.sysv_semaphore) {
        out.push_back(sysv_by_key(Sysv::Semaphore, m::kSysvSemaphore, t.sysv_semaphore->key));
        out.push_back(sysv_by_id(Sysv::Semaphore, m::kSysvSemaphoreId, *t.sysv_semaphore));
    }
    if (t.sysv_shm) {
        out.push_back(sysv_by_key(Sysv::Shm, m::kSysvShm, t.sysv_shm->key));
        out.push_back(sysv_by_id(Sysv::Shm, m::kSysvShmId, *t.sysv_shm));
    }
    if (!t.posix_queue.empty()) out.push_back(posix_queue(t.posix_queue));
    if (!t.mqueue_path.empty()) out.push_back(mqueue_path(t.mqueue_path));
    if (!t.posix_shm.empty()) out.push_back(posix_shm(t.posix_shm));
    if (!t.posix_semaphore.empty()) out.push_back(posix_semaphore(t.posix_semaphore));
    if (!t.fifo.empty()) out.push_back(fifo(t.fifo));
    if (!t.unix_socket.empty())
        out.push_back(unix_socket(m::kUnixSocketPath, t.unix_socket, false));
    if (!t.abstract_socket.empty())
        out.push_back(unix_socket(m::kUnixSocketAbstract, t.abstract_socket, true));
    if (t.tcp_port > 0) out.push_back(tcp(t.tcp_port));
    if (t.signal_pid > 0) out.push_back(signal_host(t.signal_pid, t.signal_cookie));
    for (Attempt& a : try_escapes(t)) out.push_back(std::move(a));
    return out;
}

}  // namespace ipcbox::launcher::probe
