// Shared by the [block] tests: runs tests/support/support_try (one IPC operation, exits with the
// errno it got) inside `ipcbox run`, and knows what each operation gets when nothing blocks it.
#pragma once

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "tests/common/skip.hpp"
#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {

// support_try OP [ARG] in a sandbox made from `spec` (plus `flags`); the exit code is the errno.
inline Outcome try_in_sandbox(As who, const std::string& spec, const std::string& op,
                              const std::string& arg = "",
                              const std::vector<std::string>& flags = {}) {
    std::vector<std::string> args{"run", "-c", spec};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"--", support("try"), op});
    if (!arg.empty()) args.push_back(arg);
    return run_ipcbox(who, args);
}

// What the host kernel does with the two foreign ABIs, measured once without any filter.
inline int host_try(const std::string& op) {
    return run_program(As::Root, {support("try"), op}).exit_code;
}
inline bool i386_abi_available() {
    static const bool yes = host_try("i386-getpid") == 0;
    return yes;
}
// ENOSYS on kernels built without CONFIG_X86_X32_ABI (Debian's); 0 where x32 works.
inline int x32_unfiltered() {
    static const int rc = host_try("x32-getpid");
    return rc;
}

// Skips, or fails under IPCBOX_STRICT=1, when the kernel cannot run i386 code.
#define IPCBOX_REQUIRE_I386_ABI()                                  \
    do {                                                           \
        if (!::ipcbox::test::i386_abi_available())                 \
            IPCBOX_SKIP("the kernel has no i386 (int $0x80) ABI"); \
    } while (0)

// One probe: the kind it belongs to (none for controls that no block may touch) and its result
// when nothing is blocked.
struct Probe {
    std::string op;
    std::string arg;
    std::optional<config::IpcKind> kind;
    int unblocked;
};

inline std::vector<Probe> all_probes() {
    using K = config::IpcKind;
    const int x32 = x32_unfiltered();
    return {
        {"msgget-create", "", K::SysvQueue, 0},
        {"msgget-private", "", K::SysvQueue, 0},
        {"msgctl-info", "", K::SysvQueue, 0},
        {"msgsnd-bad", "", K::SysvQueue, EINVAL},
        {"msgrcv-bad", "", K::SysvQueue, EINVAL},
        {"i386-msgget-create", "", K::SysvQueue, 0},
        {"i386-ipc-msgget-create", "", K::SysvQueue, 0},
        {"i386-ipc-msgctl-info", "", K::SysvQueue, 0},
        {"x32-msgget-create", "", K::SysvQueue, x32},
        {"semget-create", "", K::SysvSemaphore, 0},
        {"semctl-info", "", K::SysvSemaphore, 0},
        {"semop-bad", "", K::SysvSemaphore, EINVAL},
        {"semtimedop-bad", "", K::SysvSemaphore, EINVAL},
        {"i386-semget-create", "", K::SysvSemaphore, 0},
        {"i386-ipc-semget-create", "", K::SysvSemaphore, 0},
        {"i386-ipc-semget-create-v", "", K::SysvSemaphore, 0},
        {"shmget-create", "", K::SysvShm, 0},
        {"shmctl-info", "", K::SysvShm, 0},
        {"shmat-bad", "", K::SysvShm, EINVAL},
        {"shmdt-bad", "", K::SysvShm, EINVAL},
        {"i386-shmget-create", "", K::SysvShm, 0},
        {"i386-ipc-shmget-create", "", K::SysvShm, 0},
        {"mq_open-create", "/ipcbox-probe", K::PosixQueue, 0},
        {"mq_unlink", "/ipcbox-none", K::PosixQueue, ENOENT},
        {"mq_getsetattr-bad", "", K::PosixQueue, EBADF},
        {"mq_notify-bad", "", K::PosixQueue, EBADF},
        {"mq_timedsend-bad", "", K::PosixQueue, EBADF},
        {"mq_timedreceive-bad", "", K::PosixQueue, EBADF},
        {"i386-mq_open-create", "/ipcbox-probe", K::PosixQueue, 0},
        {"x32-mq_open-create", "/ipcbox-probe", K::PosixQueue, x32},
        {"shm_open-create", "/ipcbox-probe", K::PosixShm, 0},
        {"sem_open-create", "/ipcbox-probe", K::PosixSemaphore, 0},
        {"pipe", "", std::nullopt, 0},
        {"memfd", "", std::nullopt, 0},
        {"socketpair", "", std::nullopt, 0},
        {"open-tmp", "", std::nullopt, 0},
        {"i386-getpid", "", std::nullopt, 0},
        {"x32-getpid", "", std::nullopt, x32},  // not killed as a foreign ABI
    };
}

}  // namespace ipcbox::test
