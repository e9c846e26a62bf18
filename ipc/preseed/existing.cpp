// preseed() that tolerates its own earlier work: containers of a pod share one IPC namespace (and
// often /dev/shm), and each container's hook applies the same spec to it. Objects that already
// exist are compared with the spec; identical ones are dropped from the list to create, so the
// creation code (and its fixed-id handling) only ever sees new objects.
#include <fcntl.h>
#include <mqueue.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "ipc/preseed/preseed.hpp"
#include "ipc/preseed/sysv_detail.hpp"

namespace ipcbox::ipc {
namespace preseed_detail {
namespace {

using config::IpcKind;

// "mode 0644 (spec: 0600), owner 1000 (spec: 0)"
class Differences {
  public:
    template <class T>
    void check(const char* what, const T& have, const T& want) {
        if (have != want) add(what, std::to_string(have), std::to_string(want));
    }
    void check_mode(mode_t have, mode_t want) {
        if ((have & 0777) != (want & 0777)) add("mode", octal(have), octal(want));
    }
    void add(const char* what, const std::string& have, const std::string& want) {
        if (!text_.empty()) text_ += ", ";
        text_ += std::string(what) + " " + have + " (spec: " + want + ")";
    }
    bool none() const { return text_.empty(); }
    std::string message() const { return "already exists with other attributes: " + text_; }

  private:
    static std::string octal(mode_t mode) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "0%o", static_cast<unsigned>(mode & 0777));
        return buf;
    }
    std::string text_;
};

// ---- SysV ----

// The id of the existing object the spec's entry names, or nullopt when there is none (or it
// cannot be told: an IPC_PRIVATE key without a fixed id, an ftok path that does not resolve, which
// the creation step then reports).
template <class Get, class KeyOf>
Result<std::optional<int>> sysv_existing(Target& t, const std::optional<int>& fixed_id,
                                         const char* call, Get&& get, KeyOf&& key_of) {
    key_t key;
    if (t.key->value) {
        key = *t.key->value;
    } else {
        key = ftok(t.key->ftok_path.c_str(), t.key->ftok_proj);
        if (key == -1) return std::optional<int>();
    }
    t.resolved = key;
    if (key == IPC_PRIVATE) {
        if (!fixed_id) return std::optional<int>();
        const std::optional<key_t> held = key_of(*fixed_id);
        if (!held) return std::optional<int>();
        return std::optional<int>(*fixed_id);
    }
    const int id = get(key);
    if (id >= 0) return std::optional<int>(id);
    if (errno == ENOENT) return std::optional<int>();
    return t.fail(call, errno);
}

std::string hex(key_t key) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", static_cast<unsigned>(key));
    return buf;
}

template <class IpcPerm>
void check_perm(Differences& d, const IpcPerm& have, int have_id, const Target& t,
                const std::optional<int>& fixed_id, const Perm& want) {
    if (fixed_id) d.check("id", have_id, *fixed_id);
    if (have.__key != *t.resolved) d.add("key", hex(have.__key), hex(*t.resolved));
    d.check("owner", have.uid, want.uid);
    d.check("group", have.gid, want.gid);
    d.check_mode(have.mode, want.mode);
}

Result<bool> queue_exists(const config::SysvQueue& q, size_t i, const Caller& caller) {
    Target t{IpcKind::SysvQueue, i, &q.key, &q.origin, {}};
    msqid_ds ds{};
    auto id = sysv_existing(
        t, q.id, "msgget", [](key_t k) { return msgget(k, 0); },
        [&](int id) {
            return msgctl(id, IPC_STAT, &ds) == 0 ? std::optional(ds.msg_perm.__key) : std::nullopt;
        });
    if (!id) return std::move(id).error();
    if (!*id) return false;
    if (msgctl(**id, IPC_STAT, &ds) != 0) return t.fail("msgctl IPC_STAT", errno);
    Differences d;
    check_perm(d, ds.msg_perm, **id, t, q.id, final_perm(q.access, caller));
    if (q.max_bytes) d.check("max_bytes", static_cast<uint64_t>(ds.msg_qbytes), *q.max_bytes);
    if (!d.none()) return t.problem(d.message());
    return true;
}

Result<bool> semaphore_exists(const config::SysvSemaphore& s, size_t i, const Caller& caller) {
    Target t{IpcKind::SysvSemaphore, i, &s.key, &s.origin, {}};
    semid_ds ds{};
    auto stat = [&ds](int id) { return semctl(id, 0, IPC_STAT, &ds); };
    auto id = sysv_existing(
        t, s.id, "semget", [](key_t k) { return semget(k, 0, 0); },
        [&](int id) { return stat(id) == 0 ? std::optional(ds.sem_perm.__key) : std::nullopt; });
    if (!id) return std::move(id).error();
    if (!*id) return false;
    if (stat(**id) != 0) return t.fail("semctl IPC_STAT", errno);
    Differences d;
    check_perm(d, ds.sem_perm, **id, t, s.id, final_perm(s.access, caller));
    d.check("values (count)", static_cast<size_t>(ds.sem_nsems), s.values.size());
    if (!d.none()) return t.problem(d.message());
    return true;
}

