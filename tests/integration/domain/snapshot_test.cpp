// `ipcbox snapshot --domain`: a domain's state, preseeded and added by its commands, becomes a
// spec that recreates it, in a plain run or in a new domain.
#include "tests/integration/domain/domain_support.hpp"

namespace ipcbox::test {
namespace {

using DomainSnapshot = AsEachUser;

TEST_P(DomainSnapshot, CapturesTheDomainAndReplaysIt) {
    const std::string name = domain_name("snap"), copy = domain_name("copy");
    DomainGuard guard(who(), name), guard_copy(who(), copy);
    const std::string spec =
        "[sysctl]\n\"kernel.msgmnb\" = 30000\n\n[[sysv.semaphore]]\nkey = 0x5b01\nvalues = [3, "
        "1]\n";
    ASSERT_EQ(ipcbox({"domain", "create", name, "-c", write_spec(spec)}).exit_code, 0);
    ASSERT_EQ(ipcbox({"run", "--domain", name, "--", support("ipcmake"), "msgq", "0x5b02", "kept",
                      ",", "pshm", "/frame", "32"})
                  .exit_code,
              0);
    const Outcome taken = ipcbox({"snapshot", "--domain", name});
    ASSERT_EQ(taken.exit_code, 0) << taken.err;
    EXPECT_NE(taken.out.find("domain " + name), std::string::npos) << taken.out;
    const std::string snap = write_spec(taken.out);
    // The domain still holds its message.
    const std::string check = support("ipcread") +
                              " msgrcv 0x5b02 , semgetall 0x5b01 , stat /dev/shm/frame; cat "
                              "/proc/sys/kernel/msgmnb";
    const Outcome replay = ipcbox({"run", "-c", snap, "--", "sh", "-c", check});
    EXPECT_EQ(replay.exit_code, 0) << replay.err;
    const Outcome into = ipcbox({"domain", "create", copy, "-c", snap});
    ASSERT_EQ(into.exit_code, 0) << into.err;
    const Outcome in_copy = ipcbox({"run", "--domain", copy, "--", "sh", "-c", check});
    const Outcome in_original = ipcbox({"run", "--domain", name, "--", "sh", "-c", check});
    for (const Outcome* o : {&replay, &in_copy, &in_original}) {
        EXPECT_NE(o->out.find("msg 1 " + hex_of("kept")), std::string::npos) << o->out;
        EXPECT_NE(o->out.find("sem 3 1"), std::string::npos) << o->out;
        EXPECT_NE(o->out.find("stat /dev/shm/frame mode=0640"), std::string::npos) << o->out;
        EXPECT_NE(o->out.find("size=32"), std::string::npos) << o->out;
        EXPECT_NE(o->out.find("30000"), std::string::npos) << o->out;
    }
}

INSTANTIATE_TEST_SUITE_P(Users, DomainSnapshot, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
