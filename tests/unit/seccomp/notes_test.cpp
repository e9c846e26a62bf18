#include <gtest/gtest.h>

#include "seccomp/filter.hpp"

namespace ipcbox::seccomp {
namespace {

using config::Block;
using config::IpcKind;

bool mentions(const std::vector<std::string>& notes, const std::string& text) {
    for (const auto& n : notes)
        if (n.find(text) != std::string::npos) return true;
    return false;
}

TEST(SeccompNotes, NothingFilteredSaysNothing) {
    EXPECT_TRUE(block_filter_notes(Block{}).empty());
}

TEST(SeccompNotes, ABlockedKindNamesTheAbisCovered) {
    Block block{{IpcKind::SysvShm}, {}, EPERM};
    auto notes = block_filter_notes(block);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_TRUE(mentions(notes, "x86_64, i386 (int $0x80"));
    EXPECT_TRUE(mentions(notes, "x32"));
}

TEST(SeccompNotes, CreateOnlySysvExplainsIpcCreatAndTheMultiplexer) {
    Block block{{}, {IpcKind::SysvSemaphore}, EPERM};
    auto notes = block_filter_notes(block);
    EXPECT_TRUE(mentions(notes, "sysv.semaphore: semget with IPC_CREAT"));
    EXPECT_TRUE(mentions(notes, "IPC_PRIVATE"));
    EXPECT_TRUE(mentions(notes, "ipc(2) multiplexer every semget is refused"));
    EXPECT_FALSE(mentions(notes, "msgget"));
}

TEST(SeccompNotes, PosixShmExplainsWhyItIsTheMount) {
    Block block{{IpcKind::PosixSemaphore}, {}, ENOSYS};
    auto notes = block_filter_notes(block);
    EXPECT_TRUE(mentions(notes, "EROFS"));
    EXPECT_TRUE(mentions(notes, "read-only /dev/shm"));
    EXPECT_TRUE(mentions(notes, "cannot make a user namespace"));
}

}  // namespace
}  // namespace ipcbox::seccomp