Result<bool> segment_exists(const config::SysvShm& s, size_t i, const Caller& caller) {
    Target t{IpcKind::SysvShm, i, &s.key, &s.origin, {}};
    shmid_ds ds{};
    auto id = sysv_existing(
        t, s.id, "shmget", [](key_t k) { return shmget(k, 0, 0); },
        [&](int id) {
            return shmctl(id, IPC_STAT, &ds) == 0 ? std::optional(ds.shm_perm.__key) : std::nullopt;
        });
    if (!id) return std::move(id).error();
    if (!*id) return false;
    if (shmctl(**id, IPC_STAT, &ds) != 0) return t.fail("shmctl IPC_STAT", errno);
    Differences d;
    check_perm(d, ds.shm_perm, **id, t, s.id, final_perm(s.access, caller));
    d.check("size", static_cast<uint64_t>(ds.shm_segsz), s.size_bytes);
    if (!d.none()) return t.problem(d.message());
    return true;
}

// ---- POSIX ----

void check_file(Differences& d, const struct stat& st, mode_t mode, const Caller& caller) {
    d.check("owner", st.st_uid, caller.euid);
    d.check("group", st.st_gid, caller.egid);
    d.check_mode(st.st_mode, mode);
}

Error posix_problem(IpcKind kind, size_t i, const std::string& name, const config::Origin& origin,
                    const std::string& what) {
    return object_problem(object_name(kind, i), name, origin, what);
}

Result<bool> mq_exists(const config::PosixQueue& q, size_t i, const Caller& caller) {
    const mqd_t mq = mq_open(q.name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (mq == static_cast<mqd_t>(-1)) {
        if (errno == ENOENT) return false;
        return object_error(object_name(IpcKind::PosixQueue, i), q.name, q.origin, "mq_open",
                            errno);
    }
    // An mqd_t is a file descriptor on Linux: fstat gives the queue's owner and mode.
    struct stat st {};
    mq_attr attr{};
    const bool known = fstat(mq, &st) == 0 && mq_getattr(mq, &attr) == 0;
    const int err = errno;
    mq_close(mq);
    if (!known)
        return object_error(object_name(IpcKind::PosixQueue, i), q.name, q.origin, "mq_getattr",
                            err);
    Differences d;
    check_file(d, st, q.mode, caller);
    // What create_queue() asks for: a missing attribute is the namespace's default.
    const long max_messages = q.max_messages.value_or(
        std::strtol(read_knob("fs.mqueue.msg_default").c_str(), nullptr, 10));
    const long message_size = q.message_size.value_or(
        std::strtol(read_knob("fs.mqueue.msgsize_default").c_str(), nullptr, 10));
    d.check("max_messages", static_cast<long>(attr.mq_maxmsg), max_messages);
    d.check("message_size", static_cast<long>(attr.mq_msgsize), message_size);
    if (!d.none()) return posix_problem(IpcKind::PosixQueue, i, q.name, q.origin, d.message());
    return true;
}

// shm_open and sem_open keep their objects as /dev/shm/NAME and /dev/shm/sem.NAME (glibc).
Result<bool> dev_shm_file_exists(IpcKind kind, size_t i, const std::string& name,
                                 const config::Origin& origin, const std::string& path,
                                 struct stat& st) {
    if (lstat(path.c_str(), &st) == 0) {
        if (S_ISREG(st.st_mode)) return true;
        return posix_problem(kind, i, name, origin, path + " exists and is not a regular file");
    }
    if (errno == ENOENT) return false;
    return object_error(object_name(kind, i), name, origin, "lstat " + path, errno);
}

Result<bool> shm_exists(const config::PosixShm& s, size_t i, const Caller& caller) {
    struct stat st {};
    auto exists =
        dev_shm_file_exists(IpcKind::PosixShm, i, s.name, s.origin, "/dev/shm" + s.name, st);
    if (!exists || !*exists) return exists;
    Differences d;
    check_file(d, st, s.mode, caller);
    d.check("size", static_cast<uint64_t>(st.st_size), s.size_bytes);
    if (!d.none()) return posix_problem(IpcKind::PosixShm, i, s.name, s.origin, d.message());
    return true;
}

Result<bool> sem_exists(const config::PosixSemaphore& s, size_t i, const Caller& caller) {
    struct stat st {};
    auto exists = dev_shm_file_exists(IpcKind::PosixSemaphore, i, s.name, s.origin,
                                      "/dev/shm/sem." + s.name.substr(1), st);
    if (!exists || !*exists) return exists;
    Differences d;
    check_file(d, st, s.mode, caller);
    if (!d.none()) return posix_problem(IpcKind::PosixSemaphore, i, s.name, s.origin, d.message());
    return true;
}

// Where each object of the reduced spec sits in the original, per kind.
struct Renumbering {
    std::vector<std::pair<IpcKind, std::vector<size_t>>> kinds;

    // Errors of the reduced spec start with "kind[j]" (message and hint): give them back the
    // index the user wrote.
    Error apply(Error e) const {
        for (const auto& [kind, original] : kinds)
            for (size_t j = 0; j < original.size(); ++j) {
                const std::string reduced = object_name(kind, j) + " ";
                if (e.message.rfind(reduced, 0) != 0) continue;
                const std::string real = object_name(kind, original[j]) + " ";
                e.message.replace(0, reduced.size(), real);
                if (e.hint.rfind(reduced, 0) == 0) e.hint.replace(0, reduced.size(), real);
                return e;
            }
        return e;
    }
};

// Keeps in `to_create` the objects of `all` that do not exist yet; counts the identical ones.
template <class T, class Exists>
Status sort_out(IpcKind kind, const std::vector<T>& all, std::vector<T>& to_create,
                const Caller& caller, size_t& existing, Renumbering& renumbering, Exists&& exists) {
    to_create.clear();
    std::vector<size_t> original;
    for (size_t i = 0; i < all.size(); ++i) {
        Result<bool> found = exists(all[i], i, caller);
        if (!found) return std::move(found).error();
        if (*found) {
            ++existing;
        } else {
            to_create.push_back(all[i]);
            original.push_back(i);
        }
    }
    renumbering.kinds.emplace_back(kind, std::move(original));
    return {};
}

size_t object_count(const config::Objects& s) {
    return s.sysv_queues.size() + s.sysv_semaphores.size() + s.sysv_shms.size() +
           s.posix_queues.size() + s.posix_shms.size() + s.posix_semaphores.size();
}

}  // namespace
}  // namespace preseed_detail

