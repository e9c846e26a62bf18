// preseed(): the order of the object kinds, the umask, and the messages every kind shares.
#include "ipc/preseed/preseed.hpp"

#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <sstream>

#include "config/sysctl_knobs.hpp"
#include "ipc/preseed/detail.hpp"

namespace ipcbox::ipc {
namespace preseed_detail {

std::string object_name(config::IpcKind kind, size_t index) {
    return std::string(config::kind_name(kind)) + "[" + std::to_string(index) + "]";
}

Error object_problem(const std::string& object, const std::string& label,
                     const config::Origin& origin, const std::string& what) {
    Error e = Error::of(object + " (" + label + "): " + what);
    if (!origin.file.empty()) e.hint = object + " is defined at " + origin.str();
    return e;
}

Error object_error(const std::string& object, const std::string& label,
                   const config::Origin& origin, const std::string& call, int err,
                   const std::string& why) {
    std::string what = call + ": " + std::strerror(err);
    if (!why.empty()) what += " (" + why + ")";
    Error e = object_problem(object, label, origin, what);
    e.err = err;
    return e;
}

std::string read_knob(const char* key) {
    const std::string path = config::sysctl_path(key);
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "?";
    char buf[128];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return "?";
    std::string value(buf, n);
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
    for (char& c : value)
        if (c == '\t') c = ' ';
    return value;
}

namespace {

struct Range {
    uint64_t inside, outside, count;
};

std::vector<Range> read_map(const char* map_file) {
    std::vector<Range> ranges;
    int fd = open(map_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ranges;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return ranges;
    std::istringstream in(std::string(buf, n));
    Range r;
    while (in >> r.inside >> r.outside >> r.count) ranges.push_back(r);
    return ranges;
}

}  // namespace

bool id_mapped(const char* map_file, uint32_t id) {
    for (const Range& r : read_map(map_file))
        if (id >= r.inside && id - r.inside < r.count) return true;
    return false;
}

std::string mapped_ids(const char* map_file, const char* what) {
    std::string list;
    uint64_t total = 0;
    for (const Range& r : read_map(map_file)) {
        if (!list.empty()) list += ", ";
        list += std::to_string(r.inside);
        if (r.count > 1) list += "-" + std::to_string(r.inside + r.count - 1);
        total += r.count;
    }
    if (list.empty()) return std::string("no ") + what + "s";
    return std::string(what) + (total > 1 ? "s " : " ") + list;
}

std::string owner_explanation(int err, const config::Access& access, const Caller& caller) {
    const uint32_t uid = access.owner.value_or(caller.uid);
    const uint32_t gid = access.group.value_or(caller.gid);
    if (err == EINVAL || err == EOVERFLOW) {
        if (!id_mapped("/proc/self/uid_map", uid))
            return "owner " + std::to_string(uid) +
                   " is not mapped in the sandbox's user namespace, which maps " +
                   mapped_ids("/proc/self/uid_map", "uid");
        if (!id_mapped("/proc/self/gid_map", gid))
            return "group " + std::to_string(gid) +
                   " is not mapped in the sandbox's user namespace, which maps " +
                   mapped_ids("/proc/self/gid_map", "gid");
    }
    if (err == EPERM)
        return "giving an object to owner " + std::to_string(uid) + " group " +
               std::to_string(gid) + " needs CAP_CHOWN/CAP_SYS_ADMIN inside the sandbox";
    return {};
}

// SysV first, then POSIX: independent, but a fixed order makes failures reproducible. The umask
// is cleared so modes are exactly the spec's, and restored for the command.
Caller caller_of(const PreseedOptions& options) {
    return {options.owner.value_or(getuid()), options.group.value_or(getgid()), geteuid(),
            getegid()};
}

Status create_all(const config::Objects& objects, const Caller& caller) {
    const mode_t saved_umask = umask(0);
    Created created;
    Status status = preseed_sysv(objects, caller, created);
    if (status) status = preseed_posix(objects, created);
    if (!status) created.remove_all();
    umask(saved_umask);
    return status;
}

void Created::remove_all() {
    using config::IpcKind;
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        switch (it->kind) {
            case IpcKind::SysvQueue:
                msgctl(it->id, IPC_RMID, nullptr);
                break;
            case IpcKind::SysvSemaphore:
                semctl(it->id, 0, IPC_RMID);
                break;
            case IpcKind::SysvShm:
                shmctl(it->id, IPC_RMID, nullptr);
                break;
            case IpcKind::PosixQueue:
                mq_unlink(it->name.c_str());
                break;
            case IpcKind::PosixShm:
                shm_unlink(it->name.c_str());
                break;
            case IpcKind::PosixSemaphore:
                sem_unlink(it->name.c_str());
                break;
        }
    }
    entries_.clear();
}

}  // namespace preseed_detail

}  // namespace ipcbox::ipc
