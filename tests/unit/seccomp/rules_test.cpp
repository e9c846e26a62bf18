#include "seccomp/rules.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/ipc.h>

#include <algorithm>

#include "seccomp/filter.hpp"

namespace ipcbox::seccomp {
namespace {

using config::Block;
using config::IpcKind;

std::vector<BlockRule> rules_of(const Block& block) {
    auto rules = block_rules(block);
    EXPECT_TRUE(rules.ok()) << (rules.ok() ? "" : rules.error().message);
    return rules.ok() ? rules.value() : std::vector<BlockRule>{};
}

bool has_rule(const std::vector<BlockRule>& rules, const BlockRule& want) {
    return std::any_of(rules.begin(), rules.end(), [&](const BlockRule& r) {
        return r.syscall == want.syscall && r.args == want.args;
    });
}

TEST(SeccompRules, NothingBlockedGivesNoRulesAndAnEmptyProgram) {
    EXPECT_TRUE(rules_of(Block{}).empty());
    auto program = compile_block_filter(Block{});
    ASSERT_TRUE(program.ok()) << program.error().message;
    EXPECT_TRUE(program->empty());
}

// The mount set-up closes /dev/shm; the filter only keeps the command from making a user
// namespace of its own, in which it could mount a tmpfs over it.
TEST(SeccompRules, PosixShmAndSemaphoreForbidUserNamespacesOnly) {
    for (IpcKind kind : {IpcKind::PosixShm, IpcKind::PosixSemaphore}) {
        Block block;
        block.kinds = {kind};
        block.errno_value = EACCES;
        auto rules = rules_of(block);
        ASSERT_EQ(rules.size(), 3u);
        EXPECT_TRUE(has_rule(rules, {"unshare", {{0, CLONE_NEWUSER, CLONE_NEWUSER}}}));
        EXPECT_TRUE(has_rule(rules, {"clone", {{0, CLONE_NEWUSER, CLONE_NEWUSER}}}));
        for (const BlockRule& r : rules)
            EXPECT_EQ(r.errno_value, r.syscall == "clone3" ? ENOSYS : 0) << r.syscall;
        auto program = compile_block_filter(block);
        ASSERT_TRUE(program.ok()) << program.error().message;
        EXPECT_FALSE(program->empty());
    }
}

TEST(SeccompRules, SysvQueueBlocksEverySyscallAndEveryIpcCall) {
    Block block;
    block.kinds = {IpcKind::SysvQueue};
    auto rules = rules_of(block);
    for (const char* name : {"msgget", "msgsnd", "msgrcv", "msgctl"})
        EXPECT_TRUE(has_rule(rules, {name, {}})) << name;
    // The call is matched on its low 16 bits: the kernel ignores the "version" above them.
    for (uint64_t call : {11, 12, 13, 14})
        EXPECT_TRUE(has_rule(rules, {"ipc", {{0, 0xffff, call}}})) << call;
    EXPECT_FALSE(has_rule(rules, {"semget", {}}));
    EXPECT_FALSE(has_rule(rules, {"ipc", {{0, 0xffff, 2}}}));
}

TEST(SeccompRules, SemaphoreAndShmCoverTime64AndIpcCalls) {
    Block block;
    block.kinds = {IpcKind::SysvSemaphore, IpcKind::SysvShm};
    auto rules = rules_of(block);
    for (const char* name : {"semget", "semop", "semtimedop", "semtimedop_time64", "semctl",
                             "shmget", "shmat", "shmdt", "shmctl"})
        EXPECT_TRUE(has_rule(rules, {name, {}})) << name;
    for (uint64_t call : {1, 2, 3, 4, 21, 22, 23, 24})
        EXPECT_TRUE(has_rule(rules, {"ipc", {{0, 0xffff, call}}})) << call;
}

TEST(SeccompRules, PosixQueueBlocksEveryMqSyscall) {
    Block block;
    block.kinds = {IpcKind::PosixQueue};
    auto rules = rules_of(block);
    EXPECT_EQ(rules.size(), 8u);
    for (const char* name :
         {"mq_open", "mq_unlink", "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
          "mq_timedreceive_time64", "mq_notify", "mq_getsetattr"})
        EXPECT_TRUE(has_rule(rules, {name, {}})) << name;
}

TEST(SeccompRules, CreateOnlySysvRefusesIpcCreatAndIpcPrivate) {
    Block block;
    block.create = {IpcKind::SysvQueue, IpcKind::SysvSemaphore, IpcKind::SysvShm};
    auto rules = rules_of(block);
    EXPECT_TRUE(has_rule(rules, {"msgget", {{1, IPC_CREAT, IPC_CREAT}}}));
    EXPECT_TRUE(has_rule(rules, {"semget", {{2, IPC_CREAT, IPC_CREAT}}}));
    EXPECT_TRUE(has_rule(rules, {"shmget", {{2, IPC_CREAT, IPC_CREAT}}}));
    // IPC_PRIVATE always makes a new object; key_t is 32 bits wide.
    for (const char* get : {"msgget", "semget", "shmget"})
        EXPECT_TRUE(has_rule(rules, {get, {{0, 0xffffffff, IPC_PRIVATE}}})) << get;
    // The same through ipc(2), whose arguments come one position later.
    for (auto [call, flag] : {std::pair<uint64_t, unsigned>{13, 2}, {2, 3}, {23, 3}}) {
        EXPECT_TRUE(has_rule(rules, {"ipc", {{0, 0xffff, call}, {1, 0xffffffff, IPC_PRIVATE}}}));
        EXPECT_TRUE(has_rule(rules, {"ipc", {{0, 0xffff, call}, {flag, IPC_CREAT, IPC_CREAT}}}));
    }
    // Using existing objects stays allowed.
    for (const char* name : {"msgsnd", "msgrcv", "msgctl", "semop", "semctl", "shmat", "shmctl"})
        EXPECT_FALSE(has_rule(rules, {name, {}})) << name;
}

TEST(SeccompRules, CreateOnlyPosixQueueRefusesOCreat) {
    Block block;
    block.create = {IpcKind::PosixQueue};
    auto rules = rules_of(block);
    ASSERT_EQ(rules.size(), 1u);
    EXPECT_TRUE(has_rule(rules, {"mq_open", {{1, O_CREAT, O_CREAT}}}));
}

TEST(SeccompRules, AFullBlockMakesCreateOnlyRedundant) {
    Block both;
    both.kinds = {IpcKind::PosixQueue};
    both.create = {IpcKind::PosixQueue};
    Block full;
    full.kinds = {IpcKind::PosixQueue};
    EXPECT_EQ(rules_of(both).size(), rules_of(full).size());
}

TEST(SeccompRules, CreateOnlyPosixShmOrSemaphoreIsAnErrorThatSaysWhy) {
    for (IpcKind kind : {IpcKind::PosixShm, IpcKind::PosixSemaphore}) {
        Block block;
        block.create = {kind};
        auto rules = block_rules(block);
        ASSERT_FALSE(rules.ok());
        EXPECT_NE(rules.error().message.find(config::kind_name(kind)), std::string::npos);
        EXPECT_NE(rules.error().message.find("cannot be enforced"), std::string::npos);
        EXPECT_NE(rules.error().message.find("open(O_CREAT)"), std::string::npos);
        EXPECT_FALSE(rules.error().hint.empty());
        EXPECT_FALSE(compile_block_filter(block).ok());
        EXPECT_FALSE(export_oci_profile(block).ok());
    }
}

TEST(SeccompRules, OnlyEpermEaccesAndEnosysMayBeChosen) {
    Block block;
    block.kinds = {IpcKind::SysvQueue};
    for (int err : {EPERM, EACCES, ENOSYS}) {
        block.errno_value = err;
        EXPECT_TRUE(block_rules(block).ok()) << err;
    }
    for (int err : {0, -1, EINVAL, 4096}) {
        block.errno_value = err;
        auto rules = block_rules(block);
        ASSERT_FALSE(rules.ok()) << err;
        EXPECT_NE(rules.error().message.find("EPERM, EACCES, ENOSYS"), std::string::npos);
        EXPECT_FALSE(compile_block_filter(block).ok());
    }
}

TEST(SeccompRules, KindOrderInTheSpecDoesNotChangeTheRules) {
    Block a, b;
    a.kinds = {IpcKind::SysvShm, IpcKind::PosixQueue};
    b.kinds = {IpcKind::PosixQueue, IpcKind::SysvShm};
    auto ra = rules_of(a), rb = rules_of(b);
    ASSERT_EQ(ra.size(), rb.size());
    for (size_t i = 0; i < ra.size(); ++i) EXPECT_EQ(ra[i].syscall, rb[i].syscall);
}

}  // namespace
}  // namespace ipcbox::seccomp
