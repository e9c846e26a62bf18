// Runs inside a sandbox and reads IPC objects by plain syscalls, independently of ipcbox, printing
// one line per finding (bytes in hex), so tests can compare what the command would see.
//
//   support_ipcread OP ARGS [, OP ARGS]...
//   id                          -> "id UID GID"
//   msgstat KEY | semstat KEY | shmstat KEY
//                               -> "msgstat id=.. uid=.. gid=.. cuid=.. cgid=.. mode=0.. qbytes=..
//                               qnum=.."
//   msgrcv KEY                  -> "msg TYPE HEX" per message (drains the queue), then "msgend N"
//   semgetall KEY               -> "sem V1 V2 ..."
//   shmread KEY N               -> "shm HEX" (first N bytes)
//   mqread NAME                 -> "mqattr MAXMSG MSGSIZE CURMSGS", "mq PRIO HEX"..., "mqend N"
//   mqstat NAME | stat PATH     -> "stat PATH mode=0.. uid=.. gid=.. size=.."
//   fileread PATH N             -> "file HEX"
//   semvalue NAME               -> "semvalue V"
//   try ACTION ARG              -> "try ACTION ok" or "try ACTION EACCES": msgsnd KEY, msgrcv KEY,
//                                  shmat-rw KEY, semop KEY, mqsend NAME, mqopen-r NAME,
//                                  open-rw PATH, open-r PATH, sem-post NAME
//   touch PATH                  -> creates PATH (tests use it to see whether the command ran)
// Exit status: 0, 1 when a non-try operation failed (its line says "error OP ERRNO"), 2 on usage.
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

int g_status = 0;

std::string hex(const void* data, size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out.empty() ? "-" : out;
}

const char* errname(int err) {
    const char* name = strerrorname_np(err);
    return name ? name : "E?";
}

void failed(const std::string& op) {
    std::printf("error %s %s\n", op.c_str(), errname(errno));
    g_status = 1;
}

// Key 0 is IPC_PRIVATE, which would create an object instead of finding one; -1 is never found.
key_t key_of(const std::string& s) {
    const key_t key = static_cast<key_t>(std::strtoul(s.c_str(), nullptr, 0));
    return key == IPC_PRIVATE ? -1 : key;
}

template <class Perm>
void print_perm(const char* what, int id, const Perm& p) {
    std::printf("%s id=%d uid=%u gid=%u cuid=%u cgid=%u mode=0%o", what, id, p.uid, p.gid, p.cuid,
                p.cgid, p.mode & 0777);
}

void msgstat(const std::string& key) {
    int id = msgget(key_of(key), 0);
    msqid_ds ds{};
    if (id < 0 || msgctl(id, IPC_STAT, &ds) != 0) return failed("msgstat");
    print_perm("msgstat", id, ds.msg_perm);
    std::printf(" qbytes=%lu qnum=%lu\n", ds.msg_qbytes, ds.msg_qnum);
}

void semstat(const std::string& key) {
    int id = semget(key_of(key), 0, 0);
    semid_ds ds{};
    if (id < 0 || semctl(id, 0, IPC_STAT, &ds) != 0) return failed("semstat");
    print_perm("semstat", id, ds.sem_perm);
    std::printf(" nsems=%lu\n", ds.sem_nsems);
}

void shmstat(const std::string& key) {
    int id = shmget(key_of(key), 0, 0);
    shmid_ds ds{};
    if (id < 0 || shmctl(id, IPC_STAT, &ds) != 0) return failed("shmstat");
    print_perm("shmstat", id, ds.shm_perm);
    std::printf(" size=%zu\n", ds.shm_segsz);
}

void msgrcv_all(const std::string& key) {
    int id = msgget(key_of(key), 0);
    if (id < 0) return failed("msgrcv");
    std::vector<long> buf(1 + 65536 / sizeof(long));
    int count = 0;
    for (;;) {
        ssize_t n = msgrcv(id, buf.data(), 65536, 0, IPC_NOWAIT | MSG_NOERROR);
        if (n < 0) break;
        std::printf("msg %ld %s\n", buf[0], hex(&buf[1], n).c_str());
        ++count;
    }
    if (errno != ENOMSG) return failed("msgrcv");
    std::printf("msgend %d\n", count);
}

void semgetall(const std::string& key) {
    int id = semget(key_of(key), 0, 0);
    semid_ds ds{};
    if (id < 0 || semctl(id, 0, IPC_STAT, &ds) != 0) return failed("semgetall");
    std::vector<unsigned short> values(ds.sem_nsems);
    if (semctl(id, 0, GETALL, values.data()) != 0) return failed("semgetall");
    std::printf("sem");
    for (unsigned short v : values) std::printf(" %u", v);
    std::printf("\n");
}

void shmread(const std::string& key, const std::string& count) {
    int id = shmget(key_of(key), 0, 0);
    if (id < 0) return failed("shmread");
    void* p = shmat(id, nullptr, SHM_RDONLY);
    if (p == reinterpret_cast<void*>(-1)) return failed("shmread");
    std::printf("shm %s\n", hex(p, std::strtoul(count.c_str(), nullptr, 0)).c_str());
    shmdt(p);
}

