// sandbox.scope and sandbox.tmpfs: what loads, what does not (with the full message and
// position), the rules across entries and the check against this machine's file system.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "config/load.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::expect_errors;
using testing::load;

TEST(ConfigScope, LoadsEachScopeOnce) {
    Result<Spec> spec = load("[sandbox]\nscope = ['signal', 'abstract-unix']\n");
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    EXPECT_EQ(spec->sandbox.scopes, (std::vector<Scope>{Scope::Signal, Scope::AbstractUnix}));
    Result<Spec> none = load("[sandbox]\nscope = []\n");
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->sandbox.scopes.empty());
    EXPECT_TRUE(load("")->sandbox.scopes.empty());
}

TEST(ConfigScope, Errors) {
    expect_errors({
        {"[sandbox]\nscope = ['signals']\n",
         "spec.toml:2:10: sandbox.scope[0]: 'signals' is not one of \"abstract-unix\", "
         "\"signal\"; did you mean \"signal\"?"},
        {"[sandbox]\nscope = ['abstract']\n",
         "spec.toml:2:10: sandbox.scope[0]: 'abstract' is not one of \"abstract-unix\", "
         "\"signal\""},
        {"[sandbox]\nscope = ['signal', 'signal']\n",
         "spec.toml:2:20: sandbox.scope[1]: 'signal' is listed twice"},
        {"[sandbox]\nscope = 'signal'\n",
         "spec.toml:2:9: sandbox.scope: expected an array, got a string"},
        {"[sandbox]\nscop = ['signal']\n",
         "spec.toml:2:1: sandbox: unknown key 'scop'; did you mean 'scope'?"},
    });
}

TEST(ConfigTmpfs, PathsAndTables) {
    Result<Spec> spec = load(
        "[sandbox]\ntmpfs = ['/tmp', { path = '/run//postgresql/', size = '1M', mode = 0o1770 "
        "}, { path = '/var/tmp' }]\n");
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    const std::vector<Tmpfs>& t = spec->sandbox.tmpfs;
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0].path, "/tmp");
    EXPECT_FALSE(t[0].size_bytes);
    EXPECT_FALSE(t[0].mode);
    EXPECT_EQ(t[0].origin.str(), "spec.toml:2:10");
    EXPECT_EQ(t[1].path, "/run/postgresql");
    EXPECT_EQ(t[1].size_bytes, 1u << 20);
    EXPECT_EQ(t[1].mode, 01770u);
    EXPECT_EQ(t[2].path, "/var/tmp");
    EXPECT_EQ(default_tmpfs_mode("/tmp"), 01777u);
    EXPECT_EQ(default_tmpfs_mode("/var/tmp"), 01777u);
    EXPECT_EQ(default_tmpfs_mode("/tmp/x"), 0755u);
    EXPECT_EQ(default_tmpfs_mode("/run/postgresql"), 0755u);
}

TEST(ConfigTmpfs, Errors) {
    expect_errors({
        {"[sandbox]\ntmpfs = ['tmp']\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: 'tmp' is not an absolute path"},
        {"[sandbox]\ntmpfs = ['']\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: '' is not an absolute path"},
        {"[sandbox]\ntmpfs = [\"/tmp\\u0000x\"]\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: '/tmp\\x00x' contains a NUL byte"},
        {"[sandbox]\ntmpfs = [\"/tmp/\\u001b[2J\", '/a/../etc']\n",
         "spec.toml:2:28: sandbox.tmpfs[1]: '/a/../etc' has a '.' or '..' component; write the "
         "path it stands for"},
        {"[sandbox]\ntmpfs = ['/./tmp']\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: '/./tmp' has a '.' or '..' component; write the path "
         "it stands for"},
        {"[sandbox]\ntmpfs = ['//']\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: '//' would hide the whole file system, the command "
         "with it"},
        {"[sandbox]\ntmpfs = ['/dev/shm/']\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: '/dev/shm/' is /dev/shm or under it: /dev/shm has "
         "its own setting, dev_shm"},
        {"[sandbox]\ntmpfs = ['/dev/shm/x']\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: '/dev/shm/x' is /dev/shm or under it: /dev/shm has "
         "its own setting, dev_shm"},
        {"[sandbox]\ntmpfs = ['/dev']\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: '/dev' would hide the sandbox's /dev/shm "
         "(dev_shm.mode) and devices"},
        {"[sandbox]\ntmpfs = ['/proc/sys']\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: '/proc/sys' is /proc or under it: ipcbox reads the "
         "kernel's /proc there"},
        {"[sandbox]\ntmpfs = [{ size = '1M' }]\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: missing required key 'path'"},
        {"[sandbox]\ntmpfs = [{ path = '/tmp', sise = '1M' }]\n",
         "spec.toml:2:27: sandbox.tmpfs[0]: unknown key 'sise'; did you mean 'size'?"},
        {"[sandbox]\ntmpfs = [{ path = 'tmp' }]\n",
         "spec.toml:2:19: sandbox.tmpfs[0].path: 'tmp' is not an absolute path"},
        {"[sandbox]\ntmpfs = [{ path = '/tmp', size = 0 }]\n",
         "spec.toml:2:34: sandbox.tmpfs[0].size: must be greater than 0, got 0"},
        {"[sandbox]\ntmpfs = [{ path = '/tmp', mode = 0o10000 }]\n",
         "spec.toml:2:34: sandbox.tmpfs[0].mode: 0o10000 is out of range (0 to 0o7777)"},
        {"[sandbox]\ntmpfs = [5]\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: expected a path or a table { path, size, mode }, got "
         "an integer"},
        {"[sandbox]\ntmpfs = '/tmp'\n",
         "spec.toml:2:9: sandbox.tmpfs: expected an array, got a string"},
    });
}

