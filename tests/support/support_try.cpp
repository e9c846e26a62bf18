// A probe for the [block] tests: performs ONE named IPC operation and exits with the errno it got
// (0 on success), so a test reads the outcome from the exit status alone. Objects it creates are
// removed again, so a probe run never leaves anything behind.
//
//   support_try OP [ARG]      support_try list   (prints every OP)
//
// i386-* ops enter the kernel through `int $0x80` (the i386 ABI of a 64-bit process), x32-* ops
// through the x32 syscall numbers; both are the routes a filter written for x86_64 alone misses.
#include <cstdio>
#include <cstring>
#include <span>

#include "tests/support/try/try.hpp"

namespace {

using support_try::Op;

constexpr int kUsage = 200;  // above every errno

}  // namespace

int main(int argc, char** argv) {
    const std::span<const Op> parts[] = {support_try::sysv_ops(), support_try::posix_ops(),
                                         support_try::foreign_abi_ops(),
                                         support_try::control_ops()};
    if (argc == 2 && std::strcmp(argv[1], "list") == 0) {
        for (const auto& ops : parts)
            for (const Op& op : ops) std::printf("%s%s\n", op.name, op.takes_arg ? " ARG" : "");
        return 0;
    }
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: support_try OP [ARG] | list\n");
        return kUsage;
    }
    for (const auto& ops : parts) {
        for (const Op& op : ops) {
            if (std::strcmp(op.name, argv[1]) != 0) continue;
            // *-create SysV ops take an optional key; every other op with an argument needs it.
            const char* arg = argc == 3 ? argv[2] : nullptr;
            if (op.takes_arg && !arg) {
                std::fprintf(stderr, "support_try: %s needs an argument\n", op.name);
                return kUsage;
            }
            return op.run(arg);
        }
    }
    std::fprintf(stderr, "support_try: unknown op %s\n", argv[1]);
    return kUsage;
}
