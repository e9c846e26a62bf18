// Specs that load: the forms a [sysctl] table can take, and every key it accepts.
#include <gtest/gtest.h>

#include "config/load.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::load;

TEST(ConfigLoad, SysctlForms) {
    // Quoted keys, dotted keys and sub-tables all name the same settings.
    Result<Spec> r = load(R"toml(
[sysctl]
"kernel.msgmax" = 8192
fs.mqueue.msg_max = 100
[sysctl.kernel]
msgmnb = 65536
sem = "250   32000 32 128"
shmmax = 9223372036854775807
shm_rmid_forced = 1
[sysctl."fs.mqueue"]
queues_max = 512
)toml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    std::vector<std::pair<std::string, std::string>> got;
    for (const Sysctl& s : r->sysctls) got.emplace_back(s.key, s.value);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"kernel.msgmax", "8192"},
        {"fs.mqueue.msg_max", "100"},
        {"kernel.msgmnb", "65536"},
        {"kernel.sem", "250 32000 32 128"},
        {"kernel.shmmax", "9223372036854775807"},
        {"kernel.shm_rmid_forced", "1"},
        {"fs.mqueue.queues_max", "512"},
    };
    EXPECT_EQ(got, expected);
    EXPECT_EQ(r->sysctls[0].origin.str(), "spec.toml:3:1");
    EXPECT_EQ(r->sysctls[1].origin.str(), "spec.toml:4:11");
    EXPECT_EQ(r->sysctls[2].origin.str(), "spec.toml:6:1");
}

TEST(ConfigLoad, SysctlDottedKeysUnderSysctl) {
    Result<Spec> r = load("sysctl.kernel.msgmni = 64\nsysctl.kernel.sem = [1, 2, 3, 4]\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->sysctls.size(), 2u);
    EXPECT_EQ(r->sysctls[0].key, "kernel.msgmni");
    EXPECT_EQ(r->sysctls[0].value, "64");
    EXPECT_EQ(r->sysctls[1].key, "kernel.sem");
    EXPECT_EQ(r->sysctls[1].value, "1 2 3 4");
}

TEST(ConfigLoad, EverySysctlKeyIsAccepted) {
    for (const char* key :
         {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.shmmax", "kernel.shmall",
          "kernel.shmmni", "kernel.shm_rmid_forced", "kernel.msg_next_id", "kernel.sem_next_id",
          "kernel.shm_next_id", "fs.mqueue.queues_max", "fs.mqueue.msg_max",
          "fs.mqueue.msgsize_max", "fs.mqueue.msg_default", "fs.mqueue.msgsize_default"}) {
        Result<Spec> r = load("[sysctl]\n\"" + std::string(key) + "\" = 1\n");
        ASSERT_TRUE(r.ok()) << key << ": " << r.error().message;
        ASSERT_EQ(r->sysctls.size(), 1u);
        EXPECT_EQ(r->sysctls[0].key, key);
        EXPECT_EQ(r->sysctls[0].value, "1");
    }
}

}  // namespace
}  // namespace ipcbox::config
