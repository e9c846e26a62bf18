// The escape attempts of the inside half: the command trying to undo its sandbox rather than to
// reach an object through it. Each is made only where success could change nothing on the host,
// and one that succeeds is put back where it can be (a tmpfs mounted over /dev/shm).
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/io.hpp"
#include "launcher/probe/inside.hpp"
#include "launcher/run/mechanisms.hpp"

namespace ipcbox::launcher::probe {
namespace {

namespace m = mechanism;

// Every refusal counts as the route being closed: these are not lookups of objects that may
// simply be absent.
Attempt refused(const char* mechanism, const std::string& what, int err) {
    const char* name = strerrorname_np(err);
    return Attempt{mechanism, false, err, true, what + ": " + (name ? name : std::to_string(err))};
}

Attempt succeeded(const char* mechanism, std::string detail) {
    return Attempt{mechanism, true, 0, false, std::move(detail)};
}

Attempt unmount_dev_shm() {
    if (umount2("/dev/shm", MNT_DETACH) != 0)
        return refused(m::kEscapeUnmount, "umount2 /dev/shm", errno);
    return succeeded(m::kEscapeUnmount, "umount2 /dev/shm succeeded");
}

Attempt mount_over_dev_shm() {
    if (mount("none", "/dev/shm", "tmpfs", 0, nullptr) != 0)
        return refused(m::kEscapeMountShm, "mount tmpfs on /dev/shm", errno);
    umount2("/dev/shm", MNT_DETACH);
    return succeeded(m::kEscapeMountShm, "mounted a tmpfs of its own over /dev/shm");
}

// Writes the value already there: a success changes nothing.
Attempt rewrite_sysctl() {
    const char* path = "/proc/sys/kernel/msgmnb";
    auto value = read_whole_file(path, 64);
    if (!value) return refused(m::kEscapeSysctl, std::string("read ") + path, value.error().err);
    const int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return refused(m::kEscapeSysctl, std::string("open ") + path, errno);
    Status written = write_all(fd, *value);
    close(fd);
    if (!written)
        return refused(m::kEscapeSysctl, std::string("write ") + path, written.error().err);
    return succeeded(m::kEscapeSysctl, std::string("wrote ") + path);
}

// In a child, so that a success does not move this process. Reached only if the namespace
// entered is the host's (in a new pid namespace the pid may name one of the sandbox's own).
Attempt setns_host_ipc(pid_t pid, uint64_t host_inode) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return refused(m::kEscapeSetns, "pipe", errno);
    const pid_t child = fork();
    if (child < 0) return refused(m::kEscapeSetns, "fork", errno);
    if (child == 0) {
        close(pipe_fds[0]);
        int result[2] = {0, 0};  // errno, and 1 when the host's namespace was entered
        const std::string path = "/proc/" + std::to_string(pid) + "/ns/ipc";
        const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || setns(fd, CLONE_NEWIPC) != 0)
            result[0] = errno;
        else if (stat("/proc/self/ns/ipc", &st) == 0)
            result[1] = st.st_ino == host_inode;
        (void)!write(pipe_fds[1], result, sizeof result);
        _exit(0);
    }
    close(pipe_fds[1]);
    int result[2] = {EIO, 0};
    const bool got = read(pipe_fds[0], result, sizeof result) == sizeof result;
    close(pipe_fds[0]);
    waitpid(child, nullptr, 0);
    if (!got) return refused(m::kEscapeSetns, "the attempt reported nothing", EIO);
    const std::string what = "setns into /proc/" + std::to_string(pid) + "/ns/ipc";
    if (result[0] != 0) return refused(m::kEscapeSetns, what, result[0]);
    if (result[1]) return succeeded(m::kEscapeSetns, what + ": entered the host's namespace");
    return Attempt{m::kEscapeSetns, false, 0, false,
                   "pid " + std::to_string(pid) + " is this sandbox's own process here"};
}

}  // namespace

std::vector<Attempt> try_escapes(const Targets& t) {
    std::vector<Attempt> out;
    if (t.escape_sysctl) out.push_back(rewrite_sysctl());
    if (t.escape_setns_pid > 0)
        out.push_back(setns_host_ipc(t.escape_setns_pid, t.escape_host_ipc_inode));
    if (t.escape_mount_shm) out.push_back(mount_over_dev_shm());
    // Last: a success would take the sandbox's /dev/shm away.
    if (t.escape_unmount) out.push_back(unmount_dev_shm());
    return out;
}

}  // namespace ipcbox::launcher::probe
