// SysV objects: /proc/sysvipc/{msg,sem,shm} of the reader's IPC namespace (the kernel picks the
// namespace when the file is opened and shows ids as the opener's user namespace maps them), plus
// semaphore values (GETALL) and, for leak reports, content fingerprints.
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>

#include "base/io.hpp"
#include "config/sysctl_knobs.hpp"
#include "ipc/inventory/detail.hpp"
#include "ipc/shm_rmid_forced.hpp"

namespace ipcbox::ipc::inventory_detail {
namespace {

using config::IpcKind;

// The largest table we accept: 32000 objects of each kind fit many times over.
constexpr uint64_t kMaxTableBytes = 256ull << 20;

const char* table_of(IpcKind kind) {
    switch (kind) {
        case IpcKind::SysvQueue:
            return "msg";
        case IpcKind::SysvSemaphore:
            return "sem";
        default:
            return "shm";
    }
}

class Row {
  public:
    Row(const std::map<std::string, std::string>& fields, const std::string& where)
        : fields_(fields), where_(where) {}

    // A number in `base`; records the first problem and returns 0 after it.
    int64_t number(const char* column, int base = 10) {
        auto it = fields_.find(column);
        if (it == fields_.end()) {
            fail(std::string("no column '") + column + "'");
            return 0;
        }
        const std::string& text = it->second;
        int64_t value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
        if (ec != std::errc() || end != text.data() + text.size())
            fail(std::string("column '") + column + "': '" + text + "' is not a number");
        return value;
    }
    const std::optional<Error>& error() const { return error_; }

