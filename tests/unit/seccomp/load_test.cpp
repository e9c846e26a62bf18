// Loads the compiled filter in a forked child (no launcher) and checks what each call gets on
// every ABI: x86_64, i386 through `int $0x80` (direct calls and the ipc(2) multiplexer), x32.
#include <gtest/gtest.h>
#include <sys/prctl.h>

#include "seccomp/filter.hpp"
#include "tests/common/skip.hpp"
#include "tests/unit/seccomp/probes.hpp"

namespace ipcbox::seccomp {
namespace {

using config::Block;
using config::IpcKind;
using namespace probes;

class SeccompLoad : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!can_run()) IPCBOX_SKIP("no IPC namespace here (needs root or user namespaces)");
    }
};

std::function<bool()> loader(const Block& block) {
    auto program = compile_block_filter(block);
    EXPECT_TRUE(program.ok()) << describe(block) << ": "
                              << (program.ok() ? "" : program.error().message);
    SeccompProgram p = program.ok() ? program.value() : SeccompProgram{};
    return [p] { return set_no_new_privs().ok() && load_filter(p).ok(); };
}

TEST_F(SeccompLoad, AnEmptyProgramOnlySetsNoNewPrivs) {
    auto load = loader(Block{});
    expect_enforced(Block{}, load);
    EXPECT_EQ(in_child(load, [] { return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1; }),
              0);
}

TEST_F(SeccompLoad, EveryKindBlockedOrCreateOnlyOnEveryAbi) {
    for (const Block& block : sample_blocks()) expect_enforced(block, loader(block));
}

TEST_F(SeccompLoad, EachErrnoChoice) {
    for (int err : {EPERM, EACCES, ENOSYS}) {
        Block block{{IpcKind::SysvQueue}, {IpcKind::PosixQueue}, err};
        expect_enforced(block, loader(block));
    }
}

}  // namespace
}  // namespace ipcbox::seccomp