void mqread(const std::string& name) {
    mqd_t mq = mq_open(name.c_str(), O_RDONLY | O_NONBLOCK);
    mq_attr a{};
    if (mq < 0 || mq_getattr(mq, &a) != 0) return failed("mqread");
    std::printf("mqattr %ld %ld %ld\n", a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
    std::vector<char> buf(a.mq_msgsize);
    unsigned prio = 0;
    int count = 0;
    ssize_t n;
    while ((n = mq_receive(mq, buf.data(), buf.size(), &prio)) >= 0) {
        std::printf("mq %u %s\n", prio, hex(buf.data(), n).c_str());
        ++count;
    }
    if (errno != EAGAIN) return failed("mqread");
    std::printf("mqend %d\n", count);
    mq_close(mq);
}

void print_stat(const std::string& what, const struct stat& st) {
    std::printf("stat %s mode=0%o uid=%u gid=%u size=%lld\n", what.c_str(), st.st_mode & 07777,
                st.st_uid, st.st_gid, static_cast<long long>(st.st_size));
}

void stat_path(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return failed("stat");
    print_stat(path, st);
}

void mqstat(const std::string& name) {
    mqd_t mq = mq_open(name.c_str(), O_RDONLY | O_NONBLOCK);
    struct stat st {};
    if (mq < 0 || fstat(mq, &st) != 0) return failed("mqstat");
    print_stat(name, st);
    mq_close(mq);
}

void fileread(const std::string& path, const std::string& count) {
    int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0) return failed("fileread");
    std::vector<char> buf(std::strtoul(count.c_str(), nullptr, 0));
    ssize_t n = read(fd, buf.data(), buf.size());
    close(fd);
    if (n < 0) return failed("fileread");
    std::printf("file %s\n", hex(buf.data(), n).c_str());
}

void semvalue(const std::string& name) {
    sem_t* s = sem_open(name.c_str(), 0);
    int v = -1;
    if (s == SEM_FAILED || sem_getvalue(s, &v) != 0) return failed("semvalue");
    std::printf("semvalue %d\n", v);
    sem_close(s);
}

// Attempts one operation the object's mode may forbid; returns 0 or the errno.
int attempt(const std::string& action, const std::string& arg) {
    if (action == "msgsnd") {
        struct {
            long type;
            char c;
        } m{1, 'x'};
        int id = msgget(key_of(arg), 0);
        return id >= 0 && msgsnd(id, &m, 1, IPC_NOWAIT) == 0 ? 0 : errno;
    }
    if (action == "msgrcv") {
        int id = msgget(key_of(arg), 0);
        std::vector<long> buf(1 + 65536 / sizeof(long));
        return id >= 0 && msgrcv(id, buf.data(), 65536, 0, IPC_NOWAIT | MSG_NOERROR) >= 0 ? 0
                                                                                          : errno;
    }
    if (action == "shmat-rw") {
        int id = shmget(key_of(arg), 0, 0);
        void* p = id >= 0 ? shmat(id, nullptr, 0) : reinterpret_cast<void*>(-1);
        if (p == reinterpret_cast<void*>(-1)) return errno;
        shmdt(p);
        return 0;
    }
    if (action == "semop") {
        int id = semget(key_of(arg), 0, 0);
        sembuf op{0, 1, IPC_NOWAIT};
        return id >= 0 && semop(id, &op, 1) == 0 ? 0 : errno;
    }
    if (action == "mqsend" || action == "mqopen-r") {
        mqd_t mq = mq_open(arg.c_str(), (action == "mqsend" ? O_WRONLY : O_RDONLY) | O_NONBLOCK);
        if (mq < 0) return errno;
        int r = action == "mqsend" && mq_send(mq, "x", 1, 0) != 0 ? errno : 0;
        mq_close(mq);
        return r;
    }
    if (action == "open-rw" || action == "open-r") {
        int fd = open(arg.c_str(), action == "open-rw" ? O_RDWR : O_RDONLY);
        if (fd < 0) return errno;
        close(fd);
        return 0;
    }
    if (action == "sem-post") {
        sem_t* s = sem_open(arg.c_str(), 0);
        if (s == SEM_FAILED) return errno;
        int r = sem_post(s) == 0 ? 0 : errno;
        sem_close(s);
        return r;
    }
    return -1;
}

bool run(const std::vector<std::string>& a) {
    const std::string& op = a[0];
    auto need = [&](size_t n) { return a.size() == n + 1; };
    if (op == "id" && need(0)) {
        std::printf("id %u %u\n", getuid(), getgid());
    } else if (op == "msgstat" && need(1)) {
        msgstat(a[1]);
    } else if (op == "semstat" && need(1)) {
        semstat(a[1]);
    } else if (op == "shmstat" && need(1)) {
        shmstat(a[1]);
    } else if (op == "msgrcv" && need(1)) {
        msgrcv_all(a[1]);
    } else if (op == "semgetall" && need(1)) {
        semgetall(a[1]);
    } else if (op == "shmread" && need(2)) {
        shmread(a[1], a[2]);
    } else if (op == "mqread" && need(1)) {
        mqread(a[1]);
    } else if (op == "mqstat" && need(1)) {
        mqstat(a[1]);
    } else if (op == "stat" && need(1)) {
        stat_path(a[1]);
    } else if (op == "fileread" && need(2)) {
        fileread(a[1], a[2]);
    } else if (op == "semvalue" && need(1)) {
        semvalue(a[1]);
    } else if (op == "try" && need(2)) {
        int err = attempt(a[1], a[2]);
        if (err < 0) return false;
        std::printf("try %s %s\n", a[1].c_str(), err == 0 ? "ok" : errname(err));
    } else if (op == "touch" && need(1)) {
        int fd = open(a[1].c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) return failed("touch"), true;
        close(fd);
    } else {
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> current;
    for (int i = 1; i <= argc; ++i) {
        if (i < argc && std::strcmp(argv[i], ",") != 0) {
            current.push_back(argv[i]);
            continue;
        }
        if (current.empty() || !run(current)) {
            std::fprintf(stderr, "support_ipcread: bad operation (see the comment at the top)\n");
            return 2;
        }
        current.clear();
    }
    std::fflush(stdout);
    return g_status;
}