  private:
    void fail(const std::string& what) {
        if (!error_) error_ = Error::of(where_ + ": " + what);
    }
    const std::map<std::string, std::string>& fields_;
    std::string where_;
    std::optional<Error> error_;
};

IpcObject object_from(IpcKind kind, Row& r) {
    IpcObject o;
    o.kind = kind;
    o.key = static_cast<key_t>(r.number("key"));
    const int64_t perms = r.number("perms", 8);
    o.mode = static_cast<uint32_t>(perms & 0777);
    o.uid = static_cast<uint32_t>(r.number("uid"));
    o.gid = static_cast<uint32_t>(r.number("gid"));
    o.cuid = static_cast<uint32_t>(r.number("cuid"));
    o.cgid = static_cast<uint32_t>(r.number("cgid"));
    o.change_time = r.number("ctime");
    switch (kind) {
        case IpcKind::SysvQueue:
            o.id = static_cast<int>(r.number("msqid"));
            o.size = static_cast<uint64_t>(r.number("cbytes"));
            o.messages = static_cast<uint64_t>(r.number("qnum"));
            o.send_pid = static_cast<pid_t>(r.number("lspid"));
            o.recv_pid = static_cast<pid_t>(r.number("lrpid"));
            o.send_time = r.number("stime");
            o.recv_time = r.number("rtime");
            break;
        case IpcKind::SysvSemaphore:
            o.id = static_cast<int>(r.number("semid"));
            o.nsems = static_cast<uint32_t>(r.number("nsems"));
            o.op_time = r.number("otime");
            break;
        default:
            o.id = static_cast<int>(r.number("shmid"));
            o.size = static_cast<uint64_t>(r.number("size"));
            o.creator_pid = static_cast<pid_t>(r.number("cpid"));
            o.last_pid = static_cast<pid_t>(r.number("lpid"));
            o.attached = static_cast<uint32_t>(r.number("nattch"));
            o.attach_time = r.number("atime");
            o.detach_time = r.number("dtime");
            o.removed = (perms & SHM_DEST) != 0;
            break;
    }
    return o;
}

union SemArg {
    int val;
    semid_ds* buf;
    unsigned short* array;
};

void read_semaphore_values(IpcObject& o) {
    std::vector<unsigned short> raw(o.nsems);
    SemArg arg{};
    arg.array = raw.data();
    if (o.nsems == 0 || semctl(o.id, 0, GETALL, arg) != 0) return;  // no read access: unknown
    o.values = std::vector<int>(raw.begin(), raw.end());
}

void read_queue_limit(IpcObject& o) {
    msqid_ds ds{};
    if (msgctl(o.id, IPC_STAT, &ds) == 0) o.max_bytes = ds.msg_qbytes;
}

// MSG_COPY copies the message at an index and leaves the queue, its times and pids as they were.
// Returns 0, or the errno: ENOSYS when the kernel lacks it (CONFIG_CHECKPOINT_RESTORE), EACCES.
int copy_messages(const IpcObject& o, std::vector<CopiedMessage>& out) {
    std::vector<char> buf(sizeof(long) + o.size + 1);
    for (uint64_t i = 0; i < o.messages.value_or(0); ++i) {
        ssize_t n = msgrcv(o.id, buf.data(), o.size + 1, static_cast<long>(i),
                           IPC_NOWAIT | MSG_COPY | MSG_NOERROR);
        if (n < 0 && errno == ENOMSG) break;  // taken by its owner while we read
        if (n < 0) return errno;
        CopiedMessage m;
        std::memcpy(&m.type, buf.data(), sizeof m.type);
        m.bytes.assign(buf.data() + sizeof(long), static_cast<size_t>(n));
        out.push_back(std::move(m));
    }
    return 0;
}

std::string fingerprint_of(const std::vector<CopiedMessage>& messages) {
    Fingerprint f;
    for (const CopiedMessage& m : messages) {
        f.add(&m.type, sizeof m.type);
        f.add(m.bytes.data(), m.bytes.size());
    }
    return f.hex();
}

// A read-only attach, which updates the segment's attach time and last pid. A detach that leaves
// a segment unattached destroys it under kernel.shm_rmid_forced = 1: the knob is paused first,
// and a segment it cannot be paused for is not read. Returns 0 or the errno.
int copy_segment(const IpcObject& o, RmidForcedPause& rmid_forced, std::string& out) {
    if (o.attached == 0) {
        if (Status s = rmid_forced.pause(); !s) return s.error().err ? s.error().err : EPERM;
    }
    void* at = shmat(o.id, nullptr, SHM_RDONLY);
    if (at == reinterpret_cast<void*>(-1)) return errno;
    out.assign(static_cast<const char*>(at), o.size);
    shmdt(at);
    return 0;
}

// kernel.msgmax as /proc/sys shows it, "?" when unreadable.
std::string msgmax_text() {
    auto text = read_whole_file(config::sysctl_path("kernel.msgmax"), 32);
    if (!text) return "?";
    std::string value = *text;
    while (!value.empty() && value.back() == '\n') value.pop_back();
    return value;
}

std::string describe(const IpcObject& o) {
    char key[16];
    std::snprintf(key, sizeof key, "0x%08x", static_cast<unsigned>(o.key));
    return std::string(config::kind_name(o.kind)) + " key " + key + " id " + std::to_string(o.id);
}

// Digests and contents of one queue or segment; fails only for contents (see InventoryOptions).
Status read_contents(IpcObject& o, const InventoryOptions& options, RmidForcedPause& rmid_forced,
                     bool& unreadable) {
    if (o.kind == IpcKind::SysvQueue) {
        std::vector<CopiedMessage> messages;
        if (int err = copy_messages(o, messages); err != 0) {
            unreadable = true;
            if (options.contents && err == EINVAL)
                return Error::from_errno(describe(o) + ": msgrcv MSG_COPY", err)
                    .with_hint("MSG_COPY copies at most kernel.msgmax bytes (" + msgmax_text() +
                               "): a message queued before kernel.msgmax was lowered cannot be "
                               "copied until it is raised again");
            if (options.contents && err != ENOSYS)
                return Error::from_errno(describe(o) + ": msgrcv MSG_COPY", err);
            return {};  // without MSG_COPY, copied_messages stays unknown: the snapshot says so
        }
        if (options.digests) o.digest = fingerprint_of(messages);
        if (options.contents) o.copied_messages = std::move(messages);
    } else if (o.kind == IpcKind::SysvShm) {
        std::string bytes;
        if (int err = copy_segment(o, rmid_forced, bytes); err != 0) {
            unreadable = true;
            if (options.contents) return Error::from_errno(describe(o) + ": shmat read-only", err);
            return {};
        }
        if (options.digests) {
            Fingerprint f;
            f.add(bytes.data(), bytes.size());
            o.digest = f.hex();
        }
        if (options.contents) o.contents = std::move(bytes);
    }
    return {};
}

}  // namespace

Result<std::vector<IpcObject>> parse_sysvipc(IpcKind kind, const std::string& text) {
    const std::string file = std::string("/proc/sysvipc/") + table_of(kind);
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> columns;
    if (!std::getline(in, line)) return Error::of(file + ": empty");
    std::istringstream header(line);
    for (std::string c; header >> c;) columns.push_back(c);

    std::vector<IpcObject> objects;
    for (int number = 2; std::getline(in, line); ++number) {
        if (line.find_first_not_of(' ') == std::string::npos) continue;
        std::istringstream values(line);
        std::map<std::string, std::string> fields;
        std::string value;
        for (size_t i = 0; i < columns.size() && values >> value; ++i) fields[columns[i]] = value;
        Row row(fields, file + " line " + std::to_string(number));
        IpcObject o = object_from(kind, row);
        if (row.error()) return *row.error();
        objects.push_back(std::move(o));
    }
    return objects;
}

Status collect_sysv(Inventory& inventory, const InventoryOptions& options) {
    bool unreadable = false;
    const bool read = options.digests || options.contents;
    RmidForcedPause rmid_forced;  // resumed when the inventory is taken
    for (IpcKind kind : {IpcKind::SysvQueue, IpcKind::SysvSemaphore, IpcKind::SysvShm}) {
        const std::string file = std::string("/proc/sysvipc/") + table_of(kind);
        auto text = read_whole_file(file, kMaxTableBytes);
        if (!text) return std::move(text).error().with_context(file);
        auto objects = parse_sysvipc(kind, *text);
        if (!objects) return std::move(objects).error();
        for (IpcObject& o : *objects) {
            if (kind == IpcKind::SysvSemaphore) read_semaphore_values(o);
            if (kind == IpcKind::SysvQueue) read_queue_limit(o);
            if (read && kind != IpcKind::SysvSemaphore) {
                if (Status s = read_contents(o, options, rmid_forced, unreadable); !s) return s;
            }
            inventory.objects.push_back(std::move(o));
        }
    }
    const auto knob = read_whole_file(config::sysctl_path("kernel.shm_rmid_forced"), 16);
    if (options.digests && knob && knob->starts_with("1"))
        inventory.notes.push_back(
            "kernel.shm_rmid_forced = 1: the kernel removes a segment once nothing is attached "
            "and its creator has exited; preseeded segments were created by the sandbox's first "
            "process (the command, or with a pid namespace its init), so they go when it ends");
    if (options.digests && unreadable)
        inventory.notes.push_back(
            "some SysV queue or segment contents could not be read (MSG_COPY needs "
            "CONFIG_CHECKPOINT_RESTORE); changes to them show only in counts, sizes and times");
    return {};
}

}  // namespace ipcbox::ipc::inventory_detail
