// SysV message queues: created, given max_bytes, filled in order, then their final owner and
// mode (last, so a read-only mode cannot stop the filling).
#include <sys/msg.h>

#include <cstring>
#include <vector>

#include "ipc/preseed/sysv_detail.hpp"

namespace ipcbox::ipc::preseed_detail {
namespace {

using config::IpcKind;

class Queues {
  public:
    Queues(const config::Objects& objects, const Caller& caller, Created& created)
        : list_(objects.sysv_queues),
          caller_(caller),
          created_(created),
          keys_(IpcKind::SysvQueue, list_.size()) {}

    Status create(size_t i) {
        const config::SysvQueue& q = list_[i];
        Target t{IpcKind::SysvQueue, i, &q.key, &q.origin, {}};
        auto key = keys_.resolve(t);
        if (!key) return std::move(key).error();
        if (q.id)
            if (Status s = next_id_.request(*q.id, t); !s) return s;

        const Perm want = final_perm(q.access, caller_);
        // msgsnd needs write permission: add it until the messages are in.
        const mode_t create_mode = want.mode | (q.messages.empty() ? 0 : 0200);
        const int id = msgget(*key, IPC_CREAT | IPC_EXCL | create_mode);
        if (id < 0) {
            const int err = errno;
            return t.fail("msgget", err, msgget_why(err, t));
        }
        created_.sysv(IpcKind::SysvQueue, id);
        if (q.id)
            if (Status s = next_id_.verify(*q.id, id, "msgget", t); !s) return s;

        const bool change = differs(want, create_mode, caller_);
        bool final_done = false;
        if (q.max_bytes) {
            // Before the messages, which may need the room; with the final owner if nothing
            // has to be sent first.
            final_done = !change || q.messages.empty();
            Perm first = final_done ? want : Perm{caller_.euid, caller_.egid, create_mode};
            if (Status s = set(id, first, *q.max_bytes, q, t); !s) return s;
        }
        for (size_t m = 0; m < q.messages.size(); ++m)
            if (Status s = send(id, q, m, t); !s) return s;
        if (change && !final_done) {
            // IPC_SET also sets msg_qbytes: keep what the queue has.
            msqid_ds ds{};
            if (!q.max_bytes && msgctl(id, IPC_STAT, &ds) != 0)
                return t.fail("msgctl IPC_STAT", errno);
            if (Status s = set(id, want, q.max_bytes.value_or(ds.msg_qbytes), q, t); !s) return s;
        }
        return {};
    }

  private:
    std::string msgget_why(int err, const Target& t) const {
        if (err == EEXIST) return keys_.exists_why(t);
        if (err == ENOSPC) return "kernel.msgmni " + read_knob("kernel.msgmni") + " queues reached";
        return {};
    }

    Status set(int id, const Perm& p, uint64_t qbytes, const config::SysvQueue& q,
               const Target& t) {
        msqid_ds ds{};
        put_perm(ds.msg_perm, p);
        ds.msg_qbytes = qbytes;
        if (msgctl(id, IPC_SET, &ds) == 0) return {};
        const int err = errno;
        std::string why;
        const uint64_t mnb = knob_number("kernel.msgmnb");
        if (err == EPERM && q.max_bytes && *q.max_bytes > mnb)
            why = "max_bytes " + std::to_string(*q.max_bytes) + " > kernel.msgmnb " +
                  std::to_string(mnb) + ": raise kernel.msgmnb in [sysctl]";
        else
            why = owner_explanation(err, q.access, caller_);
        return t.fail("msgctl IPC_SET", err, why);
    }

    Status send(int id, const config::SysvQueue& q, size_t m, const Target& t) {
        const config::SysvMessage& msg = q.messages[m];
        // struct msgbuf: a long type, then the bytes.
        buffer_.resize(1 + (msg.bytes.size() + sizeof(long) - 1) / sizeof(long));
        buffer_[0] = msg.type;
        if (!msg.bytes.empty()) std::memcpy(&buffer_[1], msg.bytes.data(), msg.bytes.size());
        // IPC_NOWAIT: a full queue is a spec error, not something to wait for.
        if (msgsnd(id, buffer_.data(), msg.bytes.size(), IPC_NOWAIT) == 0) return {};
        const int err = errno;
        return t.fail("msgsnd", err, send_why(err, q, m));
    }

    std::string send_why(int err, const config::SysvQueue& q, size_t m) const {
        const auto& msg = q.messages[m];
        if (err == EINVAL && msg.type < 1)
            return "message[" + std::to_string(m) + "] type " + std::to_string(msg.type) +
                   " is not positive";
        if (err == EINVAL)
            return "message[" + std::to_string(m) + "] is " + std::to_string(msg.bytes.size()) +
                   " bytes > kernel.msgmax " + read_knob("kernel.msgmax");
        if (err != EAGAIN) return {};
        uint64_t total = 0;
        for (const auto& each : q.messages) total += each.bytes.size();
        const std::string limit = q.max_bytes ? "max_bytes " + std::to_string(*q.max_bytes)
                                              : "kernel.msgmnb " + read_knob("kernel.msgmnb");
        const uint64_t room = q.max_bytes ? *q.max_bytes : knob_number("kernel.msgmnb");
        if (total > room) return limit + " < " + std::to_string(total) + " bytes of messages";
        return limit + " < " + std::to_string(q.messages.size()) +
               " messages (a queue also holds at most max_bytes messages)";
    }

    const std::vector<config::SysvQueue>& list_;
    const Caller& caller_;
    Created& created_;
    KeyBook keys_;
    NextId next_id_{"kernel.msg_next_id"};
    std::vector<long> buffer_;
};

}  // namespace

Status preseed_sysv_queues(const config::Objects& objects, const Caller& caller, Created& created) {
    if (objects.sysv_queues.empty()) return {};
    Queues creator(objects, caller, created);
    return in_id_order(objects.sysv_queues, [&](size_t i) { return creator.create(i); });
}

}  // namespace ipcbox::ipc::preseed_detail
