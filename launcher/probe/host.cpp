#include "launcher/probe/host.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/random.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "base/text.hpp"
#include "launcher/run/mechanisms.hpp"

namespace ipcbox::launcher::probe {
namespace {

namespace m = mechanism;

uint32_t random_u32() {
    uint32_t v = 0;
    if (getrandom(&v, sizeof v, 0) != sizeof v) v = static_cast<uint32_t>(getpid()) * 2654435761u;
    return v;
}

std::string why(const std::string& what, int err = errno) {
    return "could not make the host object: " + what + ": " + std::strerror(err);
}

// A fresh key under the probe's prefix; another holder of the same key is skipped.
template <class Get>
int create_sysv(Get get, key_t* key) {
    for (int attempt = 0; attempt < 32; ++attempt) {
        *key = kKeyPrefix | static_cast<key_t>(random_u32() & 0xffffff);
        const int id = get(*key);
        if (id >= 0 || errno != EEXIST) return id;
    }
    return -1;
}

// Listens without blocking, so observe() can ask whether a connection came in.
int listen_on(const sockaddr* addr, socklen_t len, int family) {
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (bind(fd, addr, len) != 0 || listen(fd, 8) != 0) {
        const int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

bool accepted(int fd) {
    if (fd < 0) return false;
    const int conn = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) return false;
    close(conn);
    return true;
}

}  // namespace

std::unique_ptr<ProbeHost> ProbeHost::create(const std::vector<std::string>& mqueue_mounts,
                                             const std::vector<std::string>& private_dirs,
                                             std::optional<ns::Identity> owner) {
    std::unique_ptr<ProbeHost> host(new ProbeHost());
    host->owner_ = owner;
    char random[16];
    std::snprintf(random, sizeof random, "%08x", random_u32());
    host->base_ = std::string(kNamePrefix) + std::to_string(getpid()) + "-" + random;
    host->make_sysv();
    host->make_posix(mqueue_mounts);
    host->make_files(private_dirs);
    host->make_sockets();
    host->make_process_and_fd();
    return host;
}

void ProbeHost::give(const std::string& path, int fd) {
    if (!owner_) return;
    // Best effort: an object left to root only makes its row read "blocked".
    if (fd >= 0)
        (void)!fchown(fd, owner_->uid, owner_->gid);
    else
        (void)!lchown(path.c_str(), owner_->uid, owner_->gid);
}

ProbeHost::~ProbeHost() {
    remove_all();
}

void ProbeHost::remove_all() {
    while (!undo_.empty()) {
        undo_.back()();
        undo_.pop_back();
    }
}

void ProbeHost::make_sysv() {
    key_t key;
    int id = create_sysv([](key_t k) { return msgget(k, IPC_CREAT | IPC_EXCL | 0600); }, &key);
    if (id >= 0) {
        undo([id] { msgctl(id, IPC_RMID, nullptr); });
        if (owner_) {
            msqid_ds ds{};
            if (msgctl(id, IPC_STAT, &ds) == 0) {
                ds.msg_perm.uid = owner_->uid;
                ds.msg_perm.gid = owner_->gid;
                msgctl(id, IPC_SET, &ds);
            }
        }
        targets_.sysv_queue = SysvTarget{key, id};
    } else {
        miss(m::kSysvQueue, why("msgget"));
        miss(m::kSysvQueueId, why("msgget"));
    }
    id = create_sysv([](key_t k) { return semget(k, 1, IPC_CREAT | IPC_EXCL | 0600); }, &key);
    if (id >= 0) {
        undo([id] { semctl(id, 0, IPC_RMID); });
        if (owner_) {
            semid_ds ds{};
            if (semctl(id, 0, IPC_STAT, &ds) == 0) {
                ds.sem_perm.uid = owner_->uid;
                ds.sem_perm.gid = owner_->gid;
                semctl(id, 0, IPC_SET, &ds);
            }
        }
        targets_.sysv_semaphore = SysvTarget{key, id};
    } else {
        miss(m::kSysvSemaphore, why("semget"));
        miss(m::kSysvSemaphoreId, why("semget"));
    }
    id = create_sysv([](key_t k) { return shmget(k, 4096, IPC_CREAT | IPC_EXCL | 0600); }, &key);
    if (id >= 0) {
        undo([id] { shmctl(id, IPC_RMID, nullptr); });
        if (owner_) {
            shmid_ds ds{};
            if (shmctl(id, IPC_STAT, &ds) == 0) {
                ds.shm_perm.uid = owner_->uid;
                ds.shm_perm.gid = owner_->gid;
                shmctl(id, IPC_SET, &ds);
            }
        }
        targets_.sysv_shm = SysvTarget{key, id};
    } else {
        miss(m::kSysvShm, why("shmget"));
        miss(m::kSysvShmId, why("shmget"));
    }
}

void ProbeHost::make_posix(const std::vector<std::string>& mqueue_mounts) {
    const std::string mq = "/" + base_ + "-mq";
    mqd_t q = mq_open(mq.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, nullptr);
    if (q != static_cast<mqd_t>(-1)) {
        give(mq, q);
        mq_close(q);
        undo([mq] { mq_unlink(mq.c_str()); });
        targets_.posix_queue = mq;
    } else {
        miss(m::kPosixQueue, why("mq_open " + mq));
    }

    // Made through the mount itself: that mount may belong to another IPC namespace than ours.
    if (mqueue_mounts.empty()) {
        miss(m::kPosixQueuePath, "no host mqueue mount: nothing to reach");
    } else {
        const std::string path = mqueue_mounts.front() + "/" + base_ + "-mqpath";
        int fd = open(path.c_str(), O_CREAT | O_EXCL | O_RDONLY | O_CLOEXEC, 0600);
        if (fd >= 0) {
            give(path, fd);
            close(fd);
            undo([path] { unlink(path.c_str()); });
            targets_.mqueue_path = path;
        } else {
            miss(m::kPosixQueuePath, why("create " + path));
        }
    }

    const std::string shm = "/" + base_ + "-shm";
    int fd = shm_open(shm.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd >= 0) {
        give(shm, fd);
        close(fd);
        undo([shm] { shm_unlink(shm.c_str()); });
        targets_.posix_shm = shm;
    } else {
        miss(m::kPosixShm, why("shm_open " + shm));
    }

    const std::string sem = "/" + base_ + "-sem";
    sem_t* s = sem_open(sem.c_str(), O_CREAT | O_EXCL, 0600, 0);
    if (s != SEM_FAILED) {
        give("/dev/shm/sem." + sem.substr(1));
        sem_close(s);
        undo([sem] { sem_unlink(sem.c_str()); });
        targets_.posix_semaphore = sem;
    } else {
        miss(m::kPosixSemaphore, why("sem_open " + sem));
    }
}

// The fifo and the path socket live in a directory of their own, where the sandbox would see
// them if nothing covered it: in /tmp, or under a path the sandbox gets a tmpfs over.
void ProbeHost::make_files(const std::vector<std::string>& private_dirs) {
    const std::vector<std::string> parents =
        private_dirs.empty() ? std::vector<std::string>{"/tmp"} : private_dirs;
    std::string failed;
    for (const std::string& parent : parents) {
        std::string tmpl = parent + "/" + base_ + "-XXXXXX";
        if (mkdtemp(tmpl.data())) {
            temp_dir_ = tmpl;
            break;
        }
        failed = why("mkdtemp " + printable(tmpl));
    }
    if (temp_dir_.empty()) {
        miss(m::kFifo, failed);
        miss(m::kUnixSocketPath, failed);
        return;
    }
    undo([dir = temp_dir_] { rmdir(dir.c_str()); });
    give(temp_dir_);

    const std::string fifo = temp_dir_ + "/fifo";
    if (mkfifo(fifo.c_str(), 0600) == 0) {
        undo([fifo] { unlink(fifo.c_str()); });
        give(fifo);
        // Held open for reading so the inside's non-blocking open for writing finds a reader.
        fifo_fd_ = open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fifo_fd_ >= 0) {
            undo([fd = fifo_fd_] { close(fd); });
            targets_.fifo = fifo;
        } else {
            miss(m::kFifo, why("open " + fifo));
        }
    } else {
        miss(m::kFifo, why("mkfifo " + fifo));
    }

