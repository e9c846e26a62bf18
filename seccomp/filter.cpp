#include "seccomp/filter.hpp"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>

#include "seccomp/rules.hpp"

namespace ipcbox::seccomp {
namespace {

struct CtxRelease {
    void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxRelease>;

struct OwnedFd {
    int fd;
    ~OwnedFd() {
        if (fd >= 0) close(fd);
    }
};

// libseccomp returns -errno.
Error seccomp_error(const std::string& what, int rc) {
    return Error::from_errno(what, -rc);
}

// Every ABI an x86_64 kernel can be entered through. x32 is included even where the kernel lacks
// it: without it libseccomp sends x32 numbers to the bad-arch action (kill), which would change how
// unrelated calls fail, and with it the filter still holds on a kernel that does accept x32.
constexpr uint32_t kAbis[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32};

// i386 has direct SysV syscalls since Linux 5.1, but libseccomp resolves these names to ipc(2)
// pseudo numbers (and adds rules for both routes).
bool i386_direct_ipc(const std::string& name) {
    for (const char* n : {"semget", "semctl", "shmget", "shmctl", "shmat", "shmdt", "msgget",
                          "msgsnd", "msgrcv", "msgctl"})
        if (name == n) return true;
    return false;
}

// A name the ABI lacks is left out rather than added as a libseccomp pseudo-syscall: libseccomp
// 2.5.4 loses the load of the syscall number when such an entry sorts first in an ABI's block, and
// the whole block then never matches.
bool exists_on(uint32_t arch, const std::string& name) {
    if (seccomp_syscall_resolve_name_arch(arch, name.c_str()) >= 0) return true;
    return arch == SCMP_ARCH_X86 && i386_direct_ipc(name);
}

Status add_rule(void* ctx, const BlockRule& rule, int errno_value) {
    // Rules take native numbers; libseccomp translates them by name for the context's ABI.
    int nr = seccomp_syscall_resolve_name(rule.syscall.c_str());
    if (nr == __NR_SCMP_ERROR) return Error::of("libseccomp does not know syscall " + rule.syscall);
    std::vector<scmp_arg_cmp> cmps;
    for (const auto& a : rule.args)
        cmps.push_back(SCMP_CMP(a.index, SCMP_CMP_MASKED_EQ, a.mask, a.value));
    // Not the _exact variant: it refuses argument rules on i386's SysV calls.
    const int err = rule.errno_value ? rule.errno_value : errno_value;
    int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(err), nr, cmps.size(), cmps.data());
    if (rc != 0) return seccomp_error("seccomp_rule_add " + rule.syscall, rc);
    return {};
}

// A context for one ABI holding the rules for the syscalls that ABI has.
Result<Ctx> abi_context(uint32_t arch, const std::vector<BlockRule>& rules, int errno_value) {
    Ctx ctx(seccomp_init(SCMP_ACT_ALLOW));
    if (!ctx) return Error::of("seccomp_init failed");
    if (arch != seccomp_arch_native()) {
        if (int rc = seccomp_arch_add(ctx.get(), arch); rc != 0)
            return seccomp_error("seccomp_arch_add", rc);
        if (int rc = seccomp_arch_remove(ctx.get(), SCMP_ARCH_NATIVE); rc != 0)
            return seccomp_error("seccomp_arch_remove", rc);
    }
    for (const auto& rule : rules) {
        if (!exists_on(arch, rule.syscall)) continue;
        if (auto ok = add_rule(ctx.get(), rule, errno_value); !ok) return std::move(ok).error();
    }
    return ctx;
}

// libseccomp 2.5 writes BPF only to a file descriptor; a memfd brings it back into memory.
Result<std::vector<sock_filter>> export_bpf(void* ctx) {
    OwnedFd memfd{memfd_create("ipcbox-seccomp", MFD_CLOEXEC)};
    const int fd = memfd.fd;
    if (fd < 0) return Error::from_errno("memfd_create", errno);
    if (int rc = seccomp_export_bpf(ctx, fd); rc != 0)
        return seccomp_error("seccomp_export_bpf", rc);
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0) return Error::from_errno("lseek", errno);
    if (size % sizeof(sock_filter) != 0 || size / sizeof(sock_filter) > BPF_MAXINSNS)
        return Error::of("seccomp_export_bpf: program of " + std::to_string(size) +
                         " bytes cannot be loaded");
    std::vector<sock_filter> program(size / sizeof(sock_filter));
    if (pread(fd, program.data(), size, 0) != size) return Error::from_errno("read BPF", errno);
    return program;
}

}  // namespace

Result<SeccompProgram> compile_block_filter(const config::Block& block) {
    auto rules = block_rules(block);
    if (!rules) return std::move(rules).error();
    if (rules->empty()) return SeccompProgram{};

    Ctx all;
    for (uint32_t arch : kAbis) {
        auto ctx = abi_context(arch, *rules, block.errno_value);
        if (!ctx) return std::move(ctx).error();
        if (!all) {
            all = std::move(ctx).value();
            continue;
        }
        // seccomp_merge releases the merged context only when it succeeds.
        if (int rc = seccomp_merge(all.get(), ctx->get()); rc != 0)
            return seccomp_error("seccomp_merge", rc);
        ctx->release();
    }
    auto program = export_bpf(all.get());
    if (!program) return std::move(program).error();
    return SeccompProgram{std::move(program).value()};
}

Status set_no_new_privs() {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return Error::from_errno("prctl(PR_SET_NO_NEW_PRIVS)", errno);
    return {};
}

Status load_filter(const SeccompProgram& program) {
    // Required for an unprivileged filter, and it keeps setuid programs from escaping it.
    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
        return Error::of("seccomp: NO_NEW_PRIVS must be set before the filter is loaded");
    if (program.empty()) return {};
    sock_fprog fprog{static_cast<unsigned short>(program.instructions.size()),
                     const_cast<sock_filter*>(program.instructions.data())};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0)
        return Error::from_errno("seccomp(SECCOMP_SET_MODE_FILTER)", errno);
    return {};
}

}  // namespace ipcbox::seccomp