// Built out of line: GCC 12 at -O3 warns (-Wmaybe-uninitialized) about the Origin of a
// brace-initialised Tmpfs temporary.
Tmpfs tmpfs_at(std::string path, Origin origin = {}) {
    Tmpfs t;
    t.origin = std::move(origin);
    t.path = std::move(path);
    return t;
}

std::string validate_error(std::string_view toml) {
    Result<Spec> spec = load(toml);
    if (!spec.ok()) return "(did not load: " + spec.error().message + ")";
    Status s = validate(*spec);
    return s.ok() ? "(valid)" : s.error().message;
}

TEST(ConfigTmpfs, RulesAcrossEntries) {
    EXPECT_EQ(validate_error("[sandbox]\nmount = false\ndev_shm = 1\n"),
              "(did not load: spec.toml:3:1: sandbox: unknown key 'dev_shm'; valid keys are "
              "'user', 'uid', 'gid', 'mount', 'net', 'pid', 'hostname', 'die_with_parent', "
              "'timeout', 'scope', 'tmpfs', 'capabilities')");
    EXPECT_EQ(validate_error("[sandbox]\nmount = false\ntmpfs = ['/tmp']\n[dev_shm]\nmode = "
                             "'host'\n"),
              "spec.toml:3:10: sandbox.tmpfs needs sandbox.mount = true: each tmpfs is a mount in "
              "the sandbox's mount namespace");
    EXPECT_EQ(validate_error("[sandbox]\ntmpfs = ['/tmp', '/run', '/tmp/']\n"),
              "spec.toml:2:26: sandbox.tmpfs[2] ('/tmp') duplicates sandbox.tmpfs[0] ('/tmp')");
    EXPECT_EQ(validate_error("[sandbox]\ntmpfs = ['/run/postgresql', '/run']\n"),
              "spec.toml:2:29: sandbox.tmpfs[1] ('/run') and sandbox.tmpfs[0] "
              "('/run/postgresql') are nested: the inner one would not exist in the outer, empty "
              "tmpfs; keep only the outer one");
    EXPECT_EQ(validate_error("[sandbox]\ntmpfs = ['/run', '/runner', '/var/run']\n"), "(valid)");
}

TEST(ConfigTmpfs, PathsFromFlagsAreCheckedToo) {
    Spec spec;
    spec.sandbox.tmpfs.push_back(tmpfs_at("relative"));
    EXPECT_EQ(validate(spec).error().message,
              "<command line>: sandbox.tmpfs[0]: 'relative' is not an absolute path");
    spec.sandbox.tmpfs[0].path = "/tmp/";
    EXPECT_EQ(validate(spec).error().message,
              "<command line>: sandbox.tmpfs[0] ('/tmp/'): not normalised; write '/tmp'");
}

TEST(ConfigTmpfs, HostPathsMustBeDirectories) {
    char dir[] = "/tmp/ipcbox-unit-tmpfs-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string file = std::string(dir) + "/file";
    ASSERT_EQ(close(creat(file.c_str(), 0600)), 0);
    Spec spec;
    spec.sandbox.tmpfs.push_back(tmpfs_at(dir, {"spec.toml", 3, 10}));
    EXPECT_TRUE(validate_on_host(spec).ok());
    spec.sandbox.tmpfs.push_back(tmpfs_at(file, {"spec.toml", 4, 10}));
    EXPECT_EQ(validate_on_host(spec).error().message,
              "spec.toml:4:10: sandbox.tmpfs[1] ('" + file +
                  "') is not a directory (a tmpfs can only cover one)");
    spec.sandbox.tmpfs[1].path = std::string(dir) + "/missing";
    const Status missing = validate_on_host(spec);
    EXPECT_EQ(missing.error().message, "spec.toml:4:10: sandbox.tmpfs[1] ('" + std::string(dir) +
                                           "/missing') does not exist on this machine (a tmpfs "
                                           "can only cover an existing directory)");
    EXPECT_EQ(missing.error().err, ENOENT);
    unlink(file.c_str());
    rmdir(dir);
}

}  // namespace
}  // namespace ipcbox::config
