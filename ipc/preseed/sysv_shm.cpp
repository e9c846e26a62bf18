// SysV shared memory segments: created, filled through a short attachment, then given their
// final owner and mode.
#include <fcntl.h>
#include <sys/shm.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "ipc/preseed/sysv_detail.hpp"
#include "ipc/shm_rmid_forced.hpp"

namespace ipcbox::ipc::preseed_detail {
namespace {

using config::IpcKind;

class Segments {
  public:
    Segments(const config::Objects& objects, const Caller& caller, Created& created)
        : list_(objects.sysv_shms),
          caller_(caller),
          created_(created),
          keys_(IpcKind::SysvShm, list_.size()) {}
    Segments(const Segments&) = delete;
    Segments& operator=(const Segments&) = delete;

    Status create(size_t i) {
        const config::SysvShm& s = list_[i];
        Target t{IpcKind::SysvShm, i, &s.key, &s.origin, {}};
        if (s.initial.size() > s.size_bytes)
            return t.problem("initial: " + std::to_string(s.initial.size()) +
                             " bytes do not fit in size " + std::to_string(s.size_bytes));
        auto key = keys_.resolve(t);
        if (!key) return std::move(key).error();
        if (s.id)
            if (Status st = next_id_.request(*s.id, t); !st) return st;

        const Perm want = final_perm(s.access, caller_);
        // shmat for writing needs read and write permission.
        const mode_t create_mode = want.mode | (s.initial.empty() ? 0 : 0600);
        const int id = shmget(*key, s.size_bytes, IPC_CREAT | IPC_EXCL | create_mode);
        if (id < 0) {
            const int err = errno;
            return t.fail("shmget", err, shmget_why(err, s, t));
        }
        created_.sysv(IpcKind::SysvShm, id);
        if (s.id)
            if (Status st = next_id_.verify(*s.id, id, "shmget", t); !st) return st;

        if (!s.initial.empty()) {
            if (Status st = rmid_forced_.pause(); !st)
                return t.problem(st.error().message +
                                 " (needed to fill a segment while kernel.shm_rmid_forced is 1)");
            void* at = shmat(id, nullptr, 0);
            if (at == reinterpret_cast<void*>(-1)) return t.fail("shmat", errno);
            std::memcpy(at, s.initial.data(), s.initial.size());
            if (shmdt(at) != 0) return t.fail("shmdt", errno);
        }
        if (differs(want, create_mode, caller_)) {
            shmid_ds ds{};
            put_perm(ds.shm_perm, want);
            if (shmctl(id, IPC_SET, &ds) != 0) {
                const int err = errno;
                return t.fail("shmctl IPC_SET", err, owner_explanation(err, s.access, caller_));
            }
        }
        return {};
    }

    // The knob applies to the command again once the segments are filled.
    Status restore_rmid_forced() { return rmid_forced_.resume(); }

  private:
    std::string shmget_why(int err, const config::SysvShm& s, const Target& t) const {
        if (err == EEXIST) return keys_.exists_why(t);
        if (err == EINVAL)
            return "size " + std::to_string(s.size_bytes) + " is 0 or > kernel.shmmax " +
                   read_knob("kernel.shmmax");
        if (err == ENOSPC)
            return "kernel.shmmni " + read_knob("kernel.shmmni") + " segments or kernel.shmall " +
                   read_knob("kernel.shmall") + " pages reached";
        return {};
    }

    const std::vector<config::SysvShm>& list_;
    const Caller& caller_;
    Created& created_;
    KeyBook keys_;
    NextId next_id_{"kernel.shm_next_id"};
    RmidForcedPause rmid_forced_;  // on a failure, its destructor restores the knob
};

}  // namespace

Status preseed_sysv_shms(const config::Objects& objects, const Caller& caller, Created& created) {
    if (objects.sysv_shms.empty()) return {};
    Segments creator(objects, caller, created);
    Status status = in_id_order(objects.sysv_shms, [&](size_t i) { return creator.create(i); });
    if (!status) return status;
    return creator.restore_rmid_forced();
}

}  // namespace ipcbox::ipc::preseed_detail
