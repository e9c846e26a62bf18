#include "tests/integration/probe/checks.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "launcher/run/mechanisms.hpp"
#include "tests/integration/harness/host_objects.hpp"

namespace fs = std::filesystem;

namespace ipcbox::test {
namespace {

namespace m = launcher::mechanism;

std::string fail(const std::string& why) {
    ADD_FAILURE() << why;
    return "error";
}

// support_isolation exits 0 when the object answered and 1 with the errno name when not; a
// filter or a read-only mount answers with one of the "closed" errnos.
std::string verdict_of(const Outcome& o) {
    if (o.exit_code == 0) return "shared";
    if (o.exit_code != 1) {
        ADD_FAILURE() << "support_isolation exited " << o.exit_code << ": " << o.out << o.err;
        return "error";
    }
    static const std::set<std::string> closed = {"EPERM\n", "EACCES\n", "ENOSYS\n", "EROFS\n"};
    return closed.count(o.out) ? "blocked" : "isolated";
}

Outcome inside(As who, const std::vector<std::string>& flags, std::vector<std::string> op) {
    std::vector<std::string> args{"run"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back("--");
    args.push_back(support("isolation"));
    args.insert(args.end(), op.begin(), op.end());
    return run_ipcbox(who, args);
}

// A SysV object of the test's own, readable by the unprivileged runs, removed at the end.
struct SysvObject {
    char kind;  // 'q' queue, 's' semaphore set, 'm' segment
    key_t key;
    int id;
    SysvObject(char k, key_t key_)
        : kind(k),
          key(key_),
          id(k == 'q'   ? msgget(key, IPC_CREAT | IPC_EXCL | 0666)
             : k == 's' ? semget(key, 1, IPC_CREAT | IPC_EXCL | 0666)
                        : shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0666)) {}
    ~SysvObject() {
        if (id < 0) return;
        if (kind == 'q') msgctl(id, IPC_RMID, nullptr);
        if (kind == 's') semctl(id, 0, IPC_RMID);
        if (kind == 'm') shmctl(id, IPC_RMID, nullptr);
    }
};

std::string sysv(As who, const std::vector<std::string>& flags, char kind, bool by_id) {
    SysvObject object(kind, unique_key(kind == 'q' ? 10 : kind == 's' ? 11 : 12));
    if (object.id < 0) {
        ADD_FAILURE() << "could not make the test's own SysV object: " << std::strerror(errno);
        return "error";
    }
    const std::string prefix = kind == 'q' ? "msg" : kind == 's' ? "sem" : "seg";
    if (!by_id)
        return verdict_of(inside(who, flags, {prefix + "-exists", std::to_string(object.key)}));
    // Reaching *an* object with that id is not enough: it must carry the test's key.
    Outcome o = inside(who, flags, {prefix + "-key", std::to_string(object.id)});
    if (o.exit_code == 0) return o.out == std::to_string(object.key) + "\n" ? "shared" : "isolated";
    return verdict_of(o);
}

std::string posix_queue(As who, const std::vector<std::string>& flags) {
    const std::string name = unique_name("check-mq");
    mqd_t q = mq_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0666, nullptr);
    if (q == static_cast<mqd_t>(-1)) return fail("mq_open");
    mq_close(q);
    std::string v = verdict_of(inside(who, flags, {"mq-exists", name}));
    mq_unlink(name.c_str());
    return v;
}

// shm_open and sem_open are opens in /dev/shm: when the host's object is out of reach, making a
// name there tells a closed /dev/shm (EROFS) from a private one.
std::string dev_shm_route(As who, const std::vector<std::string>& flags, const Outcome& found) {
    std::string v = verdict_of(found);
    if (v != "isolated") return v;
    const std::string probe_name = unique_name("check-create");
    UnlinkShmAtEnd guard{probe_name};  // in case /dev/shm were the host's after all
    return verdict_of(inside(who, flags, {"shm-create", probe_name})) == "blocked" ? "blocked"
                                                                                   : "isolated";
}

std::string posix_shm(As who, const std::vector<std::string>& flags) {
    const std::string name = unique_name("check-shm");
    HostShm shm(name);
    if (!shm.ok()) return fail("shm_open");
    return dev_shm_route(who, flags, inside(who, flags, {"shm-exists", name}));
}

std::string posix_semaphore(As who, const std::vector<std::string>& flags) {
    const std::string name = unique_name("check-sem");
    sem_t* sem = sem_open(name.c_str(), O_CREAT | O_EXCL, 0666, 0);
    if (sem == SEM_FAILED) return fail("sem_open");
    sem_close(sem);
    chmod(("/dev/shm/sem." + name.substr(1)).c_str(), 0666);  // whatever the umask
    std::string v = dev_shm_route(who, flags, inside(who, flags, {"nsem-exists", name}));
    sem_unlink(name.c_str());
    return v;
}

std::string mqueue_mount_point() {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.find(" - mqueue ") == std::string::npos) continue;
        std::istringstream fields(line);
        std::string id, parent, dev, root, point;
        fields >> id >> parent >> dev >> root >> point;
        return point;
    }
    return "";
}