    const std::string path = temp_dir_ + "/socket";
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    // A longer path would be cut short: the socket would be made somewhere else.
    if (path.size() >= sizeof addr.sun_path) {
        miss(m::kUnixSocketPath, why("listen on " + path, ENAMETOOLONG));
        return;
    }
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    unix_fd_ = listen_on(reinterpret_cast<sockaddr*>(&addr), sizeof addr, AF_UNIX);
    if (unix_fd_ >= 0) {
        undo([path, fd = unix_fd_] {
            close(fd);
            unlink(path.c_str());
        });
        give(path);
        targets_.unix_socket = path;
    } else {
        miss(m::kUnixSocketPath, why("listen on " + path));
    }
}

void ProbeHost::make_sockets() {
    const std::string name = base_ + "-abstract";
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path + 1, name.data(), std::min(name.size(), sizeof addr.sun_path - 2));
    const socklen_t len = offsetof(sockaddr_un, sun_path) + 1 + name.size();
    abstract_fd_ = listen_on(reinterpret_cast<sockaddr*>(&addr), len, AF_UNIX);
    if (abstract_fd_ >= 0) {
        undo([fd = abstract_fd_] { close(fd); });
        targets_.abstract_socket = name;
    } else {
        miss(m::kUnixSocketAbstract, why("listen on @" + name));
    }

    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    tcp_fd_ = listen_on(reinterpret_cast<sockaddr*>(&in), sizeof in, AF_INET);
    socklen_t in_len = sizeof in;
    if (tcp_fd_ >= 0 && getsockname(tcp_fd_, reinterpret_cast<sockaddr*>(&in), &in_len) == 0) {
        undo([fd = tcp_fd_] { close(fd); });
        targets_.tcp_port = ntohs(in.sin_port);
    } else {
        if (tcp_fd_ >= 0) close(tcp_fd_);
        tcp_fd_ = -1;
        miss(m::kTcpLoopback, why("listen on 127.0.0.1"));
    }
}

