// Private to ipc/preseed/sysv*.cpp: naming an object in errors, keys, fixed ids and permissions.
#pragma once

#include <sys/ipc.h>

#include <optional>
#include <string>
#include <vector>

#include "ipc/preseed/detail.hpp"

namespace ipcbox::ipc::preseed_detail {

// One object being created, named lazily: strings are only built when something fails.
struct Target {
    config::IpcKind kind;
    size_t index;
    const config::SysvKey* key;
    const config::Origin* origin;
    std::optional<key_t> resolved;

    std::string label() const;  // "key 0x1234" or "ftok(/p, 65) = key 0x41012345"
    Error fail(const std::string& call, int err, const std::string& why = {}) const;
    Error problem(const std::string& what) const;
};

// Keys resolved so far for one kind, to say which earlier object holds a clashing key.
class KeyBook {
  public:
    KeyBook(config::IpcKind kind, size_t count) : kind_(kind), keys_(count) {}
    // The literal key, or ftok() run here, inside the sandbox.
    Result<key_t> resolve(Target& t);
    std::string exists_why(const Target& t) const;  // explains EEXIST

  private:
    config::IpcKind kind_;
    std::vector<std::optional<key_t>> keys_;
};

// kernel.{msg,sem,shm}_next_id: the id the next object of that kind gets. The file stays open
// across objects; the kernel resets the knob to -1 once it has been used.
class NextId {
  public:
    explicit NextId(const char* knob) : knob_(knob) {}  // "kernel.msg_next_id"
    ~NextId();
    NextId(const NextId&) = delete;
    NextId& operator=(const NextId&) = delete;

    Status request(int id, const Target& t);
    // The kernel takes the next free index at or above the requested one: check we got it.
    Status verify(int wanted, int got, const char* call, const Target& t) const;

  private:
    const char* knob_;
    int fd_ = -1;
};

// Objects with a fixed id first, so an object without one cannot take the index it needs.
template <class T, class Create>
Status in_id_order(const std::vector<T>& objects, Create&& create) {
    for (int pass = 0; pass < 2; ++pass) {
        for (size_t i = 0; i < objects.size(); ++i) {
            if (objects[i].id.has_value() != (pass == 0)) continue;
            if (Status s = create(i); !s) return s;
        }
    }
    return {};
}

// The owner, group and mode an object must end with.
struct Perm {
    uid_t uid;
    gid_t gid;
    mode_t mode;
};
Perm final_perm(const config::Access& access, const Caller& caller);
// Whether an IPC_SET is needed after creating with `create_mode`.
bool differs(const Perm& want, mode_t create_mode, const Caller& caller);
template <class IpcPerm>
void put_perm(IpcPerm& perm, const Perm& p) {
    perm.uid = p.uid;
    perm.gid = p.gid;
    perm.mode = p.mode;
}

// A numeric IPC sysctl for explanations, 0 if unreadable.
uint64_t knob_number(const char* key);

Status preseed_sysv_queues(const config::Objects& objects, const Caller& caller, Created& created);
Status preseed_sysv_semaphores(const config::Objects& objects, const Caller& caller,
                               Created& created);
Status preseed_sysv_shms(const config::Objects& objects, const Caller& caller, Created& created);

}  // namespace ipcbox::ipc::preseed_detail
