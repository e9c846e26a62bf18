// The limits a replay needs: objects beyond the target's own limits (a creator with
// CAP_SYS_RESOURCE, or a limit lowered after they were made) raise the knobs in the written spec,
// with a comment, and the spec loads; a value no knob can reach is refused, naming the object.
#include <gtest/gtest.h>

#include "config/load.hpp"
#include "launcher/snapshot/snapshot.hpp"

namespace ipcbox::launcher::snapshot {
namespace {

// A fresh namespace's values, as read_sysctls() gives them.
std::map<std::string, std::string> fresh() {
    return {{"kernel.msgmax", "8192"},
            {"kernel.msgmnb", "16384"},
            {"kernel.msgmni", "32000"},
            {"kernel.shmmax", "18446744073692774399"},
            {"kernel.shmall", "18446744073692774399"},
            {"kernel.shmmni", "4096"},
            {"kernel.sem", "32000 1024000000 500 32000"},
            {"fs.mqueue.queues_max", "256"},
            {"fs.mqueue.msg_max", "10"},
            {"fs.mqueue.msgsize_max", "8192"}};
}

config::SysvQueue queue(key_t key, uint64_t max_bytes, std::string message) {
    config::SysvQueue q;
    q.key.value = key;
    q.access.mode = 0600;
    q.max_bytes = max_bytes;
    q.messages = {{1, std::move(message)}};
    return q;
}

config::Sysctl sysctl(const std::string& key, const std::string& value) {
    config::Sysctl knob;
    knob.key = key;
    knob.value = value;
    return knob;
}

std::string value_of(const Snapshot& s, const std::string& knob) {
    for (const config::Sysctl& k : s.sysctls)
        if (k.key == knob) return k.value;
    return "(not written)";
}

TEST(SnapshotLimits, MadeWithCapSysResourceRaisesTheKnobs) {
    Snapshot s;
    s.objects.sysv_queues.push_back(queue(0x5e01, 100000, "hi"));
    config::PosixQueue pq;
    pq.name = "/big";
    pq.max_messages = 20;
    pq.message_size = 10000;
    s.objects.posix_queues.push_back(pq);
    ASSERT_TRUE(fit_limits(s, fresh()));
    ASSERT_EQ(s.sysctls.size(), 3u);  // in the knob table's order
    EXPECT_EQ(s.sysctls[0].key, "kernel.msgmnb");
    EXPECT_EQ(s.sysctls[0].value, "100000");
    EXPECT_EQ(s.sysctls[1].key, "fs.mqueue.msg_max");
    EXPECT_EQ(s.sysctls[1].value, "20");
    EXPECT_EQ(s.sysctls[2].key, "fs.mqueue.msgsize_max");
    EXPECT_EQ(s.sysctls[2].value, "10000");
    EXPECT_EQ(s.raised["kernel.msgmnb"],
              "raised from the target's 16384: sysv.queue[0] (key 0x00005e01) has max_bytes "
              "100000");
    EXPECT_EQ(s.raised["fs.mqueue.msg_max"],
              "raised from the target's 10: posix.queue /big has max_messages 20");
    ASSERT_EQ(s.notes.size(), 3u);
    EXPECT_EQ(s.notes[0],
              "kernel.msgmnb = 100000: raised from the target's 16384 so that the replay can "
              "recreate what it holds (sysv.queue[0] (key 0x00005e01) has max_bytes 100000)");

    // The comment sits above its knob, and the spec loads with the raised values.
    const std::string toml = write_spec_toml(s, {}).toml;
    EXPECT_NE(toml.find("# raised from the target's 10: posix.queue /big has max_messages 20\n"
                        "\"fs.mqueue.msg_max\" = 20\n"),
              std::string::npos)
        << toml;
    auto spec = config::load_spec_string(toml, "snap.toml", "/tmp");
    ASSERT_TRUE(spec) << spec.error().message;
    ASSERT_EQ(spec->sysctls.size(), 3u);
    EXPECT_EQ(spec->sysctls[1].value, "20");
}

TEST(SnapshotLimits, LoweredAfterTheObjectsWereMade) {
    std::map<std::string, std::string> target = fresh();
    target["kernel.msgmax"] = "10";
    target["kernel.shmmax"] = "4096";
    target["kernel.sem"] = "5 5 32 0";
    Snapshot s;
    // What changed_sysctls() wrote: the lowered values.
    for (const char* knob : {"kernel.msgmax", "kernel.shmmax", "kernel.sem"})
        s.sysctls.push_back(sysctl(knob, target[knob]));
    s.objects.sysv_queues.push_back(queue(0, 16384, std::string(26, 'm')));
    config::SysvShm shm;
    shm.key.value = 0x5e03;
    shm.size_bytes = 65536;
    s.objects.sysv_shms.push_back(shm);
    config::SysvSemaphore set;
    set.key.value = 0x5e04;
    set.values = std::vector<int>(10, 1);
    s.objects.sysv_semaphores.push_back(set);
    s.objects.sysv_semaphores.push_back(set);
    ASSERT_TRUE(fit_limits(s, target));
    EXPECT_EQ(value_of(s, "kernel.msgmax"), "26");
    EXPECT_EQ(value_of(s, "kernel.shmmax"), "65536");
    EXPECT_EQ(value_of(s, "kernel.sem"), "10 20 32 2");        // semopm kept
    EXPECT_EQ(value_of(s, "kernel.shmall"), "(not written)");  // the default holds 16 pages
    EXPECT_EQ(s.raised["kernel.msgmax"],
              "raised from the target's 10: sysv.queue[0] (IPC_PRIVATE) holds a message of 26 "
              "bytes");
    EXPECT_EQ(s.raised["kernel.sem"],
              "raised from the target's 5 5 32 0: sysv.semaphore[0] (key 0x00005e04) has 10 "
              "semaphores; 2 sysv.semaphore set(s) hold 20 semaphores; 2 sysv.semaphore set(s)");
}

TEST(SnapshotLimits, WhatFitsIsLeftAsItIs) {
    Snapshot s;
    s.sysctls.push_back(sysctl("kernel.msgmnb", "32768"));
    s.objects.sysv_queues.push_back(queue(0x5e01, 32768, "hi"));
    ASSERT_TRUE(fit_limits(s, fresh()));
    ASSERT_EQ(s.sysctls.size(), 1u);
    EXPECT_EQ(s.sysctls[0].value, "32768");
    EXPECT_TRUE(s.raised.empty());
    EXPECT_TRUE(s.notes.empty());
}

TEST(SnapshotLimits, BeyondWhatAnyKnobCanHoldIsRefused) {
    Snapshot s;
    s.objects.sysv_queues.push_back(queue(0x5e01, 16384, "hi"));
    s.objects.sysv_queues.push_back(queue(0x5e02, 3000000000, "hi"));
    Status refused = fit_limits(s, fresh());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message,
              "sysv.queue[1] (key 0x00005e02) has max_bytes 3000000000, more than kernel.msgmnb "
              "can be set to (2147483647): no spec can recreate it without CAP_SYS_RESOURCE");
}

}  // namespace
}  // namespace ipcbox::launcher::snapshot
