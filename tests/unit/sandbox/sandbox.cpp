#include "tests/unit/sandbox/sandbox.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "ns/mount.hpp"
#include "ns/user.hpp"

namespace ipcbox::test {
namespace {

constexpr unsigned kNobody = 65534;

// Everything before the check; returns what failed, "" on success. Runs in the child only. The
// namespaces are set up by the product's own steps, as `ipcbox run` takes them.
std::string enter(Privilege privilege, InsideIds ids) {
    int flags = CLONE_NEWIPC | CLONE_NEWNS;
    if (privilege == Privilege::Rootless) {
        // Root becomes nobody first; an unprivileged test process stays who it is.
        if (geteuid() == 0 && (setgroups(0, nullptr) || setresgid(kNobody, kNobody, kNobody) ||
                               setresuid(kNobody, kNobody, kNobody)))
            return std::string("become nobody: ") + std::strerror(errno);
        // A changed uid makes the process undumpable, and /proc/self/*_map root's.
        prctl(PR_SET_DUMPABLE, 1);
        flags |= CLONE_NEWUSER;
    }
    const ns::IdMapping mapping{.inside_uid = ids.uid,
                                .inside_gid = ids.gid,
                                .outside_uid = geteuid(),
                                .outside_gid = getegid()};
    if (unshare(flags) != 0) return std::string("unshare: ") + std::strerror(errno);
    if (privilege == Privilege::Rootless) {
        if (Status s = ns::write_id_maps(mapping); !s) return "id maps: " + s.error().message;
    }
    if (Status s = ns::make_mounts_private(); !s) return s.error().message;
    ns::MountPlan mounts;
    mounts.dev_shm = ns::ShmMount::Fresh;
    mounts.dev_shm_size = 16 << 20;  // 16M: the tests that fill /dev/shm count on it
    if (Status s = ns::mount_dev_shm(mounts); !s) return s.error().message;
    return {};
}

}  // namespace

std::string privilege_name(const ::testing::TestParamInfo<Privilege>& info) {
    return info.param == Privilege::Root ? "root" : "rootless";
}

bool can_run(Privilege privilege) {
    if (privilege == Privilege::Root) return geteuid() == 0;
    static const bool userns = in_sandbox(Privilege::Rootless, [] { return std::string(); }) == "";
    return userns;
}

std::string in_sandbox(Privilege privilege, const std::function<std::string()>& check,
                       InsideIds ids) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return "pipe failed";
    const pid_t pid = fork();
    if (pid < 0) return "fork failed";
    if (pid == 0) {
        close(fds[0]);
        std::string answer = enter(privilege, ids);
        if (answer.empty()) answer = check();
        ssize_t ignored = write(fds[1], answer.data(), answer.size());
        (void)ignored;
        _exit(0);
    }
    close(fds[1]);
    std::string answer;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) answer.append(buf, n);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return answer + " [child died, status " + std::to_string(status) + "]";
    return answer;
}

config::SysvQueue sysv_queue(key_t key, std::vector<config::SysvMessage> messages) {
    config::SysvQueue q;
    q.key.value = key;
    q.messages = std::move(messages);
    return q;
}

config::SysvSemaphore sysv_semaphore(key_t key, std::vector<int> values) {
    config::SysvSemaphore s;
    s.key.value = key;
    s.values = std::move(values);
    return s;
}

config::SysvShm sysv_shm(key_t key, uint64_t size, std::string initial) {
    config::SysvShm s;
    s.key.value = key;
    s.size_bytes = size;
    s.initial = std::move(initial);
    return s;
}

config::Sysctl sysctl(std::string key, std::string value) {
    config::Sysctl s;
    s.key = std::move(key);
    s.value = std::move(value);
    return s;
}

}  // namespace ipcbox::test
