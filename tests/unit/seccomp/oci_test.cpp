#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/ipc.h>

#include <nlohmann/json.hpp>
#include <set>

#include "seccomp/filter.hpp"

namespace ipcbox::seccomp {
namespace {

using config::Block;
using config::IpcKind;
using nlohmann::json;

json profile_of(const Block& block) {
    auto text = export_oci_profile(block);
    EXPECT_TRUE(text.ok()) << (text.ok() ? "" : text.error().message);
    return text.ok() ? json::parse(text.value()) : json{};
}

// The entry that names `syscall` with exactly `args` (null when there is none).
const json* entry_for(const json& profile, const std::string& syscall, const json& args) {
    for (const auto& entry : profile["syscalls"]) {
        const json entry_args = entry.value("args", json::array());
        if (entry_args != args) continue;
        for (const auto& name : entry["names"])
            if (name == syscall) return &entry;
    }
    return nullptr;
}

json masked(unsigned index, uint64_t mask, uint64_t value) {
    return {{"index", index}, {"value", mask}, {"valueTwo", value}, {"op", "SCMP_CMP_MASKED_EQ"}};
}

TEST(OciSeccomp, AllowsByDefaultOnAllThreeX86Abis) {
    json p = profile_of(Block{});
    EXPECT_EQ(p["defaultAction"], "SCMP_ACT_ALLOW");
    EXPECT_EQ(p["architectures"], json({"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}));
    EXPECT_EQ(p["syscalls"], json::array());
}

TEST(OciSeccomp, ABlockedKindNamesEverySyscallWithTheChosenErrno) {
    Block block;
    block.kinds = {IpcKind::SysvSemaphore, IpcKind::PosixQueue};
    block.errno_value = ENOSYS;
    json p = profile_of(block);
    for (const char* name :
         {"semget", "semop", "semtimedop", "semtimedop_time64", "semctl", "mq_open", "mq_unlink",
          "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr"})
        EXPECT_NE(entry_for(p, name, json::array()), nullptr) << name;
    for (uint64_t call : {1, 2, 3, 4})
        EXPECT_NE(entry_for(p, "ipc", json::array({masked(0, 0xffff, call)})), nullptr) << call;
    EXPECT_EQ(entry_for(p, "msgget", json::array()), nullptr);
    for (const auto& entry : p["syscalls"]) {
        EXPECT_EQ(entry["action"], "SCMP_ACT_ERRNO");
        EXPECT_EQ(entry["errnoRet"], ENOSYS);
    }
}

TEST(OciSeccomp, CreateOnlyRulesTestTheFlagArgument) {
    Block block;
    block.create = {IpcKind::SysvQueue, IpcKind::SysvShm, IpcKind::PosixQueue};
    block.errno_value = EACCES;
    json p = profile_of(block);
    EXPECT_NE(entry_for(p, "msgget", json::array({masked(1, IPC_CREAT, IPC_CREAT)})), nullptr);
    EXPECT_NE(entry_for(p, "shmget", json::array({masked(2, IPC_CREAT, IPC_CREAT)})), nullptr);
    EXPECT_NE(entry_for(p, "msgget", json::array({masked(0, 0xffffffff, IPC_PRIVATE)})), nullptr);
    EXPECT_NE(entry_for(p, "shmget", json::array({masked(0, 0xffffffff, IPC_PRIVATE)})), nullptr);
    EXPECT_NE(entry_for(p, "mq_open", json::array({masked(1, O_CREAT, O_CREAT)})), nullptr);
    EXPECT_NE(
        entry_for(p, "ipc", json::array({masked(0, 0xffff, 13), masked(2, IPC_CREAT, IPC_CREAT)})),
        nullptr);
    EXPECT_NE(entry_for(p, "ipc", json::array({masked(0, 0xffff, 13), masked(1, 0xffffffff, 0)})),
              nullptr);
    EXPECT_EQ(entry_for(p, "msgsnd", json::array()), nullptr);
}

// Runtimes AND the args of one entry, except runc, which ORs args that test the same index.
TEST(OciSeccomp, NoEntryTestsOneArgumentTwice) {
    Block block;
    block.kinds = {IpcKind::SysvQueue, IpcKind::SysvSemaphore, IpcKind::SysvShm};
    block.create = {IpcKind::PosixQueue};
    json p = profile_of(block);
    for (const auto& entry : p["syscalls"]) {
        std::set<unsigned> seen;
        for (const auto& arg : entry.value("args", json::array()))
            EXPECT_TRUE(seen.insert(arg["index"].get<unsigned>()).second) << entry.dump();
    }
}

TEST(OciSeccomp, EntriesShareNamesWhenTheirArgumentsMatch) {
    Block block;
    block.kinds = {IpcKind::SysvQueue, IpcKind::SysvShm};
    json p = profile_of(block);
    // One entry for every argument-free rule, one per ipc(2) call.
    ASSERT_EQ(p["syscalls"].size(), 1u + 8u);
    EXPECT_EQ(p["syscalls"][0]["names"].size(), 8u);
    EXPECT_FALSE(p["syscalls"][0].contains("args"));
}

TEST(OciSeccomp, AnUnenforceableSpecIsRefused) {
    Block block;
    block.create = {IpcKind::PosixSemaphore};
    EXPECT_FALSE(export_oci_profile(block).ok());
}

}  // namespace
}  // namespace ipcbox::seccomp