void ProbeHost::make_process_and_fd() {
    const int cookie = static_cast<int>(random_u32() & 0x7fffffff);
    auto helper = SignalHelper::start(cookie, owner_);
    if (helper) {
        helper_.emplace(std::move(helper).value());
        undo([this] { helper_.reset(); });
        targets_.signal_pid = helper_->pid();
        targets_.signal_cookie = cookie;
    } else {
        miss(m::kSignal, "could not start the host process: " + helper.error().message);
    }

    // Deliberately without close-on-exec: the sandbox must close it itself.
    int fds[2];
    struct stat st;
    if (pipe2(fds, 0) == 0) {
        undo([fds] {
            close(fds[0]);
            close(fds[1]);
        });
        fcntl(fds[1], F_SETFD, FD_CLOEXEC);
        if (fstat(fds[0], &st) == 0) {
            targets_.inherited_fd = fds[0];
            targets_.inherited_inode = st.st_ino;
            return;
        }
    }
    miss(m::kInheritedFd, why("pipe"));
}

std::map<std::string, bool> ProbeHost::observe() {
    std::map<std::string, bool> seen;
    if (fifo_fd_ >= 0) {
        char byte;
        seen[m::kFifo] = read(fifo_fd_, &byte, 1) == 1;
    }
    if (unix_fd_ >= 0) seen[m::kUnixSocketPath] = accepted(unix_fd_);
    if (abstract_fd_ >= 0) seen[m::kUnixSocketAbstract] = accepted(abstract_fd_);
    if (tcp_fd_ >= 0) seen[m::kTcpLoopback] = accepted(tcp_fd_);
    if (helper_) seen[m::kSignal] = helper_->stop();
    return seen;
}

}  // namespace ipcbox::launcher::probe
