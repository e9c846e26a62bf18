// [block] kinds through the real binary, as root and as nobody: every operation of a blocked kind
// fails with the chosen errno on every ABI, and everything else keeps working.
#include <gtest/gtest.h>

#include "config/spec.hpp"
#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/block_probe.hpp"

namespace ipcbox::test {
namespace {

using config::IpcKind;

class BlockKinds : public AsEachUser {
  protected:
    void SetUp() override {
        AsEachUser::SetUp();
        if (IsSkipped()) return;
        IPCBOX_REQUIRE_I386_ABI();
    }
    void expect(const std::string& spec, const Probe& p, int want, const std::string& context) {
        Outcome o = try_in_sandbox(who(), spec, p.op, p.arg);
        EXPECT_EQ(o.exit_code, want)
            << context << ": support_try " << p.op << " " << p.arg << "\nstderr: " << o.err;
    }
};

std::string block_spec(const std::string& kinds, const std::string& err) {
    return write_spec("[block]\nkinds = [" + kinds + "]\nerrno = \"" + err + "\"\n");
}
std::string quoted(IpcKind kind) {
    return std::string("\"") + config::kind_name(kind) + "\"";
}

TEST_P(BlockKinds, WithNothingBlockedEveryProbeWorks) {
    const std::string spec = write_spec("[block]\nkinds = []\n");
    for (const Probe& p : all_probes()) expect(spec, p, p.unblocked, "nothing blocked");
}

TEST_P(BlockKinds, ABlockedKindFailsWithTheErrnoOnEveryAbiAndNothingElseDoes) {
    for (IpcKind kind :
         {IpcKind::SysvQueue, IpcKind::SysvSemaphore, IpcKind::SysvShm, IpcKind::PosixQueue}) {
        const std::string spec = block_spec(quoted(kind), "EACCES");
        for (const Probe& p : all_probes())
            expect(spec, p, p.kind == kind ? EACCES : p.unblocked, config::kind_name(kind));
    }
}

// Both live in /dev/shm, so blocking either makes it an empty read-only tmpfs: both fail with
// EROFS, not with the chosen errno, and nothing outside /dev/shm is touched.
TEST_P(BlockKinds, PosixShmAndSemaphoreFailWithErofsFromTheMount) {
    for (IpcKind kind : {IpcKind::PosixShm, IpcKind::PosixSemaphore}) {
        const std::string spec = block_spec(quoted(kind), "ENOSYS");
        for (const Probe& p : all_probes()) {
            const bool in_dev_shm =
                p.kind == IpcKind::PosixShm || p.kind == IpcKind::PosixSemaphore;
            expect(spec, p, in_dev_shm ? EROFS : p.unblocked, config::kind_name(kind));
        }
    }
}

TEST_P(BlockKinds, EachErrnoChoiceIsWhatTheCallGets) {
    for (auto [name, err] : {std::pair{"EPERM", EPERM}, {"EACCES", EACCES}, {"ENOSYS", ENOSYS}}) {
        const std::string spec = block_spec("\"sysv.shm\"", name);
        for (const char* op :
             {"shmget-create", "shmctl-info", "i386-shmget-create", "i386-ipc-shmget-create"})
            expect(spec, {op, "", IpcKind::SysvShm, 0}, err, name);
        expect(spec, {"semget-create", "", std::nullopt, 0}, 0, name);
    }
}

// The i386 entry of a 64-bit process (direct calls, and ipc(2) even with "version" bits in its
// call argument) and the x32 numbers meet the same filter; x32 is filtered even on a kernel
// without x32, since seccomp runs before the kernel looks the number up.
TEST_P(BlockKinds, Int0x80AndX32CannotGetAroundTheFilter) {
    const std::string spec =
        block_spec("\"sysv.queue\", \"sysv.semaphore\", \"sysv.shm\", \"posix.queue\"", "EACCES");
    for (const Probe& p : all_probes()) {
        const bool foreign_abi = p.op.rfind("i386-", 0) == 0 || p.op.rfind("x32-", 0) == 0;
        if (foreign_abi) expect(spec, p, p.kind ? EACCES : p.unblocked, "all syscall kinds");
    }
}

TEST_P(BlockKinds, FlagsOverrideTheSpec) {
    const std::string spec = block_spec("\"sysv.shm\"", "EPERM");
    auto run = [&](const std::string& op, const std::string& arg,
                   const std::vector<std::string>& flags) {
        Outcome o = try_in_sandbox(who(), spec, op, arg, flags);
        return o.exit_code;
    };
    const std::vector<std::string> flags{"--block",     "sysv.queue",    "--block",
                                         "posix.queue", "--block-errno", "ENOSYS"};
    EXPECT_EQ(run("msgget-create", "", flags), ENOSYS);
    EXPECT_EQ(run("i386-ipc-msgget-create", "", flags), ENOSYS);
    EXPECT_EQ(run("mq_open-create", "/ipcbox-probe", flags), ENOSYS);
    EXPECT_EQ(run("shmget-create", "", flags), 0) << "--block replaces the spec's kinds";
    EXPECT_EQ(run("shmget-create", "", {"--block-errno", "EACCES"}), EACCES);
    EXPECT_EQ(run("msgget-create", "", {"--block-errno", "EACCES"}), 0);
}

TEST_P(BlockKinds, AnUnknownKindOrErrnoIsRefusedBeforeTheCommandRuns) {
    Outcome o = try_in_sandbox(who(), write_spec(""), "pipe", "", {"--block", "sysv.pipe"});
    EXPECT_EQ(o.exit_code, 125) << o.err;
    o = try_in_sandbox(who(), write_spec(""), "pipe", "", {"--block-errno", "EINVAL"});
    EXPECT_EQ(o.exit_code, 125) << o.err;
    o = try_in_sandbox(who(), write_spec("[block]\nerrno = \"EIO\"\n"), "pipe");
    EXPECT_EQ(o.exit_code, 125) << o.err;
}

INSTANTIATE_TEST_SUITE_P(Users, BlockKinds, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
