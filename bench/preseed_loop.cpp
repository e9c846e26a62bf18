// Baseline for bench/preseed.sh: the syscalls a preseed needs, written as a plain loop in one
// process inside a new IPC namespace, and ipcbox's own preseed step run the same way.
//   preseed_loop loop QUEUES SEMS SHMS MQUEUES   the plain loop (objects as bench/preseed.sh
//                                                generates them)
//   preseed_loop step SPEC                       ns::apply_sysctls + ipc::preseed on SPEC
//   preseed_loop parse SPEC                      config::load_spec_file + config::validate
//   preseed_loop time COMMAND [ARGS...]          runs COMMAND: its wall time and the CPU time of
//                                                its whole process tree (wait4 rusage)
// loop and step print "usec WALL cpu CPU": wall-clock and CPU time (user + system) of the creating
// work alone, without process or namespace set-up. CPU time is what to compare on a busy machine.
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <spawn.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "config/load.hpp"
#include "ipc/preseed/preseed.hpp"
#include "ns/sysctl.hpp"

extern char** environ;

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "preseed_loop: %s: %s\n", what.c_str(), std::strerror(errno));
    std::exit(1);
}

void write_file(const char* path, const std::string& text) {
    int fd = open(path, O_WRONLY);
    if (fd < 0 || write(fd, text.data(), text.size()) < 0) die(path);
    close(fd);
}

double cpu_micros() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

// A new IPC namespace (with a user namespace when not root) and a private /dev/shm, as ipcbox
// makes before preseeding.
void enter_namespaces() {
    const uid_t uid = geteuid();
    const gid_t gid = getegid();
    int flags = CLONE_NEWIPC | CLONE_NEWNS;
    if (uid != 0) flags |= CLONE_NEWUSER;
    if (unshare(flags) != 0) die("unshare");
    if (uid != 0) {
        write_file("/proc/self/setgroups", "deny");
        write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
        write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    }
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) die("make / private");
    if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0)
        die("mount /dev/shm");
}

// The same objects, keys and bytes as bench/preseed.sh writes into its spec.
void plain_loop(int queues, int sems, int shms, int mqueues) {
    umask(0);
    struct {
        long type;
        char text[64];
    } msg{};
    for (int i = 0; i < queues; ++i) {
        int id = msgget(0x10000 + i, IPC_CREAT | IPC_EXCL | 0600);
        if (id < 0) die("msgget");
        msg.type = 1;
        int n = std::snprintf(msg.text, sizeof msg.text, "message %d", i);
        if (msgsnd(id, &msg, n, IPC_NOWAIT) != 0) die("msgsnd");
    }
    for (int i = 0; i < sems; ++i) {
        int id = semget(0x20000 + i, 1, IPC_CREAT | IPC_EXCL | 0600);
        if (id < 0) die("semget");
        unsigned short values[1] = {1};
        if (semctl(id, 0, SETALL, values) != 0) die("semctl");
    }
    for (int i = 0; i < shms; ++i) {
        int id = shmget(0x30000 + i, 65536, IPC_CREAT | IPC_EXCL | 0600);
        if (id < 0) die("shmget");
        void* p = shmat(id, nullptr, 0);
        if (p == reinterpret_cast<void*>(-1)) die("shmat");
        char text[64];
        int n = std::snprintf(text, sizeof text, "segment %d", i);
        std::memcpy(p, text, n);
        if (shmdt(p) != 0) die("shmdt");
    }
    for (int i = 0; i < mqueues; ++i) {
        mq_attr attr{};
        attr.mq_maxmsg = 2;
        attr.mq_msgsize = 64;
        const std::string name = "/q" + std::to_string(i);
        mqd_t mq = mq_open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC, 0600,
                           &attr);
        if (mq < 0) die("mq_open");
        char text[64];
        int n = std::snprintf(text, sizeof text, "job %d", i);
        if (mq_send(mq, text, n, 1) != 0) die("mq_send");
        mq_close(mq);
    }
}

void print_times(std::chrono::steady_clock::duration wall, double cpu) {
    std::printf("usec %.0f cpu %.0f\n", std::chrono::duration<double, std::micro>(wall).count(),
                cpu);
}

// The creating work alone: the plain loop, or ipcbox's step on a spec loaded beforehand.
int time_work(int argc, char** argv) {
    const std::string mode = argv[1];
    ipcbox::config::Spec spec;
    if (mode == "step") {
        auto loaded = ipcbox::config::load_spec_file(argv[2]);
        if (!loaded) {
            std::fprintf(stderr, "preseed_loop: %s\n", loaded.error().message.c_str());
            return 1;
        }
        spec = std::move(loaded).value();
    }
    enter_namespaces();
    const double cpu_start = cpu_micros();
    const auto start = std::chrono::steady_clock::now();
    if (mode == "loop" && argc == 6) {
        plain_loop(std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]), std::atoi(argv[5]));
    } else {
        ipcbox::Status s = ipcbox::ns::apply_sysctls(spec.sysctls);
        if (s) {
            auto r = ipcbox::ipc::preseed(spec.objects, {.dev_shm = spec.dev_shm.mode});
            if (!r) s = std::move(r).error();
        }
        if (!s) {
            std::fprintf(stderr, "preseed_loop: %s\n", s.error().message.c_str());
            return 1;
        }
    }
    print_times(std::chrono::steady_clock::now() - start, cpu_micros() - cpu_start);
    return 0;
}

// What `ipcbox run -c SPEC` spends on the spec before any namespace exists.
int time_parse(const char* path) {
    const double cpu_start = cpu_micros();
    auto loaded = ipcbox::config::load_spec_file(path);
    const double cpu_loaded = cpu_micros();
    if (!loaded) {
        std::fprintf(stderr, "preseed_loop: %s\n", loaded.error().message.c_str());
        return 1;
    }
    ipcbox::Status valid = ipcbox::config::validate(*loaded);
    const double cpu_valid = cpu_micros();
    if (!valid) {
        std::fprintf(stderr, "preseed_loop: %s\n", valid.error().message.c_str());
        return 1;
    }
    std::printf("load cpu %.0f validate cpu %.0f\n", cpu_loaded - cpu_start,
                cpu_valid - cpu_loaded);
    return 0;
}

// CPU time counts on a busy machine, where wall time also measures the other processes. The
// rusage of a waited-for child includes every descendant it waited for (the sandbox).
int time_command(char** argv) {
    // The command's own output would mix with ours.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv, environ) != 0) die(argv[0]);
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid) die("wait4");
    const auto wall = std::chrono::steady_clock::now() - start;
    posix_spawn_file_actions_destroy(&actions);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "preseed_loop: %s failed (status %d)\n", argv[0], status);
        return 1;
    }
    auto micros = [](const timeval& t) { return t.tv_sec * 1e6 + t.tv_usec; };
    print_times(wall, micros(usage.ru_utime) + micros(usage.ru_stime));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if ((mode == "loop" && argc == 6) || (mode == "step" && argc == 3))
        return time_work(argc, argv);
    if (mode == "parse" && argc == 3) return time_parse(argv[2]);
    if (mode == "time" && argc > 2) return time_command(argv + 2);
    std::fprintf(stderr,
                 "usage: preseed_loop loop QUEUES SEMS SHMS MQUEUES | step SPEC | parse SPEC | "
                 "time COMMAND [ARGS...]\n");
    return 2;
}
