// Specs that load: every key, defaults, sizes, payloads, key and path resolution.
#include "config/load.hpp"

#include <gtest/gtest.h>

#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::data_dir;
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
        EXPECT_EQ(s.dev_shm.size_bytes, 64u << 20);
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

TEST(ConfigLoad, Sizes) {
    EXPECT_EQ(load("dev_shm.size = 1")->dev_shm.size_bytes, 1u);
    EXPECT_EQ(load("dev_shm.size = 65536")->dev_shm.size_bytes, 65536u);
    EXPECT_EQ(load("dev_shm.size = '4096'")->dev_shm.size_bytes, 4096u);
    EXPECT_EQ(load("dev_shm.size = '8K'")->dev_shm.size_bytes, 8192u);
    EXPECT_EQ(load("dev_shm.size = '3M'")->dev_shm.size_bytes, 3u << 20);
    EXPECT_EQ(load("dev_shm.size = '2G'")->dev_shm.size_bytes, 2ull << 30);
    EXPECT_EQ(load("[[sysv.shm]]\nkey = 1\nsize = '1G'")->objects.sysv_shms[0].size_bytes,
              1ull << 30);
    EXPECT_EQ(load("[[sysv.queue]]\nkey = 1\nmax_bytes = 100")->objects.sysv_queues[0].max_bytes,
              100u);
}

TEST(ConfigLoad, HexPayloads) {
    auto hex = [](std::string_view value) {
        Result<Spec> r =
            load("[[posix.shm]]\nname = '/h'\nsize = 64\nhex = \"" + std::string(value) + "\"");
        EXPECT_TRUE(r.ok()) << r.error().message;
        return r.ok() ? r->objects.posix_shms[0].initial : "(failed)";
    };
    EXPECT_EQ(hex(""), "");
    EXPECT_EQ(hex("00"), std::string(1, '\0'));
    EXPECT_EQ(hex("deadBEEF"), "\xde\xad\xbe\xef");
    EXPECT_EQ(hex(" de\\tad\\nbe  ef "), "\xde\xad\xbe\xef");
    EXPECT_EQ(hex("0a0B"), "\x0a\x0b");
    // A multi-line literal string reads well for longer payloads.
    Result<Spec> r = load("[[sysv.shm]]\nkey = 9\nsize = 8\nhex = '''\n01 02\n03 04\n'''");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->objects.sysv_shms[0].initial, "\x01\x02\x03\x04");
}

TEST(ConfigLoad, TextPayloadsKeepEveryByte) {
    Result<Spec> r = load("[[posix.queue]]\nname = '/q'\nmessages = [{ text = \"a\\u0000b\" }]");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->objects.posix_queues[0].messages[0].bytes, std::string("a\0b", 3));
}

TEST(ConfigLoad, FilePayloadsResolveAgainstTheSpecDirectory) {
    const std::string spec = R"toml(
[[sysv.queue]]
key = 1
messages = [{ file = "payload.bin" }, { file = "./greeting.txt", type = 3 }]
[[sysv.shm]]
key = 2
size = 9
file = "payload.bin"
[[posix.queue]]
name = "/q"
messages = [{ file = "greeting.txt" }]
[[posix.shm]]
name = "/s"
size = "1K"
file = ")toml" + data_dir() + R"toml(/payload.bin"
)toml";
    Result<Spec> r = load_spec_string(spec, "inline.toml", data_dir());
    ASSERT_TRUE(r.ok()) << r.error().message;
    const std::string payload("payload\0\x01", 9);
    EXPECT_EQ(r->objects.sysv_queues[0].messages[0].bytes, payload);
    EXPECT_EQ(r->objects.sysv_queues[0].messages[1].bytes, "hello from a file\n");
    EXPECT_EQ(r->objects.sysv_queues[0].messages[1].type, 3);
    EXPECT_EQ(r->objects.sysv_shms[0].initial, payload);
    EXPECT_EQ(r->objects.posix_queues[0].messages[0].bytes, "hello from a file\n");
    EXPECT_EQ(r->objects.posix_shms[0].initial, payload);
}

TEST(ConfigLoad, SpecFileResolvesPathsAgainstItsOwnDirectory) {
    const std::string path = data_dir() + "/with_files.toml";
    Result<Spec> r = load_spec_file(path);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->path, path);
    ASSERT_EQ(r->objects.sysv_queues.size(), 2u);
    EXPECT_EQ(r->objects.sysv_queues[0].origin.str(), path + ":2:1");
    EXPECT_EQ(r->objects.sysv_queues[0].messages[0].bytes, std::string("payload\0\x01", 9));
    EXPECT_EQ(r->objects.sysv_queues[1].key.ftok_path, data_dir() + "/keys/queue");
    EXPECT_EQ(r->objects.sysv_queues[1].key.ftok_proj, 1);
    EXPECT_EQ(r->leaks.path, data_dir() + "/out/leaks.json");
}

TEST(ConfigLoad, FtokPathsAreNormalisedButNotEvaluated) {
    Result<Spec> r = load(R"toml(
[[sysv.semaphore]]
ftok = { path = "../etc/./app.conf", proj = 255 }
values = [0]
[[sysv.shm]]
ftok = { path = "/does/not/exist", proj = 1 }
size = 1
)toml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->objects.sysv_semaphores[0].key.ftok_path, "/etc/app.conf");
    EXPECT_EQ(r->objects.sysv_semaphores[0].key.ftok_proj, 255);
    EXPECT_EQ(r->objects.sysv_shms[0].key.ftok_path, "/does/not/exist");
    Result<Spec> relative = load_spec_string(
        "[[sysv.shm]]\nftok = { path = 'k', proj = 2 }\n"
        "size = 1",
        "x.toml", "/a/b/../c");
    ASSERT_TRUE(relative.ok()) << relative.error().message;
    EXPECT_EQ(relative->objects.sysv_shms[0].key.ftok_path, "/a/c/k");
}

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
