// What the three SysV kinds share: object names in errors, keys (literal or ftok), fixed ids
// through kernel.*_next_id, final permissions; and their order.
#include <fcntl.h>
#include <sys/ipc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "config/sysctl_knobs.hpp"
#include "ipc/preseed/sysv_detail.hpp"

namespace ipcbox::ipc::preseed_detail {
namespace {

// As ipcs shows keys: the 32-bit pattern in hex.
std::string key_text(key_t key) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "key 0x%x", static_cast<unsigned>(key));
    return buf;
}

}  // namespace

std::string Target::label() const {
    if (key->value) return key_text(*key->value);
    if (!resolved) return key->str();
    return key->str() + " = " + key_text(*resolved);
}

Error Target::fail(const std::string& call, int err, const std::string& why) const {
    return object_error(object_name(kind, index), label(), *origin, call, err, why);
}

Error Target::problem(const std::string& what) const {
    return object_problem(object_name(kind, index), label(), *origin, what);
}

Result<key_t> KeyBook::resolve(Target& t) {
    if (t.key->value) {
        t.resolved = *t.key->value;
    } else {
        // Same path, same inode as the command will see: the sandbox's mounts are in place.
        const key_t k = ftok(t.key->ftok_path.c_str(), t.key->ftok_proj);
        if (k == -1) return t.fail("ftok", errno, "the path must exist inside the sandbox");
        t.resolved = k;
    }
    keys_[t.index] = t.resolved;
    return *t.resolved;
}

std::string KeyBook::exists_why(const Target& t) const {
    for (size_t i = 0; i < keys_.size(); ++i)
        if (i != t.index && keys_[i] == t.resolved && *t.resolved != IPC_PRIVATE)
            return "the key is already used by " + object_name(kind_, i);
    return "an object with this key already exists";
}

NextId::~NextId() {
    if (fd_ >= 0) close(fd_);
}

Status NextId::request(int id, const Target& t) {
    if (fd_ < 0) {
        const std::string path = config::sysctl_path(knob_);
        fd_ = open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd_ < 0) return t.fail("open " + path, errno);
    }
    // Offset 0 every time: proc handlers ignore a write at a later offset.
    const std::string text = std::to_string(id);
    if (pwrite(fd_, text.data(), text.size(), 0) < 0)
        return t.fail(std::string("write ") + knob_ + " " + text, errno, "to fix id " + text);
    return {};
}

Status NextId::verify(int wanted, int got, const char* call, const Target& t) const {
    if (got == wanted) return {};
    return t.problem(std::string(call) + " returned id " + std::to_string(got) + ", not id " +
                     std::to_string(wanted) + " (another object already holds index " +
                     std::to_string(wanted % 32768) + "; an id is index + 32768 * sequence)");
}

Perm final_perm(const config::Access& a, const Caller& c) {
    return {a.owner.value_or(c.uid), a.group.value_or(c.gid), static_cast<mode_t>(a.mode & 0777)};
}

bool differs(const Perm& want, mode_t create_mode, const Caller& c) {
    return want.uid != c.euid || want.gid != c.egid || want.mode != create_mode;
}

uint64_t knob_number(const char* key) {
    return std::strtoull(read_knob(key).c_str(), nullptr, 10);
}

// Queues, then semaphore sets, then segments: independent, but a fixed order makes a failure
// reproducible.
Status preseed_sysv(const config::Objects& objects, const Caller& caller, Created& created) {
    if (Status s = preseed_sysv_queues(objects, caller, created); !s) return s;
    if (Status s = preseed_sysv_semaphores(objects, caller, created); !s) return s;
    return preseed_sysv_shms(objects, caller, created);
}

}  // namespace ipcbox::ipc::preseed_detail
