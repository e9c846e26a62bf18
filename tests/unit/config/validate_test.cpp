// validate(): rules across sections, applied after command-line flags.
#include <gtest/gtest.h>

#include <string>

#include "config/load.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

// The validation error of a spec that loads, or a marker that fails the comparison.
std::string validate_error(std::string_view toml) {
    Result<Spec> spec = testing::load(toml);
    if (!spec.ok()) return "(did not load: " + spec.error().message + ")";
    Status s = validate(*spec);
    return s.ok() ? "(valid)" : s.error().message;
}

std::string validate_error(const Spec& spec) {
    Status s = validate(spec);
    return s.ok() ? "(valid)" : s.error().message;
}

TEST(ConfigValidate, DuplicateSysvKeys) {
    EXPECT_EQ(validate_error("[[sysv.queue]]\nkey = 0x1234\n[[sysv.queue]]\nkey = 0x1234\n"),
              "spec.toml:3:1: sysv.queue[1] (key 0x1234) duplicates sysv.queue[0] (key 0x1234)");
    EXPECT_EQ(
        validate_error("[[sysv.shm]]\nkey = -1\nsize = 1\n[[sysv.shm]]\nkey = 2\nsize = 1\n"
                       "[[sysv.shm]]\nkey = -1\nsize = 1\n"),
        "spec.toml:7:1: sysv.shm[2] (key 0xffffffff) duplicates sysv.shm[0] (key 0xffffffff)");
    // Each kind has its own key space.
    EXPECT_EQ(validate_error("[[sysv.queue]]\nkey = 7\n[[sysv.shm]]\nkey = 7\nsize = 1\n"
                             "[[sysv.semaphore]]\nkey = 7\nvalues = [0]\n"),
              "(valid)");
}

TEST(ConfigValidate, DuplicateFtokPairs) {
    EXPECT_EQ(validate_error("[[sysv.semaphore]]\nftok = { path = 'a', proj = 1 }\nvalues = [0]\n"
                             "[[sysv.semaphore]]\nftok = { path = './x/../a', proj = 1 }\n"
                             "values = [0]\n"),
              "spec.toml:4:1: sysv.semaphore[1] (ftok(/specs/a, 1)) duplicates sysv.semaphore[0] "
              "(ftok(/specs/a, 1))");
    EXPECT_EQ(validate_error("[[sysv.queue]]\nftok = { path = 'a', proj = 1 }\n"
                             "[[sysv.queue]]\nftok = { path = 'a', proj = 2 }\n"),
              "(valid)");
}

TEST(ConfigValidate, DuplicateIds) {
    EXPECT_EQ(validate_error("[[sysv.queue]]\nkey = 1\nid = 5\n[[sysv.queue]]\nkey = 2\nid = 5\n"),
              "spec.toml:4:1: sysv.queue[1] (id 5) duplicates sysv.queue[0] (id 5)");
    EXPECT_EQ(validate_error("[[sysv.queue]]\nkey = 1\nid = 5\n[[sysv.shm]]\nkey = 2\nid = 5\n"
                             "size = 1\n"),
              "(valid)");
}

TEST(ConfigValidate, DuplicatePosixNames) {
    EXPECT_EQ(validate_error("[[posix.queue]]\nname = '/q'\n[[posix.queue]]\nname = '/q'\n"),
              "spec.toml:3:1: posix.queue[1] (name /q) duplicates posix.queue[0] (name /q)");
    EXPECT_EQ(validate_error("[[posix.shm]]\nname = '/s'\nsize = 1\n[[posix.shm]]\nname = '/t'\n"
                             "size = 1\n[[posix.shm]]\nname = '/s'\nsize = 1\n"),
              "spec.toml:7:1: posix.shm[2] (name /s) duplicates posix.shm[0] (name /s)");
    EXPECT_EQ(
        validate_error("[[posix.semaphore]]\nname = '/m'\n[[posix.semaphore]]\nname = '/m'\n"),
        "spec.toml:3:1: posix.semaphore[1] (name /m) duplicates posix.semaphore[0] (name /m)");
    // sem_open("/x") is /dev/shm/sem.x and shm_open("/x") is /dev/shm/x: no clash.
    EXPECT_EQ(validate_error("[[posix.semaphore]]\nname = '/x'\n[[posix.shm]]\nname = '/x'\n"
                             "size = 1\n[[posix.queue]]\nname = '/x'\n"),
              "(valid)");
}