std::string mqueue_path(As who, const std::vector<std::string>& flags) {
    const std::string point = mqueue_mount_point();
    if (point.empty()) return "n/a";
    const std::string path = point + unique_name("check-mqpath");
    int fd = open(path.c_str(), O_CREAT | O_EXCL | O_RDONLY, 0666);
    if (fd < 0) return fail("create " + path);
    close(fd);
    std::string v = verdict_of(inside(who, flags, {"path-exists", path}));
    unlink(path.c_str());
    return v;
}

// Where the probe makes its FIFO and socket: under the first --tmpfs path, or anywhere visible.
std::string check_parent(const std::vector<std::string>& flags) {
    for (size_t i = 0; i + 1 < flags.size(); ++i)
        if (flags[i] == "--tmpfs") return flags[i + 1];
    return staging_dir();
}

// A directory of the test's own, world-readable, where the probe would put its objects.
struct CheckDir {
    std::string path;
    explicit CheckDir(const std::vector<std::string>& flags)
        : path(check_parent(flags) + "/probe-check-" + std::to_string(getpid())) {
        fs::create_directory(path);
        fs::permissions(path, fs::perms(0755));
    }
    ~CheckDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

std::string fifo(As who, const std::vector<std::string>& flags) {
    CheckDir dir(flags);
    const std::string path = dir.path + "/fifo";
    if (mkfifo(path.c_str(), 0666) != 0 || chmod(path.c_str(), 0666) != 0) return fail("mkfifo");
    int reader = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    std::string v = verdict_of(inside(who, flags, {"fifo-write", path}));
    char byte = 0;
    if (v == "shared") {
        EXPECT_EQ(read(reader, &byte, 1), 1) << "the byte did not arrive";
    }
    close(reader);
    return v;
}

int listen_unix(const std::string& name, bool abstract) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path + (abstract ? 1 : 0), name.data(), name.size());
    socklen_t len = offsetof(sockaddr_un, sun_path) + (abstract ? 1 : 0) + name.size();
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd, 4) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

std::string unix_path(As who, const std::vector<std::string>& flags) {
    CheckDir dir(flags);
    const std::string path = dir.path + "/sock";
    int fd = listen_unix(path, false);
    if (fd < 0) return fail("listen on " + path);
    chmod(path.c_str(), 0777);  // connecting needs write permission on the socket
    std::string v = verdict_of(inside(who, flags, {"unix-connect", path}));
    close(fd);
    return v;
}

std::string unix_abstract(As who, const std::vector<std::string>& flags) {
    const std::string name = "ipcbox-check-" + std::to_string(getpid());
    int fd = listen_unix(name, true);
    if (fd < 0) return fail("listen on @" + name);
    std::string v = verdict_of(inside(who, flags, {"abstract-connect", name}));
    close(fd);
    return v;
}

std::string tcp(As who, const std::vector<std::string>& flags) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        close(fd);
        return fail("listen on 127.0.0.1");
    }
    std::string v =
        verdict_of(inside(who, flags, {"tcp-connect", std::to_string(ntohs(addr.sin_port))}));
    close(fd);
    return v;
}

// The target is the test's own child, started for this and reaped by Spawned.
std::string signal_host(As who, const std::vector<std::string>& flags) {
    Spawned target(who, {support("isolation"), "wait-signal"});
    if (!target.wait_for_output("ready")) return fail("wait-signal not ready");
    std::string v = verdict_of(
        inside(who, flags, {"kill", std::to_string(target.pid()), std::to_string(SIGUSR1)}));
    if (v == "shared") {
        EXPECT_EQ(target.wait().exit_code, 100 + SIGUSR1);
    }
    return v;
}