namespace preseed_detail {
namespace {

// One pass: sort the spec's objects into existing and new, then create the new ones.
Result<PreseedCounts> preseed_new_objects(const config::Objects& objects,
                                          const PreseedOptions& options) {
    PreseedCounts counts;
    const Caller caller = caller_of(options);
    config::Objects rest = objects;
    Renumbering renumbering;
    size_t& existing = counts.existing;
    Status s = sort_out(IpcKind::SysvQueue, objects.sysv_queues, rest.sysv_queues, caller, existing,
                        renumbering, queue_exists);
    if (s)
        s = sort_out(IpcKind::SysvSemaphore, objects.sysv_semaphores, rest.sysv_semaphores, caller,
                     existing, renumbering, semaphore_exists);
    if (s)
        s = sort_out(IpcKind::SysvShm, objects.sysv_shms, rest.sysv_shms, caller, existing,
                     renumbering, segment_exists);
    if (s)
        s = sort_out(IpcKind::PosixQueue, objects.posix_queues, rest.posix_queues, caller, existing,
                     renumbering, mq_exists);
    if (s)
        s = sort_out(IpcKind::PosixShm, objects.posix_shms, rest.posix_shms, caller, existing,
                     renumbering, shm_exists);
    if (s)
        s = sort_out(IpcKind::PosixSemaphore, objects.posix_semaphores, rest.posix_semaphores,
                     caller, existing, renumbering, sem_exists);
    if (!s) return std::move(s).error();
    if (Status created = create_all(rest, caller); !created)
        return renumbering.apply(std::move(created).error());
    counts.created = object_count(rest);
    return counts;
}

}  // namespace
}  // namespace preseed_detail

Result<PreseedCounts> preseed(const config::Objects& objects, const PreseedOptions& options) {
    using namespace preseed_detail;
    // Never into the host's /dev/shm: validation refuses this, and so does the last line of
    // defence.
    if ((!objects.posix_shms.empty() || !objects.posix_semaphores.empty()) &&
        options.dev_shm != config::DevShmMode::Private)
        return Error::of("posix.shm and posix.semaphore need dev_shm.mode = \"private\"");
    if (!options.accept_identical_existing) {
        if (Status s = create_all(objects, caller_of(options)); !s) return std::move(s).error();
        return PreseedCounts{object_count(objects), 0};
    }
    Result<PreseedCounts> counts = preseed_new_objects(objects, options);
    // Another container's hook created an object between our look and our create: look again.
    // The failed pass has taken back what it made, so the counts describe the second pass.
    if (!counts && counts.error().err == EEXIST) counts = preseed_new_objects(objects, options);
    return counts;
}

}  // namespace ipcbox::ipc
