#include "tests/integration/harness/harness.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace fs = std::filesystem;

namespace ipcbox::test {
namespace {

void copy_executable(const fs::path& from, const fs::path& to) {
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    fs::permissions(to, fs::perms(0755));
}

struct Staging {
    std::string dir;
    Staging() {
        char tmpl[] = "/tmp/ipcbox-test-XXXXXX";
        dir = mkdtemp(tmpl);
        fs::permissions(dir, fs::perms(0755));
        copy_executable(IPCBOX_BINARY, fs::path(dir) / "ipcbox");
        for (const auto& entry : fs::directory_iterator(IPCBOX_BUILD_DIR)) {
            const auto name = entry.path().filename().string();
            if (entry.is_regular_file() && name.rfind("support_", 0) == 0 &&
                (entry.status().permissions() & fs::perms::owner_exec) != fs::perms::none)
                copy_executable(entry.path(), fs::path(dir) / name);
        }
    }
    ~Staging() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
};

Staging& staging() {
    static Staging s;
    return s;
}

}  // namespace

std::string as_name(const ::testing::TestParamInfo<As>& info) {
    return info.param == As::Root ? "root" : "nobody";
}

const std::string& staging_dir() {
    return staging().dir;
}

std::string support(const std::string& name) {
    return staging_dir() + "/support_" + name;
}

std::string write_spec(const std::string& toml) {
    static int counter = 0;
    const std::string path = staging_dir() + "/spec" + std::to_string(++counter) + ".toml";
    std::ofstream(path) << toml;
    fs::permissions(path, fs::perms(0644));
    return path;
}

bool userns_available() {
    static const bool available = [] {
        Outcome o = run_program(As::Nobody, {"/usr/bin/unshare", "-Uri", "/bin/true"});
        return o.exit_code == 0;
    }();
    return available;
}

namespace {

// Forks and execs `argv` as `who` with stdout/stderr on pipes; stdin from `in_fd` (or /dev/null).
pid_t start(As who, const std::vector<std::string>& argv, int in_fd, int* out_fd, int* err_fd) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return -1;
    // Made here, not in the child: a staging directory made there would never be removed.
    const std::string& staging = staging_dir();
    pid_t pid = fork();
    if (pid == 0) {
        int null_fd = open("/dev/null", O_RDONLY);
        dup2(in_fd >= 0 ? in_fd : null_fd, 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        if (who == As::Nobody) {
            if (setgroups(0, nullptr) || setresgid(kNobody, kNobody, kNobody) ||
                setresuid(kNobody, kNobody, kNobody))
                _exit(200);
        }
        if (chdir(staging.c_str()) != 0) _exit(201);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(202);
    }
    close(out[1]);
    close(err[1]);
    *out_fd = out[0];
    *err_fd = err[0];
    return pid;
}

}  // namespace

Outcome run_program(As who, const std::vector<std::string>& argv, const std::string& stdin_data,
                    int limit_seconds) {
    int in[2];
    if (pipe2(in, O_CLOEXEC)) return {};
    int out_fd, err_fd;
    pid_t pid = start(who, argv, in[0], &out_fd, &err_fd);
    close(in[0]);
    // Inputs used by tests are small (< the pipe buffer), so one write cannot block.
    if (!stdin_data.empty()) {
        ssize_t ignored = write(in[1], stdin_data.data(), stdin_data.size());
        (void)ignored;
    }
    close(in[1]);

    // Collect both streams; kill only our own child if it overstays.
    Outcome o;
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limit_seconds);
    int open_streams = 2;
    while (open_streams > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        if (left <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        if (poll(fds, 2, static_cast<int>(left)) < 0 && errno != EINTR) break;
        for (auto& p : fds) {
            if (p.fd >= 0 && (p.revents & (POLLIN | POLLHUP))) {
                char buf[65536];
                ssize_t n = read(p.fd, buf, sizeof buf);
                if (n > 0) {
                    (p.fd == out_fd ? o.out : o.err).append(buf, n);
                } else {
                    close(p.fd);
                    p.fd = -1;
                    --open_streams;
                }
            }
        }
    }
    // On a time-out a descendant may still hold the pipes: do not wait for it.
    for (auto& p : fds)
        if (p.fd >= 0) close(p.fd);
    int status = 0;
    waitpid(pid, &status, 0);
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return o;
}

Spawned::Spawned(As who, const std::vector<std::string>& argv) {
    pid_ = start(who, argv, -1, &out_fd_, &err_fd_);
}

Spawned::~Spawned() {
    if (pid_ > 0 && !reaped_) {
        kill(pid_, SIGKILL);  // our own child, not yet reaped: the pid cannot have been reused
        waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
    if (err_fd_ >= 0) close(err_fd_);
}

bool Spawned::wait_for_output(const std::string& text, int limit_seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limit_seconds);
    while (out_.find(text) == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        if (left <= 0 || out_fd_ < 0) return false;
        pollfd p{out_fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        char buf[4096];
        ssize_t n = read(out_fd_, buf, sizeof buf);
        if (n <= 0) return out_.find(text) != std::string::npos;
        out_.append(buf, n);
    }
    return true;
}

void Spawned::send(int sig) {
    if (pid_ > 0 && !reaped_) kill(pid_, sig);
}

Outcome Spawned::wait(int limit_seconds) {
    Outcome o;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limit_seconds);
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) break;
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
            break;
        }
        usleep(10000);
    }
    reaped_ = true;
    // Read what is buffered without waiting for descendants that may still hold the pipes.
    for (int* fd : {&out_fd_, &err_fd_}) {
        fcntl(*fd, F_SETFL, O_NONBLOCK);
        char buf[65536];
        ssize_t n;
        while ((n = read(*fd, buf, sizeof buf)) > 0) (fd == &out_fd_ ? out_ : err_).append(buf, n);
    }
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    o.out = out_;
    o.err = err_;
    return o;
}

bool process_with_marker_exists(const std::string& marker) {
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (cmdline.find(marker) != std::string::npos) return true;
    }
    return false;
}

Outcome run_ipcbox(As who, const std::vector<std::string>& args, const std::string& stdin_data,
                   int limit_seconds) {
    std::vector<std::string> argv{staging_dir() + "/ipcbox"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(who, argv, stdin_data, limit_seconds);
}

}  // namespace ipcbox::test
