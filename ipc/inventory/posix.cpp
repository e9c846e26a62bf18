// POSIX objects. Shared memory and named semaphores are files in /dev/shm of the mount namespace.
// Queues live in the IPC namespace's own mqueue instance, reachable only through a mount of it: a
// detached mount (fsopen/fsmount) made from inside that IPC namespace, never attached anywhere.
#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <semaphore.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "base/unique_fd.hpp"
#include "ipc/inventory/detail.hpp"
#include "ns/mount.hpp"

namespace ipcbox::ipc::inventory_detail {
namespace {

using config::IpcKind;

// Up to `limit` bytes of an open file (a /dev/shm file's size, a queue's status line).
bool read_fd(int fd, Fingerprint* f, std::string* text, uint64_t limit) {
    char buf[65536];
    for (uint64_t total = 0; total < limit;) {
        ssize_t n = read(fd, buf, std::min<uint64_t>(sizeof buf, limit - total));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        if (f) f->add(buf, static_cast<size_t>(n));
        if (text) text->append(buf, static_cast<size_t>(n));
        total += static_cast<uint64_t>(n);
    }
    return true;
}

void fill_file_fields(IpcObject& o, const struct stat& st) {
    o.mode = st.st_mode & 0777;
    o.uid = st.st_uid;
    o.gid = st.st_gid;
    o.modify_time = st.st_mtim.tv_sec;
}

// sem_open maps the file from /dev/shm; it needs read and write access, else the value is unknown.
void read_semaphore_value(IpcObject& o) {
    sem_t* sem = sem_open(o.name.c_str(), 0);
    if (sem == SEM_FAILED) return;
    int value = 0;
    if (sem_getvalue(sem, &value) == 0) o.values = std::vector<int>{value};
    sem_close(sem);
}

// Lists the entries of an open directory; readdir's "." and ".." are dropped.
std::vector<std::string> entries(int dir_fd) {
    std::vector<std::string> names;
    DIR* dir = fdopendir(dup(dir_fd));
    if (!dir) return names;
    while (dirent* e = readdir(dir)) {
        if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, "..")) names.push_back(e->d_name);
    }
    closedir(dir);
    return names;
}

