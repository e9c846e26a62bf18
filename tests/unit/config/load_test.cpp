// Specs that load: every key, defaults, enums, inline tables, values and names at their limits.
// Sizes, payloads and paths: load_payloads_test.cpp; [sysctl]: load_sysctl_test.cpp.
#include "config/load.hpp"

#include <gtest/gtest.h>

#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::load;

constexpr std::string_view kEveryKey = R"toml(
[sandbox]
user = "new"
uid = 1000
gid = 4294967294
mount = true
net = true
pid = true
hostname = "box-1.local"
die_with_parent = false
timeout = 30

[dev_shm]
mode = "private"
size = "128M"

[sysctl]
"kernel.msgmnb" = 65536
kernel.sem = [250, 32000, 32, 128]
kernel.msg_next_id = -1

[[sysv.queue]]
key = 0x1234
id = 7
mode = 0o640
owner = 1000
group = 100
max_bytes = "16K"
messages = [
  { type = 2, text = "hello" },
  { hex = "de ad be ef" },
]

[[sysv.queue]]
ftok = { path = "data/queue", proj = 65 }

[[sysv.semaphore]]
key = -2
values = [1, 0, 32767]
mode = 0o600
owner = 0
group = 0

[[sysv.shm]]
key = 0x7fffffff
size = 4096
text = "shared"

[[posix.queue]]
name = "/jobs"
max_messages = 8
message_size = 64
mode = 0o620
messages = [{ priority = 5, text = "job-1" }, { hex = "00ff" }]

[[posix.shm]]
name = "/frame"
size = "1K"
mode = 0o644
hex = "0102"

[[posix.semaphore]]
name = "/lock"
value = 1
mode = 0o666

[block]
kinds = ["sysv.shm"]
create = ["sysv.queue", "posix.queue"]
errno = "EACCES"

[leaks]
report = "leaks/report.json"
fail = true
)toml";

