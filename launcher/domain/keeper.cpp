#include "launcher/domain/keeper.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "base/io.hpp"
#include "base/text.hpp"
#include "base/unique_fd.hpp"

namespace ipcbox::launcher::domain {
namespace {

// The inode of /proc/PID/ns/ipc, 0 when it cannot be read (a zombie, another user's process).
uint64_t ipc_ns_of(pid_t pid) {
    struct stat st;
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/ipc";
    return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::vector<pid_t> all_pids() {
    std::vector<pid_t> pids;
    DIR* proc = opendir("/proc");
    if (!proc) return pids;
    while (const dirent* e = readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(e->d_name, &end, 10);
        if (pid > 0 && *end == '\0') pids.push_back(static_cast<pid_t>(pid));
    }
    closedir(proc);
    return pids;
}

// Signals `pid` through a pidfd, after checking (with the pidfd open, so the pid cannot be reused
// in between) that it is still inside the domain.
bool signal_if_inside(pid_t pid, uint64_t ipc_ns, int sig) {
    UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
    if (!pidfd.valid() || ipc_ns_of(pid) != ipc_ns) return false;
    return syscall(SYS_pidfd_send_signal, pidfd.get(), sig, nullptr, 0) == 0;
}

bool wait_until_empty(const State& state, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        if (processes_inside(state).empty()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

Result<uint64_t> start_time_of(pid_t pid) {
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    auto text = read_whole_file(path, 4096);
    if (!text) return std::move(text).error().with_context(path);
    // "pid (comm) state ppid ...": comm may hold anything, so count fields after the last ')'.
    const size_t close = text->rfind(')');
    if (close == std::string::npos) return Error::of(path + ": unexpected format");
    const char* p = text->c_str() + close + 1;
    for (int field = 3; field < 22; ++field) {
        p = std::strchr(p + 1, ' ');
        if (!p) return Error::of(path + ": unexpected format");
    }
    return std::strtoull(p + 1, nullptr, 10);
}

Result<ns::TargetNamespaces> open_keeper(const State& state) {
    const std::string who = "domain '" + printable(state.name) + "': its keeper (pid " +
                            std::to_string(state.keeper) + ")";
    auto gone = [&](const std::string& why) {
        return Error::of(who + " is gone (" + why + ")")
            .with_hint("'ipcbox domain rm " + printable(state.name) + "' cleans it up");
    };
    // Another user's process is refused before anything of it is opened.
    struct stat st;
    const std::string proc = "/proc/" + std::to_string(state.keeper);
    if (stat(proc.c_str(), &st) != 0) return gone("no such process");
    if (st.st_uid != geteuid())
        return Error::of(who + " belongs to uid " + std::to_string(st.st_uid) + ", not to uid " +
                         std::to_string(geteuid()));
    auto target = ns::open_target_namespaces(state.keeper);
    if (!target) return gone(target.error().message);
    auto started = start_time_of(state.keeper);
    if (!started || *started != state.keeper_start)
        return gone("its pid now names another process");
    if (fstat(target->ipc.get(), &st) != 0 || st.st_ino != state.ipc_ns)
        return gone("its pid now names another process");
    // A record naming a process in our own IPC namespace (edited by hand) is no domain: `rm` would
    // end every process of ours in it.
    if (target->ipc_is_ours)
        return Error::of(who + " shares ipcbox's own IPC namespace: this is not a domain");
    return target;
}

Result<Opened> open_domain(const std::string& name) {
    if (Status s = check_name(name); !s) return std::move(s).error();
    auto dir = domains_dir(false);
    if (!dir) return dir.error().err == ENOENT ? no_such_domain(name) : std::move(dir).error();
    const std::string domain_dir = *dir + "/" + name;
    struct stat st;
    if (lstat(domain_dir.c_str(), &st) != 0) return no_such_domain(name);
    auto state = read_state(domain_dir);
    if (!state) {
        if (state.error().err != ENOENT) return std::move(state).error();
        return Error::of("domain '" + printable(name) +
                         "' is being created, or its creation failed")
            .with_hint("'ipcbox domain rm " + printable(name) + "' removes a failed one");
    }
    auto keeper = open_keeper(*state);
    if (!keeper) return std::move(keeper).error();
    return Opened{domain_dir, std::move(state).value(), std::move(keeper).value()};
}

std::vector<pid_t> processes_inside(const State& state) {
    std::vector<pid_t> inside;
    for (pid_t pid : all_pids())
        if (pid != state.keeper && ipc_ns_of(pid) == state.ipc_ns) inside.push_back(pid);
    return inside;
}

std::vector<EndedProcess> end_processes_inside(const State& state,
                                               std::chrono::milliseconds grace) {
    using Clock = std::chrono::steady_clock;
    std::vector<EndedProcess> ended;
    auto send = [&](int sig) {
        for (pid_t pid : processes_inside(state)) {
            auto comm = read_whole_file("/proc/" + std::to_string(pid) + "/comm", 4096);
            if (!signal_if_inside(pid, state.ipc_ns, sig)) continue;
            auto known = std::find_if(ended.begin(), ended.end(),
                                      [&](const EndedProcess& p) { return p.pid == pid; });
            if (known != ended.end()) {
                known->signal = sig;
            } else {
                std::string name = comm ? *comm : "";
                if (!name.empty() && name.back() == '\n') name.pop_back();
                ended.push_back({pid, name, sig});
            }
        }
    };
    send(SIGTERM);
    if (ended.empty() || wait_until_empty(state, Clock::now() + grace)) return ended;
    // What ignores SIGTERM, or was started meanwhile, until nothing is left.
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    do {
        send(SIGKILL);
    } while (!wait_until_empty(state, Clock::now() + std::chrono::milliseconds(100)) &&
             Clock::now() < deadline);
    return ended;
}

void keep() {
    // Out of the caller's session and terminal: a ^C or a closed terminal must not end the domain.
    setsid();
    if (chdir("/") != 0) _exit(1);
    const int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
    }
    // Closing the report channel with everything else tells `create` the domain is ready.
    close_range(3, ~0U, 0);
    for (int sig : {SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE, SIGUSR1, SIGUSR2})
        signal(sig, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (;;) pause();
}

}  // namespace ipcbox::launcher::domain
