// Creates IPC objects by plain syscalls, for tests that need a command (or a container) to leave
// objects behind. Modes are exact (umask 0).
//
//   support_ipcmake OP ARGS [, OP ARGS]...
//   msgq KEY [TEXT]   SysV queue, mode 0640; TEXT sent as one message of type 1
//   sem KEY N         SysV semaphore set of N, mode 0640
//   shm KEY SIZE      SysV segment, mode 0640
//   mq NAME [TEXT]    POSIX queue, mode 0640, 4 x 64 bytes; TEXT sent with priority 0
//   pshm NAME SIZE    POSIX shm object, mode 0640
//   psem NAME VALUE   POSIX named semaphore, mode 0640
//   semuse KEY        takes and gives back semaphore 0 of a set (a lock used and released)
//   msgecho KEY       takes the first message of a queue and sends it back
//   pause             prints "ready PID" and waits for a signal
// Exit status: 0, 1 when an operation failed (its line says "error OP ERRNO"), 2 on usage.
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/ipc.h>
#include <sys/mman.h>
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

[[noreturn]] void failed(const std::string& op) {
    const char* name = strerrorname_np(errno);
    std::printf("error %s %s\n", op.c_str(), name ? name : "E?");
    std::exit(1);
}

key_t key_of(const std::string& s) {
    return static_cast<key_t>(std::strtoul(s.c_str(), nullptr, 0));
}

long number(const std::string& s) {
    return std::strtol(s.c_str(), nullptr, 0);
}

void msgq(const std::vector<std::string>& a) {
    int id = msgget(key_of(a.at(1)), IPC_CREAT | IPC_EXCL | 0640);
    if (id < 0) failed("msgq");
    if (a.size() < 3) return;
    std::vector<char> buf(sizeof(long) + a[2].size());
    const long type = 1;
    std::memcpy(buf.data(), &type, sizeof type);
    std::memcpy(buf.data() + sizeof type, a[2].data(), a[2].size());
    if (msgsnd(id, buf.data(), a[2].size(), IPC_NOWAIT) != 0) failed("msgq");
}

void mq(const std::vector<std::string>& a) {
    mq_attr attr{};
    attr.mq_maxmsg = 4;
    attr.mq_msgsize = 64;
    mqd_t q = mq_open(a.at(1).c_str(), O_CREAT | O_EXCL | O_WRONLY, 0640, &attr);
    if (q == static_cast<mqd_t>(-1)) failed("mq");
    if (a.size() > 2 && mq_send(q, a[2].data(), a[2].size(), 0) != 0) failed("mq");
    mq_close(q);
}

void pshm(const std::vector<std::string>& a) {
    int fd = shm_open(a.at(1).c_str(), O_CREAT | O_EXCL | O_RDWR, 0640);
    if (fd < 0 || ftruncate(fd, number(a.at(2))) != 0) failed("pshm");
    close(fd);
}

void semuse(const std::vector<std::string>& a) {
    int id = semget(key_of(a.at(1)), 0, 0);
    sembuf take{0, -1, IPC_NOWAIT}, give{0, 1, IPC_NOWAIT};
    if (id < 0 || semop(id, &take, 1) != 0 || semop(id, &give, 1) != 0) failed("semuse");
}

void msgecho(const std::vector<std::string>& a) {
    int id = msgget(key_of(a.at(1)), 0);
    std::vector<char> buf(sizeof(long) + 65536);
    ssize_t n = id < 0 ? -1 : msgrcv(id, buf.data(), 65536, 0, IPC_NOWAIT);
    if (n < 0 || msgsnd(id, buf.data(), static_cast<size_t>(n), IPC_NOWAIT) != 0) failed("msgecho");
}

void run(const std::vector<std::string>& a) {
    const std::string& op = a.at(0);
    if (op == "msgq") {
        msgq(a);
    } else if (op == "sem") {
        if (semget(key_of(a.at(1)), static_cast<int>(number(a.at(2))),
                   IPC_CREAT | IPC_EXCL | 0640) < 0)
            failed("sem");
    } else if (op == "shm") {
        if (shmget(key_of(a.at(1)), number(a.at(2)), IPC_CREAT | IPC_EXCL | 0640) < 0)
            failed("shm");
    } else if (op == "mq") {
        mq(a);
    } else if (op == "pshm") {
        pshm(a);
    } else if (op == "psem") {
        sem_t* s = sem_open(a.at(1).c_str(), O_CREAT | O_EXCL, 0640,
                            static_cast<unsigned>(number(a.at(2))));
        if (s == SEM_FAILED) failed("psem");
        sem_close(s);
    } else if (op == "semuse") {
        semuse(a);
    } else if (op == "msgecho") {
        msgecho(a);
    } else if (op == "pause") {
        std::printf("ready %d\n", getpid());
        std::fflush(stdout);
        pause();
    } else {
        std::fprintf(stderr, "support_ipcmake: unknown operation '%s'\n", op.c_str());
        std::exit(2);
    }
}

}  // namespace

int main(int argc, char** argv) {
    umask(0);
    std::vector<std::string> op;
    for (int i = 1; i <= argc; ++i) {
        if (i == argc || std::strcmp(argv[i], ",") == 0) {
            if (!op.empty()) run(op);
            op.clear();
        } else {
            op.push_back(argv[i]);
        }
    }
    return 0;
}
