// Specs that load: sizes, payloads (hex, text, files) and how file and ftok paths resolve.
#include <gtest/gtest.h>

#include "config/load.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::data_dir;
using testing::load;

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

}  // namespace
}  // namespace ipcbox::config
