// A NUL byte in a path or name of a spec is a spec error: the C calls that take them would stop
// at it and silently use a shorter path or name than the one written.
#include <gtest/gtest.h>

#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::expect_errors;

TEST(ConfigNul, EveryPathAndNameRefusesIt) {
    expect_errors({
        {"[[sysv.queue]]\nkey = 1\nmessages = [{ file = \"a\\u0000b\" }]\n",
         "spec.toml:3:22: sysv.queue[0].messages[0].file: 'a\\x00b' contains a NUL byte"},
        {"[[sysv.shm]]\nftok = { path = \"/etc\\u0000x\", proj = 1 }\nsize = 1\n",
         "spec.toml:2:17: sysv.shm[0].ftok.path: '/etc\\x00x' contains a NUL byte"},
        {"[sandbox]\ntmpfs = [\"/tmp\\u0000/x\"]\n",
         "spec.toml:2:10: sandbox.tmpfs[0]: '/tmp\\x00/x' contains a NUL byte"},
        {"[leaks]\nreport = \"out\\u0000.json\"\n",
         "spec.toml:2:10: leaks.report: 'out\\x00.json' contains a NUL byte"},
        {"[[posix.shm]]\nname = \"/a\\u0000b\"\nsize = 1\n",
         "spec.toml:2:8: posix.shm[0].name: '/a\\x00b' contains a NUL byte"},
    });
}

}  // namespace
}  // namespace ipcbox::config