TEST(ConfigLoad, EveryKey) {
    Result<Spec> r = load(kEveryKey);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const Spec& s = *r;
    EXPECT_EQ(s.path, "");

    EXPECT_EQ(s.sandbox.user, UserMode::New);
    EXPECT_EQ(s.sandbox.uid, 1000u);
    EXPECT_EQ(s.sandbox.gid, 4294967294u);
    EXPECT_TRUE(s.sandbox.mount);
    EXPECT_TRUE(s.sandbox.net);
    EXPECT_TRUE(s.sandbox.pid);
    EXPECT_EQ(s.sandbox.hostname, "box-1.local");
    EXPECT_FALSE(s.sandbox.die_with_parent);
    EXPECT_EQ(s.sandbox.timeout_seconds, 30u);

    EXPECT_EQ(s.dev_shm.mode, DevShmMode::Private);
    EXPECT_EQ(s.dev_shm.size_bytes, 128u << 20);

    ASSERT_EQ(s.sysctls.size(), 3u);
    EXPECT_EQ(s.sysctls[0].key, "kernel.msgmnb");
    EXPECT_EQ(s.sysctls[0].value, "65536");
    EXPECT_EQ(s.sysctls[0].origin.str(), "spec.toml:18:1");
    EXPECT_EQ(s.sysctls[1].key, "kernel.sem");
    EXPECT_EQ(s.sysctls[1].value, "250 32000 32 128");
    EXPECT_EQ(s.sysctls[2].key, "kernel.msg_next_id");
    EXPECT_EQ(s.sysctls[2].value, "-1");

    ASSERT_EQ(s.objects.sysv_queues.size(), 2u);
    const SysvQueue& q = s.objects.sysv_queues[0];
    EXPECT_EQ(q.origin.str(), "spec.toml:22:1");
    EXPECT_EQ(q.key.value, 0x1234);
    EXPECT_EQ(q.key.ftok_path, "");
    EXPECT_EQ(q.id, 7);
    EXPECT_EQ(q.access.mode, 0640u);
    EXPECT_EQ(q.access.owner, 1000u);
    EXPECT_EQ(q.access.group, 100u);
    EXPECT_EQ(q.max_bytes, 16384u);
    ASSERT_EQ(q.messages.size(), 2u);
    EXPECT_EQ(q.messages[0].type, 2);
    EXPECT_EQ(q.messages[0].bytes, "hello");
    EXPECT_EQ(q.messages[1].type, 1);
    EXPECT_EQ(q.messages[1].bytes, "\xde\xad\xbe\xef");
    const SysvQueue& f = s.objects.sysv_queues[1];
    EXPECT_EQ(f.origin.str(), "spec.toml:34:1");
    EXPECT_EQ(f.key.value, std::nullopt);
    EXPECT_EQ(f.key.ftok_path, "/specs/data/queue");
    EXPECT_EQ(f.key.ftok_proj, 65);
    EXPECT_EQ(f.id, std::nullopt);
    EXPECT_EQ(f.access.mode, 0600u);
    EXPECT_EQ(f.access.owner, std::nullopt);
    EXPECT_EQ(f.access.group, std::nullopt);
    EXPECT_EQ(f.max_bytes, std::nullopt);
    EXPECT_TRUE(f.messages.empty());

    ASSERT_EQ(s.objects.sysv_semaphores.size(), 1u);
    const SysvSemaphore& sem = s.objects.sysv_semaphores[0];
    EXPECT_EQ(sem.origin.str(), "spec.toml:37:1");
    EXPECT_EQ(sem.key.value, -2);
    EXPECT_EQ(sem.values, (std::vector<int>{1, 0, 32767}));
    EXPECT_EQ(sem.access.mode, 0600u);
    EXPECT_EQ(sem.access.owner, 0u);
    EXPECT_EQ(sem.access.group, 0u);

    ASSERT_EQ(s.objects.sysv_shms.size(), 1u);
    EXPECT_EQ(s.objects.sysv_shms[0].key.value, 0x7fffffff);
    EXPECT_EQ(s.objects.sysv_shms[0].size_bytes, 4096u);
    EXPECT_EQ(s.objects.sysv_shms[0].initial, "shared");

    ASSERT_EQ(s.objects.posix_queues.size(), 1u);
    const PosixQueue& pq = s.objects.posix_queues[0];
    EXPECT_EQ(pq.origin.str(), "spec.toml:49:1");
    EXPECT_EQ(pq.name, "/jobs");
    EXPECT_EQ(pq.max_messages, 8);
    EXPECT_EQ(pq.message_size, 64);
    EXPECT_EQ(pq.mode, 0620u);
    ASSERT_EQ(pq.messages.size(), 2u);
    EXPECT_EQ(pq.messages[0].priority, 5u);
    EXPECT_EQ(pq.messages[0].bytes, "job-1");
    EXPECT_EQ(pq.messages[1].priority, 0u);
    EXPECT_EQ(pq.messages[1].bytes, std::string("\x00\xff", 2));

    ASSERT_EQ(s.objects.posix_shms.size(), 1u);
    EXPECT_EQ(s.objects.posix_shms[0].name, "/frame");
    EXPECT_EQ(s.objects.posix_shms[0].size_bytes, 1024u);
    EXPECT_EQ(s.objects.posix_shms[0].mode, 0644u);
    EXPECT_EQ(s.objects.posix_shms[0].initial, "\x01\x02");

    ASSERT_EQ(s.objects.posix_semaphores.size(), 1u);
    EXPECT_EQ(s.objects.posix_semaphores[0].origin.str(), "spec.toml:62:1");
    EXPECT_EQ(s.objects.posix_semaphores[0].name, "/lock");
    EXPECT_EQ(s.objects.posix_semaphores[0].value, 1u);
    EXPECT_EQ(s.objects.posix_semaphores[0].mode, 0666u);

    EXPECT_EQ(s.block.kinds, (std::vector<IpcKind>{IpcKind::SysvShm}));
    EXPECT_EQ(s.block.create, (std::vector<IpcKind>{IpcKind::SysvQueue, IpcKind::PosixQueue}));
    EXPECT_EQ(s.block.errno_value, EACCES);

    EXPECT_EQ(s.leaks.report, LeakOutput::File);
    EXPECT_EQ(s.leaks.path, "/specs/leaks/report.json");
    EXPECT_TRUE(s.leaks.fail);

    EXPECT_TRUE(validate(s).ok()) << validate(s).error().message;
}

TEST(ConfigLoad, EmptySpecGivesDefaults) {
    for (std::string_view text : {"", "# nothing\n", "[sandbox]\n[dev_shm]\n[sysctl]\n[block]\n"}) {
        Result<Spec> r = load(text);
        ASSERT_TRUE(r.ok()) << r.error().message;
        const Spec& s = *r;
        EXPECT_EQ(s.sandbox.user, UserMode::Auto);
        EXPECT_EQ(s.sandbox.uid, 0u);
        EXPECT_EQ(s.sandbox.gid, 0u);
        EXPECT_TRUE(s.sandbox.mount);
        EXPECT_FALSE(s.sandbox.net);
        EXPECT_FALSE(s.sandbox.pid);
        EXPECT_EQ(s.sandbox.hostname, "");
        EXPECT_TRUE(s.sandbox.die_with_parent);
        EXPECT_EQ(s.sandbox.timeout_seconds, 0u);
        EXPECT_EQ(s.dev_shm.mode, DevShmMode::Private);
        EXPECT_EQ(s.dev_shm.size_bytes, std::nullopt);  // the host's size, found by the plan
        EXPECT_TRUE(s.sysctls.empty());
        EXPECT_FALSE(s.objects.any());
        EXPECT_TRUE(s.block.kinds.empty());
        EXPECT_TRUE(s.block.create.empty());
        EXPECT_EQ(s.block.errno_value, EPERM);
        EXPECT_EQ(s.leaks.report, LeakOutput::Off);
        EXPECT_EQ(s.leaks.path, "");
        EXPECT_FALSE(s.leaks.fail);
        EXPECT_TRUE(validate(s).ok());
    }
}

