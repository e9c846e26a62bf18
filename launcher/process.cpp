#include "launcher/process.hpp"

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ipcbox::launcher {
namespace {

using Clock = std::chrono::steady_clock;

// How often end_all_children() looks again when no SIGCHLD came: a process orphaned by the death
// of a grandchild is reparented to this one without one.
constexpr std::chrono::milliseconds kRecheck{20};

// The children of every thread of `pid` ("self" for this process), from /proc/PID/task/*/children,
// numbered in the pid namespace of the /proc mount (for the supervisor and the sandbox's init,
// their own).
std::vector<pid_t> children_of(const std::string& pid) {
    std::vector<pid_t> pids;
    const std::string tasks = "/proc/" + pid + "/task";
    DIR* dir = opendir(tasks.c_str());
    if (!dir) return pids;
    while (const dirent* task = readdir(dir)) {
        if (task->d_name[0] == '.') continue;
        std::ifstream in(tasks + "/" + task->d_name + "/children");
        for (pid_t child; in >> child;) pids.push_back(child);
    }
    closedir(dir);
    return pids;
}

// Running (or sleeping, stopped...): not a zombie, not dying, not gone.
bool alive(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    const std::string stat{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto paren = stat.rfind(')');  // the name may hold anything, even ") "
    if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
    const char state = stat[paren + 2];
    return state != 'Z' && state != 'X' && state != 'x';
}

std::string name_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

// For sigtimedwait; a negative duration waits not at all.
timespec timespec_of(Clock::duration duration) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::max(Clock::duration::zero(), duration))
                        .count();
    return {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
}

void wait_for_sigchld(Clock::duration limit) {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    const timespec ts = timespec_of(limit);
    sigtimedwait(&chld, nullptr, &ts);
}

// What end_all_children() has seen and sent.
class Ending {
  public:
    Ending(pid_t unrecorded, const std::vector<pid_t>& spared)
        : unrecorded_(unrecorded), spared_(spared.begin(), spared.end()) {}

    // This process's children but the spared ones, zombies included.
    std::vector<pid_t> children() const {
        std::vector<pid_t> pids;
        for (pid_t pid : own_children())
            if (!spared_.count(pid)) pids.push_back(pid);
        return pids;
    }

    // Reaps those of `children` that have exited (only those: a spared child's status stays its
    // owner's); true if any had.
    static bool reap(const std::vector<pid_t>& children) {
        bool reaped = false;
        for (pid_t pid : children) reaped = waitpid(pid, nullptr, WNOHANG) > 0 || reaped;
        return reaped;
    }

    // Adds every live process below this one that is not recorded yet, before it is signalled.
    void record_tree(const std::vector<pid_t>& children) {
        for (pid_t pid : children) {
            record(pid);
            record_below(std::to_string(pid), 1);
        }
    }

    // Sends `sig` to each of `children` not sent it yet, recording a new one first.
    void signal(const std::vector<pid_t>& children, int sig) {
        for (pid_t child : children) {
            record(child);
            int& sent = sent_[child];
            if (sent == sig || kill(child, sig) != 0) continue;
            sent = sig;
            if (auto at = index_.find(child); at != index_.end()) ended_[at->second].signal = sig;
        }
    }

    std::vector<EndedProcess> take() { return std::move(ended_); }

  private:
    void record_below(const std::string& parent, int depth) {
        if (depth > kMaxDepth) return;
        for (pid_t pid : children_of(parent)) {
            record(pid);
            record_below(std::to_string(pid), depth + 1);
        }
    }
    void record(pid_t pid) {
        if (pid == unrecorded_ || index_.count(pid) || !alive(pid)) return;
        index_[pid] = ended_.size();
        ended_.push_back({pid, name_of(pid), 0});
    }

    static constexpr int kMaxDepth = 64;  // a pid reused while reading cannot make a loop
    pid_t unrecorded_;
    std::set<pid_t> spared_;
    std::vector<EndedProcess> ended_;
    std::map<pid_t, size_t> index_;
    std::map<pid_t, int> sent_;
};

}  // namespace

sigset_t supervised_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kForwardedSignals) sigaddset(&set, sig);
    sigaddset(&set, SIGCHLD);
    return set;
}

bool sent_by_a_process(const siginfo_t& info) {
    return info.si_code <= 0;
}

int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 128;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

std::optional<int> wait_forwarding_signals(
    pid_t child, std::optional<std::chrono::steady_clock::time_point> deadline,
    Forwarding forwarding) {
    const sigset_t waited = supervised_signals();
    for (;;) {
        siginfo_t info;
        int sig;
        if (!deadline) {
            sig = sigwaitinfo(&waited, &info);
        } else {
            const timespec ts = timespec_of(*deadline - Clock::now());
            sig = sigtimedwait(&waited, &info, &ts);
        }
        if (sig < 0) {
            if (errno == EAGAIN) return std::nullopt;  // the deadline passed
            continue;                                  // EINTR
        }
        if (sig != SIGCHLD) {
            // Our unreaped child: the pid is ours.
            if (forwarding == Forwarding::All || sent_by_a_process(info)) kill(child, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
            if (pid == child) return status;
    }
}

std::vector<pid_t> own_children() {
    // Most often there is none (ipcbox run, and after the command, when it left nothing): one
    // waitid that reaps nothing says so, where reading /proc costs a directory and a file.
    siginfo_t info{};
    if (waitid(P_ALL, 0, &info, WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT | __WALL) !=
            0 &&
        errno == ECHILD)
        return {};
    return children_of("self");
}

std::vector<EndedProcess> end_all_children(pid_t unrecorded, std::chrono::milliseconds grace,
                                           const std::vector<pid_t>& spared) {
    Ending ending(unrecorded, spared);
    const auto deadline = Clock::now() + grace;
    for (;;) {
        const auto children = ending.children();
        if (children.empty()) return ending.take();
        // After a child has been reaped, look again: its orphans are already ours.
        if (Ending::reap(children)) continue;
        ending.record_tree(children);
        const auto left = deadline - Clock::now();
        const bool in_grace = left > Clock::duration::zero();
        ending.signal(children, in_grace ? SIGTERM : SIGKILL);
        wait_for_sigchld(in_grace ? std::min<Clock::duration>(left, kRecheck) : kRecheck);
    }
}

}  // namespace ipcbox::launcher
