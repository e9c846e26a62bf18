// SysV shared memory segments: created, filled through a short attachment, then given their
// final owner and mode.
#include <fcntl.h>
#include <sys/shm.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "config/sysctl_knobs.hpp"
#include "ipc/preseed/sysv_detail.hpp"

namespace ipcbox::ipc::preseed_detail {
namespace {

using config::IpcKind;

constexpr const char* kRmidForced = "kernel.shm_rmid_forced";

class Segments {
  public:
    Segments(const config::Objects& objects, const Caller& caller)
        : list_(objects.sysv_shms), caller_(caller), keys_(IpcKind::SysvShm, list_.size()) {}
    // On a failure the sandbox is abandoned anyway; restoring is still the honest thing to do.
    ~Segments() { (void)restore_rmid_forced(); }
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
        if (s.id)
            if (Status st = next_id_.verify(*s.id, id, "shmget", t); !st) return st;

        if (!s.initial.empty()) {
            if (Status st = keep_detached_segments(t); !st) return st;
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

    // kernel.shm_rmid_forced=1 destroys a segment as soon as its last attachment goes, so it is
    // off while segments are filled and back on afterwards (it then applies to the command).
    Status restore_rmid_forced() {
        if (rmid_fd_ < 0) return {};
        const ssize_t n = pwrite(rmid_fd_, "1", 1, 0);
        const int err = errno;
        close(rmid_fd_);
        rmid_fd_ = -1;
        if (n < 0) return Error::from_errno("sysctl kernel.shm_rmid_forced: write 1", err);
        return {};
    }

  private:
    Status keep_detached_segments(const Target& t) {
        if (rmid_checked_) return {};
        rmid_checked_ = true;
        if (read_knob(kRmidForced) != "1") return {};
        rmid_fd_ = open(config::sysctl_path(kRmidForced).c_str(), O_WRONLY | O_CLOEXEC);
        if (rmid_fd_ < 0 || pwrite(rmid_fd_, "0", 1, 0) < 0)
            return t.fail("write kernel.shm_rmid_forced 0", errno,
                          "needed to fill a segment while shm_rmid_forced is 1");
        return {};
    }

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
    KeyBook keys_;
    NextId next_id_{"kernel.shm_next_id"};
    bool rmid_checked_ = false;
    int rmid_fd_ = -1;
};

}  // namespace

Status preseed_sysv_shms(const config::Objects& objects, const Caller& caller) {
    if (objects.sysv_shms.empty()) return {};
    Segments creator(objects, caller);
    Status status = in_id_order(objects.sysv_shms, [&](size_t i) { return creator.create(i); });
    if (!status) return status;
    return creator.restore_rmid_forced();
}

}  // namespace ipcbox::ipc::preseed_detail
