// Runs a command in which msgrcv with MSG_COPY fails with ENOSYS, as it does on a kernel built
// without CONFIG_CHECKPOINT_RESTORE, so that the snapshot's fallback can be tested on a kernel
// that has MSG_COPY. Every other msgrcv, and every other call, is left alone.
//
//   support_nomsgcopy COMMAND [ARGS]...
// Exit status: the command's; 126 when the filter could not be installed or did not take, 127
// when the command could not be run, 2 on usage.
#include <seccomp.h>
#include <sys/msg.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace {

bool install_filter() {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) return false;
    // The flags are msgrcv's fifth argument. libseccomp sets no_new_privs, so nobody may load it.
    const bool ok = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(msgrcv), 1,
                                     SCMP_A4(SCMP_CMP_MASKED_EQ, MSG_COPY, MSG_COPY)) == 0 &&
                    seccomp_load(ctx) == 0;
    seccomp_release(ctx);
    return ok;
}

// Without the filter the kernel answers EINVAL here (no such queue); with it, ENOSYS.
bool filter_took() {
    long buf[2] = {};
    return msgrcv(-1, buf, sizeof buf[1], 0, IPC_NOWAIT | MSG_COPY) == -1 && errno == ENOSYS;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: support_nomsgcopy COMMAND [ARGS]...\n");
        return 2;
    }
    if (!install_filter() || !filter_took()) {
        std::fprintf(stderr, "support_nomsgcopy: the seccomp filter did not take: %s\n",
                     std::strerror(errno));
        return 126;
    }
    execvp(argv[1], argv + 1);
    std::fprintf(stderr, "support_nomsgcopy: %s: %s\n", argv[1], std::strerror(errno));
    return 127;
}