// A detached mqueue mount of this process's IPC namespace. Creating one needs CAP_SYS_ADMIN over
// the mount namespace; when that is missing, a private mount namespace of our own (this is a
// throw-away helper) usually has it. The IPC namespace's owner must also trust us.
Result<UniqueFd> detached_mqueue_mount() {
    int fs = fsopen("mqueue", FSOPEN_CLOEXEC);
    if (fs < 0 && errno == EPERM && unshare(CLONE_NEWNS) == 0)
        fs = fsopen("mqueue", FSOPEN_CLOEXEC);
    if (fs < 0) return Error::from_errno("fsopen mqueue", errno);
    UniqueFd context(fs);
    if (fsconfig(context.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
        return Error::from_errno("mount mqueue", errno);
    UniqueFd mnt(fsmount(context.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY));
    if (!mnt.valid()) return Error::from_errno("fsmount mqueue", errno);
    // fsmount gives an O_PATH descriptor; listing needs a real open of the root.
    UniqueFd dir(openat(mnt.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid()) return Error::from_errno("open the mqueue mount", errno);
    return dir;
}

// Without the right to mount, an mqueue mount already in the mount table is the next best thing;
// it is assumed to belong to this IPC namespace, which the note says.
Result<UniqueFd> mqueue_directory(std::vector<std::string>& notes) {
    auto fresh = detached_mqueue_mount();
    if (fresh) return fresh;
    for (const std::string& point : ns::find_mqueue_mounts()) {
        int fd = open(point.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) continue;
        notes.push_back("posix.queue: listed through the mqueue mount at " + point +
                        " (assumed to be this IPC namespace's): " + fresh.error().message);
        return UniqueFd(fd);
    }
    return std::move(fresh).error();
}

// No fingerprint: a queue's messages cannot be read without taking them.
void read_queue(IpcObject& o, int dir_fd, const std::string& entry) {
    struct stat st;
    if (fstatat(dir_fd, entry.c_str(), &st, 0) != 0) return;
    fill_file_fields(o, st);
    UniqueFd fd(openat(dir_fd, entry.c_str(), O_RDONLY | O_CLOEXEC));
    std::string status;
    if (fd.valid() && read_fd(fd.get(), nullptr, &status, 4096))
        o.size = parse_mqueue_qsize(status).value_or(0);
    // Opening by name goes through this process's IPC namespace, the one listed.
    mqd_t mq = mq_open(o.name.c_str(), O_RDONLY | O_NONBLOCK);
    if (mq != static_cast<mqd_t>(-1)) {
        mq_attr attr{};
        if (mq_getattr(mq, &attr) == 0) {
            o.messages = static_cast<uint64_t>(attr.mq_curmsgs);
            o.max_messages = attr.mq_maxmsg;
            o.message_size = attr.mq_msgsize;
        }
        mq_close(mq);
    }
}

}  // namespace

std::optional<std::pair<IpcKind, std::string>> classify_dev_shm_entry(const std::string& file) {
    if (file.empty() || file[0] == '.') return std::nullopt;
    if (file.rfind("sem.", 0) == 0) {
        if (file.size() == 4) return std::nullopt;
        return std::make_pair(IpcKind::PosixSemaphore, "/" + file.substr(4));
    }
    return std::make_pair(IpcKind::PosixShm, "/" + file);
}

std::optional<uint64_t> parse_mqueue_qsize(const std::string& text) {
    const std::string tag = "QSIZE:";
    size_t at = text.find(tag);
    if (at == std::string::npos) return std::nullopt;
    const char* begin = text.data() + at + tag.size();
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
    if (ec != std::errc() || end == begin) return std::nullopt;
    return value;
}

void collect_dev_shm(Inventory& inventory, const InventoryOptions& options,
                     const std::string& dir) {
    UniqueFd dir_fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir_fd.valid()) {
        inventory.notes.push_back("posix.shm, posix.semaphore: not listed: open " + dir + ": " +
                                  std::strerror(errno));
        return;
    }
    for (const std::string& entry : entries(dir_fd.get())) {
        auto kind = classify_dev_shm_entry(entry);
        struct stat st;
        if (!kind || fstatat(dir_fd.get(), entry.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        IpcObject o;
        o.kind = kind->first;
        o.name = kind->second;
        o.size = static_cast<uint64_t>(st.st_size);
        fill_file_fields(o, st);
        if (o.kind == IpcKind::PosixSemaphore && dir == "/dev/shm") read_semaphore_value(o);
        if (options.digests || options.contents) {
            UniqueFd fd(openat(dir_fd.get(), entry.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
            Fingerprint f;
            std::string bytes;
            if (fd.valid() && read_fd(fd.get(), &f, options.contents ? &bytes : nullptr, o.size)) {
                if (options.digests) o.digest = f.hex();
                if (options.contents) o.contents = std::move(bytes);
            }
        }
        inventory.objects.push_back(std::move(o));
    }
}

void collect_mqueues(Inventory& inventory) {
    auto dir = mqueue_directory(inventory.notes);
    if (!dir) {
        inventory.notes.push_back("posix.queue: not listed: " + dir.error().message +
                                  " (needs CAP_SYS_ADMIN in the user namespace that owns the IPC "
                                  "namespace, which a sandboxed command does not have: list it "
                                  "from outside with ipcbox ls --pid)");
        return;
    }
    for (const std::string& entry : entries(dir->get())) {
        IpcObject o;
        o.kind = IpcKind::PosixQueue;
        o.name = "/" + entry;
        read_queue(o, dir->get(), entry);
        inventory.objects.push_back(std::move(o));
    }
}

}  // namespace ipcbox::ipc::inventory_detail

namespace ipcbox::ipc {

Result<std::vector<std::string>> posix_queue_names() {
    auto dir = inventory_detail::detached_mqueue_mount();
    if (!dir) return std::move(dir).error();
    std::vector<std::string> names = inventory_detail::entries(dir->get());
    for (std::string& name : names) name.insert(0, "/");
    return names;
}

}  // namespace ipcbox::ipc
