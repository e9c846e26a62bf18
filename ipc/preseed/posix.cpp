// POSIX message queues (the IPC namespace's own mqueue instance) and POSIX shm and named
// semaphores (files in the sandbox's private /dev/shm). Modes are exact because preseed()
// clears the umask; owners are the caller's own ids, as for any file it creates.
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <climits>
#include <string>

#include "ipc/preseed/detail.hpp"

namespace ipcbox::ipc::preseed_detail {
namespace {

using config::IpcKind;

struct Target {
    IpcKind kind;
    size_t index;
    const std::string* name;
    const config::Origin* origin;

    Error fail(const std::string& call, int err, const std::string& why = {}) const {
        return object_error(object_name(kind, index), *name, *origin, call, err, why);
    }
};

std::string name_why(int err) {
    if (err == EINVAL || err == ENAMETOOLONG || err == ENOENT)
        return "a name is / followed by up to 255 characters without another /";
    return {};
}

std::string dev_shm_why(int err) {
    if (err == EROFS)
        return "/dev/shm is read-only: preseeding it needs dev_shm.mode = \"private\"";
    if (err == ENOSPC) return "/dev/shm is full: raise dev_shm.size";
    if (err == EEXIST) return "an object with this name already exists";
    return name_why(err);
}

// ---- message queues ----

long knob_long(const char* key) {
    return std::strtol(read_knob(key).c_str(), nullptr, 10);
}

std::string mq_open_why(int err, const config::PosixQueue& q, const mq_attr& attr) {
    if (err == EEXIST) return "a queue with this name already exists";
    if (err == ENOSPC)
        return "fs.mqueue.queues_max " + read_knob("fs.mqueue.queues_max") + " queues reached";
    if (err == EMFILE) {
        // The kernel charges a queue's whole capacity, plus its bookkeeping, on creation.
        rlimit lim{};
        getrlimit(RLIMIT_MSGQUEUE, &lim);
        const long maxmsg = attr.mq_maxmsg ? attr.mq_maxmsg : knob_long("fs.mqueue.msg_default");
        const long msgsize =
            attr.mq_msgsize ? attr.mq_msgsize : knob_long("fs.mqueue.msgsize_default");
        return "RLIMIT_MSGQUEUE is " + std::to_string(lim.rlim_cur) +
               " bytes for the user running ipcbox; this queue needs more than " +
               std::to_string(maxmsg * msgsize) +
               " (max_messages x message_size) and the rest is held by that user's other POSIX "
               "queues, in any IPC namespace (a sandbox that has just ended frees its own a "
               "moment later): lower max_messages or message_size, or raise the limit (ulimit -q)";
    }
    if (err == EINVAL && (q.max_messages || q.message_size)) {
        if (attr.mq_maxmsg <= 0 || attr.mq_msgsize <= 0)
            return "max_messages and message_size must be positive";
        return "max_messages " + std::to_string(attr.mq_maxmsg) + " must be <= fs.mqueue.msg_max " +
               read_knob("fs.mqueue.msg_max") + " and message_size " +
               std::to_string(attr.mq_msgsize) + " <= fs.mqueue.msgsize_max " +
               read_knob("fs.mqueue.msgsize_max");
    }
    return name_why(err);
}

std::string mq_send_why(int err, const config::PosixQueue& q, size_t m, const mq_attr& attr) {
    const auto& msg = q.messages[m];
    if (err == EAGAIN)
        return std::to_string(q.messages.size()) + " messages > max_messages " +
               std::to_string(attr.mq_maxmsg);
    if (err == EMSGSIZE)
        return "message[" + std::to_string(m) + "] is " + std::to_string(msg.bytes.size()) +
               " bytes > message_size " + std::to_string(attr.mq_msgsize);
    if (err == EINVAL)
        return "message[" + std::to_string(m) + "] priority " + std::to_string(msg.priority) +
               " must be < " + std::to_string(sysconf(_SC_MQ_PRIO_MAX));
    return {};
}

Status create_queue(const config::PosixQueue& q, size_t i, Created& created) {
    const Target t{IpcKind::PosixQueue, i, &q.name, &q.origin};
    // mq_open takes both attributes or neither: the missing one is the namespace's default.
    mq_attr attr{};
    const bool explicit_attr = q.max_messages || q.message_size;
    if (explicit_attr) {
        attr.mq_maxmsg = q.max_messages ? *q.max_messages : knob_long("fs.mqueue.msg_default");
        attr.mq_msgsize = q.message_size ? *q.message_size : knob_long("fs.mqueue.msgsize_default");
    }
    // O_NONBLOCK: a full queue is a spec error, not something to wait for.
    const mqd_t mq = mq_open(q.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC,
                             q.mode & 0777, explicit_attr ? &attr : nullptr);
    if (mq == static_cast<mqd_t>(-1)) {
        const int err = errno;
        return t.fail("mq_open", err, mq_open_why(err, q, attr));
    }
    created.posix(IpcKind::PosixQueue, q.name);
    Status status;
    for (size_t m = 0; m < q.messages.size() && status; ++m) {
        const auto& msg = q.messages[m];
        if (mq_send(mq, msg.bytes.data(), msg.bytes.size(), msg.priority) != 0) {
            const int err = errno;
            mq_getattr(mq, &attr);
            status = t.fail("mq_send", err, mq_send_why(err, q, m, attr));
        }
    }
    mq_close(mq);
    return status;
}

// ---- shared memory ----

Status create_shm(const config::PosixShm& s, size_t i, Created& created) {
    const Target t{IpcKind::PosixShm, i, &s.name, &s.origin};
    if (s.initial.size() > s.size_bytes)
        return object_problem(object_name(t.kind, i), s.name, s.origin,
                              "initial: " + std::to_string(s.initial.size()) +
                                  " bytes do not fit in size " + std::to_string(s.size_bytes));
    const int fd = shm_open(s.name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, s.mode & 0777);
    if (fd < 0) {
        const int err = errno;
        return t.fail("shm_open", err, dev_shm_why(err));
    }
    created.posix(IpcKind::PosixShm, s.name);
    Status status;
    if (ftruncate(fd, static_cast<off_t>(s.size_bytes)) != 0) {
        const int err = errno;
        status = t.fail("ftruncate " + std::to_string(s.size_bytes), err,
                        err == EFBIG || err == EINVAL ? "size too large" : dev_shm_why(err));
    }
    // tmpfs allocates on write: a /dev/shm too small for the bytes fails here with ENOSPC.
    size_t done = 0;
    while (status && done < s.initial.size()) {
        const ssize_t n = pwrite(fd, s.initial.data() + done, s.initial.size() - done, done);
        if (n < 0 && errno == EINTR) continue;
        const int err = n < 0 ? errno : EIO;
        if (n <= 0) status = t.fail("write", err, dev_shm_why(err));
        if (n > 0) done += n;
    }
    close(fd);
    return status;
}

// ---- named semaphores ----

Status create_semaphore(const config::PosixSemaphore& s, size_t i, Created& created) {
    const Target t{IpcKind::PosixSemaphore, i, &s.name, &s.origin};
    sem_t* sem = sem_open(s.name.c_str(), O_CREAT | O_EXCL, s.mode & 0777, s.value);
    if (sem == SEM_FAILED) {
        const int err = errno;
        std::string why = dev_shm_why(err);
        if (err == EINVAL && s.value > static_cast<unsigned>(SEM_VALUE_MAX))
            why = "value " + std::to_string(s.value) + " > SEM_VALUE_MAX " +
                  std::to_string(SEM_VALUE_MAX);
        return t.fail("sem_open", err, why);
    }
    created.posix(IpcKind::PosixSemaphore, s.name);
    sem_close(sem);
    return {};
}

template <class T, class Create>
Status each(const std::vector<T>& objects, Created& created, Create&& create) {
    for (size_t i = 0; i < objects.size(); ++i)
        if (Status s = create(objects[i], i, created); !s) return s;
    return {};
}

}  // namespace

Status preseed_posix(const config::Objects& objects, Created& created) {
    if (Status s = each(objects.posix_queues, created, create_queue); !s) return s;
    if (Status s = each(objects.posix_shms, created, create_shm); !s) return s;
    return each(objects.posix_semaphores, created, create_semaphore);
}

}  // namespace ipcbox::ipc::preseed_detail