TEST(ConfigValidate, CommandLineObjectsHaveNoPosition) {
    Spec spec;
    spec.objects.posix_queues.resize(2);
    spec.objects.posix_queues[0].name = spec.objects.posix_queues[1].name = "/q";
    EXPECT_EQ(validate_error(spec),
              "<command line>: posix.queue[1] (name /q) duplicates posix.queue[0] (name /q)");
    // Objects without a key (not from TOML) are not duplicates of each other.
    Spec keyless;
    keyless.objects.sysv_queues.resize(2);
    EXPECT_EQ(validate_error(keyless), "(valid)");
}

TEST(ConfigValidate, PosixShmAndSemaphoresNeedAPrivateDevShm) {
    const std::string why =
        ": needs dev_shm.mode = \"private\": POSIX shm and semaphores are files in the sandbox's "
        "own /dev/shm (\"none\" leaves it empty and read-only, \"host\" would create them on the "
        "host)";
    EXPECT_EQ(validate_error("dev_shm.mode = 'none'\n[[posix.shm]]\nname = '/s'\nsize = 1\n"),
              "spec.toml:2:1: posix.shm[0]" + why);
    EXPECT_EQ(validate_error("dev_shm.mode = 'host'\n[[posix.semaphore]]\nname = '/s'\n"),
              "spec.toml:2:1: posix.semaphore[0]" + why);
    EXPECT_EQ(validate_error("dev_shm.mode = 'host'\n[[posix.queue]]\nname = '/q'\n"), "(valid)");
}

TEST(ConfigValidate, NamespaceDependencies) {
    EXPECT_EQ(validate_error("sandbox.mount = false\n"),
              "dev_shm.mode = \"private\" needs sandbox.mount = true: the sandbox's own /dev/shm "
              "is a mount in its mount namespace (dev_shm.mode = \"host\" shares the host's)");
    EXPECT_EQ(validate_error("sandbox.mount = false\ndev_shm.mode = 'none'\n"),
              "dev_shm.mode = \"none\" needs sandbox.mount = true: the sandbox's own /dev/shm "
              "is a mount in its mount namespace (dev_shm.mode = \"host\" shares the host's)");
    EXPECT_EQ(validate_error("sandbox = { mount = false, pid = true }\ndev_shm.mode = 'host'\n"),
              "sandbox.pid = true needs sandbox.mount = true: a new PID namespace needs its own "
              "/proc, which is mounted in the sandbox's mount namespace");
    EXPECT_EQ(validate_error("sandbox.mount = false\ndev_shm.mode = 'host'\n"), "(valid)");
}

TEST(ConfigValidate, BlockKindInBothLists) {
    EXPECT_EQ(
        validate_error("[block]\nkinds = ['sysv.shm', 'sysv.queue']\ncreate = ['sysv.queue']\n"),
        "block: 'sysv.queue' is in both kinds and create; kinds already blocks creating it");
}

TEST(ConfigValidate, CreatingPosixShmOrSemaphoresCannotBeBlocked) {
    for (const char* kind : {"posix.shm", "posix.semaphore"}) {
        EXPECT_EQ(validate_error("block.create = ['sysv.shm', '" + std::string(kind) + "']\n"),
                  "block.create: '" + std::string(kind) +
                      "' cannot be enforced: shm_open() and sem_open() are plain opens of files "
                      "in /dev/shm, which no syscall filter can tell apart from other file "
                      "creation; put it in block.kinds instead");
    }
    EXPECT_EQ(validate_error("block.create = ['posix.queue', 'sysv.semaphore']\n"), "(valid)");
}

TEST(ConfigValidate, BlockingPosixShmNeedsTheSandboxesOwnDevShm) {
    EXPECT_EQ(validate_error("block.kinds = ['posix.semaphore']\ndev_shm.mode = 'host'\n"),
              "block.kinds: blocking 'posix.semaphore' empties /dev/shm and makes it read-only, "
              "which needs the sandbox's own /dev/shm; it cannot be used with dev_shm.mode = "
              "\"host\"");
    EXPECT_EQ(validate_error("block.kinds = ['posix.shm']\ndev_shm.mode = 'none'\n"), "(valid)");
}