std::string inherited_fd(As who, const std::vector<std::string>& flags) {
    std::string command = "exec 7</dev/null; exec " + staging_dir() + "/ipcbox run";
    for (const auto& f : flags) command += " " + f;
    command += " -- " + support("isolation") + " fds";
    Outcome o = run_program(who, {"/bin/sh", "-c", command});
    if (o.exit_code != 0) return fail("fds: " + o.err);
    return o.out == "0 1 2\n" ? "isolated" : "shared";
}

// The escape rows: support_escape's own attempt, "ok" when it worked.
std::string escape_verdict(As who, const std::vector<std::string>& flags,
                           const std::string& script) {
    std::string command = staging_dir() + "/ipcbox run";
    for (const auto& f : flags) command += " " + f;
    command += " -- /bin/sh -c '" + script + "'";
    Outcome o = run_program(who, {"/bin/sh", "-c", command});
    if (o.out == "n/a\n") return "n/a";
    if (o.out == "ok\n") return "shared";
    if (o.exit_code == 1 && o.out.size() > 1 && o.out[0] == 'E') return "blocked";
    return fail("escape: " + o.out + o.err);
}

std::string escape(As who, const std::vector<std::string>& flags, const std::string& mechanism) {
    const std::string e = support("escape");
    if (mechanism == m::kEscapeUnmount) {
        for (const auto& f : flags)
            if (f == "--no-mount") return "n/a";
        return escape_verdict(who, flags, e + " umount-lazy /dev/shm");
    }
    if (mechanism == m::kEscapeMountShm)
        return escape_verdict(
            who, flags,
            "if [ -w /dev/shm ]; then echo n/a; else " + e + " mount tmpfs /dev/shm; fi");
    if (mechanism == m::kEscapeSysctl)
        return escape_verdict(who, flags,
                              e + " write /proc/sys/kernel/msgmnb $(cat /proc/sys/kernel/msgmnb)");
    Spawned host(who, {"/bin/sleep", "30"});
    return escape_verdict(who, flags, e + " setns-ipc " + std::to_string(host.pid()));
}

}  // namespace

std::string independent_verdict(As who, const std::vector<std::string>& flags,
                                const std::string& mechanism) {
    if (mechanism == m::kSysvQueue) return sysv(who, flags, 'q', false);
    if (mechanism == m::kSysvQueueId) return sysv(who, flags, 'q', true);
    if (mechanism == m::kSysvSemaphore) return sysv(who, flags, 's', false);
    if (mechanism == m::kSysvSemaphoreId) return sysv(who, flags, 's', true);
    if (mechanism == m::kSysvShm) return sysv(who, flags, 'm', false);
    if (mechanism == m::kSysvShmId) return sysv(who, flags, 'm', true);
    if (mechanism == m::kPosixQueue) return posix_queue(who, flags);
    if (mechanism == m::kPosixQueuePath) return mqueue_path(who, flags);
    if (mechanism == m::kPosixShm) return posix_shm(who, flags);
    if (mechanism == m::kPosixSemaphore) return posix_semaphore(who, flags);
    if (mechanism == m::kFifo) return fifo(who, flags);
    if (mechanism == m::kUnixSocketPath) return unix_path(who, flags);
    if (mechanism == m::kUnixSocketAbstract) return unix_abstract(who, flags);
    if (mechanism == m::kTcpLoopback) return tcp(who, flags);
    if (mechanism == m::kSignal) return signal_host(who, flags);
    if (mechanism == m::kInheritedFd) return inherited_fd(who, flags);
    for (const char* name :
         {m::kEscapeUnmount, m::kEscapeMountShm, m::kEscapeSysctl, m::kEscapeSetns})
        if (mechanism == name) return escape(who, flags, mechanism);
    ADD_FAILURE() << "no independent check for '" << mechanism << "'";
    return "error";
}

std::set<std::string> probe_leftovers() {
    std::set<std::string> found;
    for (const std::string kind : {"msg", "sem", "shm"}) {
        std::ifstream in("/proc/sysvipc/" + kind);
        std::string line;
        std::getline(in, line);  // the header
        long long key;
        while (in >> key) {
            if ((key & 0xff000000) == 0x1c000000)
                found.insert(kind + " key " + std::to_string(key));
            std::getline(in, line);
        }
    }
    for (const char* dir : {"/dev/shm", "/tmp"})
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.path().filename().string().find("ipcbox-probe-") != std::string::npos)
                found.insert(entry.path().string());
    return found;
}

bool host_has_mqueue_mount() {
    return !mqueue_mount_point().empty();
}

}  // namespace ipcbox::test
