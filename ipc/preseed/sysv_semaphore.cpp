// SysV semaphore sets: created, set with SETALL, then given their final owner and mode.
#include <sys/sem.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "ipc/preseed/sysv_detail.hpp"

namespace ipcbox::ipc::preseed_detail {
namespace {

using config::IpcKind;

union SemArg {
    int val;
    semid_ds* buf;
    unsigned short* array;
};

class Semaphores {
  public:
    Semaphores(const config::Objects& objects, const Caller& caller, Created& created)
        : list_(objects.sysv_semaphores),
          caller_(caller),
          created_(created),
          keys_(IpcKind::SysvSemaphore, list_.size()) {}

    Status create(size_t i) {
        const config::SysvSemaphore& s = list_[i];
        Target t{IpcKind::SysvSemaphore, i, &s.key, &s.origin, {}};
        auto key = keys_.resolve(t);
        if (!key) return std::move(key).error();
        if (s.id)
            if (Status st = next_id_.request(*s.id, t); !st) return st;

        const Perm want = final_perm(s.access, caller_);
        bool nonzero = false;
        for (int v : s.values) nonzero = nonzero || v != 0;
        // A new set starts all zero; SETALL needs alter (write) permission.
        const mode_t create_mode = want.mode | (nonzero ? 0200 : 0);
        const int nsems = static_cast<int>(s.values.size());
        const int id = semget(*key, nsems, IPC_CREAT | IPC_EXCL | create_mode);
        if (id < 0) {
            const int err = errno;
            return t.fail("semget", err, semget_why(err, s, t));
        }
        created_.sysv(IpcKind::SysvSemaphore, id);
        if (s.id)
            if (Status st = next_id_.verify(*s.id, id, "semget", t); !st) return st;

        if (nonzero) {
            values_.assign(s.values.begin(), s.values.end());
            SemArg arg;
            arg.array = values_.data();
            if (semctl(id, 0, SETALL, arg) != 0) {
                const int err = errno;
                return t.fail("semctl SETALL", err, setall_why(err, s));
            }
        }
        if (differs(want, create_mode, caller_)) {
            semid_ds ds{};
            put_perm(ds.sem_perm, want);
            SemArg arg;
            arg.buf = &ds;
            if (semctl(id, 0, IPC_SET, arg) != 0) {
                const int err = errno;
                return t.fail("semctl IPC_SET", err, owner_explanation(err, s.access, caller_));
            }
        }
        return {};
    }

  private:
    // kernel.sem is "SEMMSL SEMMNS SEMOPM SEMMNI".
    std::string semget_why(int err, const config::SysvSemaphore& s, const Target& t) const {
        if (err == EEXIST) return keys_.exists_why(t);
        unsigned long msl = 0, mns = 0, opm = 0, mni = 0;
        std::sscanf(read_knob("kernel.sem").c_str(), "%lu %lu %lu %lu", &msl, &mns, &opm, &mni);
        if (err == EINVAL && s.values.empty()) return "a set needs at least one value";
        if (err == EINVAL)
            return std::to_string(s.values.size()) + " values > SEMMSL " + std::to_string(msl) +
                   " (kernel.sem, first field)";
        if (err == ENOSPC)
            return "kernel.sem limits reached: SEMMNI " + std::to_string(mni) + " sets, SEMMNS " +
                   std::to_string(mns) + " semaphores in all";
        return {};
    }
    static std::string setall_why(int err, const config::SysvSemaphore& s) {
        if (err != ERANGE) return {};
        for (size_t v = 0; v < s.values.size(); ++v)
            if (s.values[v] < 0 || s.values[v] > 32767)
                return "values[" + std::to_string(v) + "] = " + std::to_string(s.values[v]) +
                       " is outside 0..32767 (SEMVMX)";
        return {};
    }

    const std::vector<config::SysvSemaphore>& list_;
    const Caller& caller_;
    Created& created_;
    KeyBook keys_;
    NextId next_id_{"kernel.sem_next_id"};
    std::vector<unsigned short> values_;
};

}  // namespace

Status preseed_sysv_semaphores(const config::Objects& objects, const Caller& caller,
                               Created& created) {
    if (objects.sysv_semaphores.empty()) return {};
    Semaphores creator(objects, caller, created);
    return in_id_order(objects.sysv_semaphores, [&](size_t i) { return creator.create(i); });
}

}  // namespace ipcbox::ipc::preseed_detail