TEST(ConfigLoad, Enums) {
    EXPECT_EQ(load("sandbox.user = 'auto'")->sandbox.user, UserMode::Auto);
    EXPECT_EQ(load("sandbox.user = 'host'")->sandbox.user, UserMode::Host);
    EXPECT_EQ(load("dev_shm.mode = 'none'")->dev_shm.mode, DevShmMode::None);
    EXPECT_EQ(load("dev_shm.mode = 'host'")->dev_shm.mode, DevShmMode::Host);
    EXPECT_EQ(load("block.errno = 'EPERM'")->block.errno_value, EPERM);
    EXPECT_EQ(load("block.errno = 'ENOSYS'")->block.errno_value, ENOSYS);
    EXPECT_EQ(load("leaks.report = 'off'")->leaks.report, LeakOutput::Off);
    EXPECT_EQ(load("leaks.report = 'stderr'")->leaks.report, LeakOutput::Stderr);
    Result<Spec> file = load("leaks.report = '/var/log/leaks.json'");
    EXPECT_EQ(file->leaks.report, LeakOutput::File);
    EXPECT_EQ(file->leaks.path, "/var/log/leaks.json");
    EXPECT_EQ(load("leaks.report = './off'")->leaks.path, "/specs/off");
}

TEST(ConfigLoad, InlineTablesAndArraysOfTablesAreTheSame) {
    Result<Spec> r = load(R"toml(
sysv = { queue = [{ key = 1 }, { key = 2 }] }
[posix]
semaphore = [{ name = "/a" }]
)toml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->objects.sysv_queues.size(), 2u);
    EXPECT_EQ(r->objects.sysv_queues[1].key.value, 2);
    EXPECT_EQ(r->objects.sysv_queues[1].origin.str(), "spec.toml:2:32");
    ASSERT_EQ(r->objects.posix_semaphores.size(), 1u);
    EXPECT_EQ(r->objects.posix_semaphores[0].value, 0u);
    EXPECT_EQ(r->objects.posix_semaphores[0].mode, 0600u);
}

TEST(ConfigLoad, Limits) {
    Result<Spec> r = load(R"toml(
sandbox = { timeout = 31536000, uid = 0, hostname = "" }
[[sysv.queue]]
key = -2147483648
id = 2147483647
mode = 0
messages = [{ type = 9223372036854775807, text = "" }]
[[posix.queue]]
name = "/x"
max_messages = 65536
message_size = 16777216
messages = [{ priority = 32767, text = "" }]
[[posix.semaphore]]
name = "/s"
value = 2147483647
)toml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->sandbox.timeout_seconds, 31536000u);
    EXPECT_EQ(r->objects.sysv_queues[0].key.value, INT32_MIN);
    EXPECT_EQ(r->objects.sysv_queues[0].id, 2147483647);
    EXPECT_EQ(r->objects.sysv_queues[0].access.mode, 0u);
    EXPECT_EQ(r->objects.sysv_queues[0].messages[0].type, 9223372036854775807L);
    EXPECT_EQ(r->objects.posix_queues[0].max_messages, 65536);
    EXPECT_EQ(r->objects.posix_queues[0].message_size, 16777216);
    EXPECT_EQ(r->objects.posix_queues[0].messages[0].priority, 32767u);
    EXPECT_EQ(r->objects.posix_semaphores[0].value, 2147483647u);
}

TEST(ConfigLoad, NamesAtTheirLimits) {
    const std::string longest = "/" + std::string(254, 'n');
    Result<Spec> r = load("[[posix.shm]]\nname = '" + longest + "'\nsize = 1\n" +
                          "[sandbox]\nhostname = '" + std::string(64, 'h') + "'\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->objects.posix_shms[0].name, longest);
    EXPECT_EQ(r->sandbox.hostname, std::string(64, 'h'));
}

TEST(ConfigLoad, MessagesFillingAQueueExactly) {
    Result<Spec> r = load(R"toml(
[[posix.queue]]
name = "/q"
max_messages = 2
message_size = 3
messages = [{ text = "abc" }, { hex = "010203" }]
)toml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->objects.posix_queues[0].messages.size(), 2u);
}

}  // namespace
}  // namespace ipcbox::config