TEST(ConfigValidate, BlockingPosixShmOrSemaphoresBlocksPreseedingEither) {
    const std::string why =
        "': blocking POSIX shm or semaphores empties /dev/shm and makes it read-only, which blocks "
        "both";
    EXPECT_EQ(validate_error("block.kinds = ['posix.shm']\n[[posix.semaphore]]\nname = '/s'\n"),
              "spec.toml:2:1: posix.semaphore[0]: cannot be preseeded while block.kinds has "
              "'posix.shm" +
                  why);
    EXPECT_EQ(validate_error("block.kinds = ['posix.semaphore']\n[[posix.shm]]\nname = '/s'\n"
                             "size = 1\n"),
              "spec.toml:2:1: posix.shm[0]: cannot be preseeded while block.kinds has "
              "'posix.semaphore" +
                  why);
}

TEST(ConfigValidate, BlockingPosixQueuesWhilePreseedingThem) {
    EXPECT_EQ(validate_error("block.kinds = ['posix.queue']\n[[posix.queue]]\nname = '/q'\n"),
              "spec.toml:2:1: posix.queue[0]: cannot be preseeded while block.kinds has "
              "'posix.queue'");
    // Blocking only creation leaves the preseeded queue usable.
    EXPECT_EQ(validate_error("block.create = ['posix.queue']\n[[posix.queue]]\nname = '/q'\n"),
              "(valid)");
    EXPECT_EQ(validate_error("block.kinds = ['sysv.queue', 'sysv.shm']\n[[sysv.queue]]\nkey = 1\n"),
              "(valid)");
}

TEST(ConfigValidate, LeaksFailWithoutAReport) {
    EXPECT_EQ(validate_error("leaks = { report = 'off', fail = true }\n"), "(valid)");
}

TEST(ConfigValidate, ValuesSetByFlags) {
    Spec spec;
    spec.sandbox.uid = 4294967295u;
    EXPECT_EQ(validate_error(spec), "sandbox.uid: 4294967295 is out of range (0 to 4294967294)");
    spec = Spec{};
    spec.sandbox.gid = 4294967295u;
    EXPECT_EQ(validate_error(spec), "sandbox.gid: 4294967295 is out of range (0 to 4294967294)");
    spec = Spec{};
    spec.sandbox.hostname = "a b";
    EXPECT_EQ(validate_error(spec),
              "sandbox.hostname: 'a b' is not a valid hostname (1 to 64 letters, digits, '-' and "
              "'.')");
    spec = Spec{};
    spec.sandbox.timeout_seconds = 31536001;
    EXPECT_EQ(validate_error(spec), "sandbox.timeout: 31536001 is out of range (0 to 31536000)");
    spec = Spec{};
    spec.dev_shm.size_bytes = 0;
    EXPECT_EQ(validate_error(spec), "dev_shm.size: must be greater than 0, got 0");
    spec = Spec{};
    spec.block.errno_value = EINVAL;
    EXPECT_EQ(validate_error(spec), "block.errno: 22 is not one of EPERM, EACCES, ENOSYS");
    EXPECT_EQ(validate_error(Spec{}), "(valid)");
}

}  // namespace
}  // namespace ipcbox::config

namespace ipcbox::config {
namespace {

// ftok() needs the file: `validate` (and run, before making anything) names a missing one.
TEST(ConfigValidateOnHost, FtokPathThatDoesNotExist) {
    const std::string dir = testing::data_dir();
    Result<Spec> spec = load_spec_string(
        "[[sysv.queue]]\nkey = 1\n[[sysv.semaphore]]\nftok = { path = 'greeting.txt', proj = 1 }\n"
        "values = [1]\n[[sysv.shm]]\nsize = 8\nftok = { proj = 2, path = 'nope/x' }\n",
        "spec.toml", dir);
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    const Status missing = validate_on_host(*spec);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message,
              "spec.toml:8:27: sysv.shm[0].ftok.path: " + dir +
                  "/nope/x does not exist (ftok takes the key from a file's inode)");
    EXPECT_EQ(missing.error().err, ENOENT);
    spec->objects.sysv_shms.clear();
    EXPECT_TRUE(validate_on_host(*spec).ok());
}

}  // namespace
}  // namespace ipcbox::config
