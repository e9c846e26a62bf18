// Specs that do not load: each kind of problem any key can have (syntax, unknown keys, wrong
// types, out-of-range values, bad choices), with its full message and position; which problem
// is reported first; spec files that cannot be read. Each section's own rules:
// errors_sections_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include "config/load.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::expect_errors;
using testing::load_error;

TEST(ConfigErrors, TomlSyntax) {
    expect_errors({
        {"a = 1\nb = [1,\n", "spec.toml:2:9: Error while parsing array: encountered end-of-file"},
        {"[sysctl]\nkernel.msgmnb = 1\n[sysctl.kernel]\nshmmax = 1\n",
         "spec.toml:3:1: Error while parsing table header: cannot redefine existing table "
         "'sysctl.kernel'"},
        {"[sandbox]\nnet = yes\n",
         "spec.toml:2:7: Error while parsing value: could not determine value type"},
    });
}

TEST(ConfigErrors, UnknownKeys) {
    expect_errors({
        {"[sandbx]\n", "spec.toml:1:2: unknown key 'sandbx'; did you mean 'sandbox'?"},
        {"[Sandbox]\n", "spec.toml:1:2: unknown key 'Sandbox'; did you mean 'sandbox'?"},
        {"\n\n  network = 1\n",
         "spec.toml:3:3: unknown key 'network'; valid keys are 'sandbox', 'dev_shm', 'sysctl', "
         "'sysv', 'posix', 'block', 'leaks', 'hook'"},
        {"[sandbox]\nnet = true\nusr = 'new'\n",
         "spec.toml:3:1: sandbox: unknown key 'usr'; did you mean 'user'?"},
        {"[sandbox]\nuesr = 'new'\n",
         "spec.toml:2:1: sandbox: unknown key 'uesr'; did you mean 'user'?"},
        {"[dev_shm]\nsize = 1\nmode2 = 'host'\n",
         "spec.toml:3:1: dev_shm: unknown key 'mode2'; did you mean 'mode'?"},
        {"[[sysv.qeue]]\nkey = 1\n",
         "spec.toml:1:8: sysv: unknown key 'qeue'; did you mean 'queue'?"},
        {"[[posix.shm]]\nname = '/a'\nsize = 1\nkey = 5\n",
         "spec.toml:4:1: posix.shm[0]: unknown key 'key'; valid keys are 'name', 'size', 'mode', "
         "'text', 'hex', 'file'"},
        {"[[sysv.queue]]\nkey = 1\nmessages = [{ type = 1, txt = 'a' }]\n",
         "spec.toml:3:25: sysv.queue[0].messages[0]: unknown key 'txt'; did you mean 'text'?"},
        {"[[sysv.queue]]\nftok = { path = 'a', project = 1 }\n",
         "spec.toml:2:22: sysv.queue[0].ftok: unknown key 'project'; valid keys are 'path', "
         "'proj'"},
        {"[block]\nkind = []\n", "spec.toml:2:1: block: unknown key 'kind'; did you mean 'kinds'?"},
        {"[leaks]\nreport = 'off'\nfails = true\n",
         "spec.toml:3:1: leaks: unknown key 'fails'; did you mean 'fail'?"},
        {"[[posix.semaphore]]\nname = '/s'\nvlaue = 1\n",
         "spec.toml:3:1: posix.semaphore[0]: unknown key 'vlaue'; did you mean 'value'?"},
        // A spec's own text reaches the terminal only escaped.
        {"[dev_shm]\n\"mode\\u001b[2J\" = 1\n",
         "spec.toml:2:1: dev_shm: unknown key 'mode\\x1b[2J'; valid keys are 'mode', 'size'"},
        {"[dev_shm]\nmode = \"host\\n\"\n",
         "spec.toml:2:8: dev_shm.mode: 'host\\x0a' is not one of \"private\", \"none\", "
         "\"host\"; did you mean \"host\"?"},
    });
}

TEST(ConfigErrors, WrongTypes) {
    expect_errors({
        {"[sandbox]\nnet = 'yes'\n",
         "spec.toml:2:7: sandbox.net: expected a boolean, got a string"},
        {"sandbox = 5\n", "spec.toml:1:11: sandbox: expected a table, got an integer"},
        {"[sandbox]\nuid = 1.5\n",
         "spec.toml:2:7: sandbox.uid: expected an integer, got a floating-point number"},
        {"[sandbox]\ntimeout = 1979-05-27\n",
         "spec.toml:2:11: sandbox.timeout: expected an integer, got a date"},
        {"[sandbox]\nhostname = ['a']\n",
         "spec.toml:2:12: sandbox.hostname: expected a string, got an array"},
        {"[dev_shm]\nsize = true\n",
         "spec.toml:2:8: dev_shm.size: expected an integer or a string like \"64M\", got a "
         "boolean"},
        {"[dev_shm]\nmode = 1\n", "spec.toml:2:8: dev_shm.mode: expected a string, got an integer"},
        {"[sysv.queue]\nkey = 1\n",
         "spec.toml:1:1: sysv.queue: expected an array of tables ([[sysv.queue]]), got a table"},
        {"sysv = 1\n", "spec.toml:1:8: sysv: expected a table, got an integer"},
        {"[[sysv.queue]]\nkey = 1\nmessages = { text = 'a' }\n",
         "spec.toml:3:12: sysv.queue[0].messages: expected an array of tables, got a table"},
        {"[[sysv.queue]]\nkey = 1\nmessages = [1]\n",
         "spec.toml:3:13: sysv.queue[0].messages[0]: expected a table, got an integer"},
        {"[[sysv.queue]]\nkey = '0x12'\n",
         "spec.toml:2:7: sysv.queue[0].key: expected an integer, got a string"},
        {"[[sysv.queue]]\nftok = 'file'\n",
         "spec.toml:2:8: sysv.queue[0].ftok: expected a table, got a string"},
        {"[[sysv.semaphore]]\nkey = 1\nvalues = 3\n",
         "spec.toml:3:10: sysv.semaphore[0].values: expected an array, got an integer"},
        {"[[posix.queue]]\nname = 5\n",
         "spec.toml:2:8: posix.queue[0].name: expected a string, got an integer"},
        {"[[posix.shm]]\nname = '/s'\nsize = 1\ntext = 5\n",
         "spec.toml:4:8: posix.shm[0].text: expected a string, got an integer"},
        {"[block]\nkinds = 'sysv.shm'\n",
         "spec.toml:2:9: block.kinds: expected an array, got a string"},
        {"[leaks]\nfail = 'yes'\n", "spec.toml:2:8: leaks.fail: expected a boolean, got a string"},
        {"[leaks]\nreport = false\n",
         "spec.toml:2:10: leaks.report: expected a string, got a boolean"},
    });
}

TEST(ConfigErrors, OutOfRange) {
    expect_errors({
        {"[sandbox]\nuid = 4294967295\n",
         "spec.toml:2:7: sandbox.uid: 4294967295 is out of range (0 to 4294967294)"},
        {"[sandbox]\ngid = -1\n",
         "spec.toml:2:7: sandbox.gid: -1 is out of range (0 to 4294967294)"},
        {"[sandbox]\ntimeout = 31536001\n",
         "spec.toml:2:11: sandbox.timeout: 31536001 is out of range (0 to 31536000)"},
        {"[sandbox]\ntimeout = -5\n",
         "spec.toml:2:11: sandbox.timeout: -5 is out of range (0 to 31536000)"},
        {"[[sysv.queue]]\nkey = 1\nmode = 0o1777\n",
         "spec.toml:3:8: sysv.queue[0].mode: 0o1777 is out of range (0 to 0o777)"},
        {"[[posix.shm]]\nname = '/s'\nsize = 1\nmode = -1\n",
         "spec.toml:4:8: posix.shm[0].mode: -1 is out of range (0 to 0o777)"},
        {"[[sysv.queue]]\nkey = 1\nid = -1\n",
         "spec.toml:3:6: sysv.queue[0].id: -1 is out of range (0 to 2147483647)"},
        {"[[sysv.shm]]\nkey = 1\nsize = 1\nowner = 4294967295\n",
         "spec.toml:4:9: sysv.shm[0].owner: 4294967295 is out of range (0 to 4294967294)"},
        {"[[sysv.semaphore]]\nkey = 1\nvalues = [0]\ngroup = -3\n",
         "spec.toml:4:9: sysv.semaphore[0].group: -3 is out of range (0 to 4294967294)"},
        {"[[sysv.semaphore]]\nkey = 1\nvalues = [1, 32768]\n",
         "spec.toml:3:14: sysv.semaphore[0].values[1]: 32768 is out of range (0 to 32767)"},
        {"[[sysv.queue]]\nkey = 1\nmessages = [{ type = 0, text = '' }]\n",
         "spec.toml:3:22: sysv.queue[0].messages[0].type: 0 is out of range (1 to "
         "9223372036854775807)"},
        {"[[posix.queue]]\nname = '/q'\nmessages = [{ priority = 32768, text = '' }]\n",
         "spec.toml:3:26: posix.queue[0].messages[0].priority: 32768 is out of range (0 to 32767)"},
        {"[[posix.queue]]\nname = '/q'\nmax_messages = 0\n",
         "spec.toml:3:16: posix.queue[0].max_messages: 0 is out of range (1 to 65536)"},
        {"[[posix.queue]]\nname = '/q'\nmessage_size = 16777217\n",
         "spec.toml:3:16: posix.queue[0].message_size: 16777217 is out of range (1 to 16777216)"},
        {"[[posix.semaphore]]\nname = '/s'\nvalue = 2147483648\n",
         "spec.toml:3:9: posix.semaphore[0].value: 2147483648 is out of range (0 to 2147483647)"},
        {"[[sysv.queue]]\nftok = { path = 'a', proj = 256 }\n",
         "spec.toml:2:29: sysv.queue[0].ftok.proj: 256 is out of range (1 to 255)"},
        {"[[sysv.queue]]\nftok = { path = 'a', proj = 0 }\n",
         "spec.toml:2:29: sysv.queue[0].ftok.proj: 0 is out of range (1 to 255)"},
    });
}

TEST(ConfigErrors, BadChoices) {
    expect_errors({
        {"[dev_shm]\nmode = 'privat'\n",
         "spec.toml:2:8: dev_shm.mode: 'privat' is not one of \"private\", \"none\", \"host\"; did "
         "you mean \"private\"?"},
        {"[sandbox]\nuser = 'root'\n",
         "spec.toml:2:8: sandbox.user: 'root' is not one of \"auto\", \"new\", \"host\""},
        {"[sandbox]\nuser = 'Host'\n",
         "spec.toml:2:8: sandbox.user: 'Host' is not one of \"auto\", \"new\", \"host\"; did you "
         "mean \"host\"?"},
        {"[block]\nerrno = 'eperm'\n",
         "spec.toml:2:9: block.errno: 'eperm' is not one of \"EPERM\", \"EACCES\", \"ENOSYS\"; did "
         "you mean \"EPERM\"?"},
        {"[block]\nerrno = 'EINVAL'\n",
         "spec.toml:2:9: block.errno: 'EINVAL' is not one of \"EPERM\", \"EACCES\", \"ENOSYS\""},
        {"[block]\nkinds = ['sysv.shm', 'sysv.que']\n",
         "spec.toml:2:22: block.kinds[1]: 'sysv.que' is not one of \"sysv.queue\", "
         "\"sysv.semaphore\", \"sysv.shm\", \"posix.queue\", \"posix.shm\", \"posix.semaphore\"; "
         "did you mean \"sysv.queue\"?"},
        {"[block]\ncreate = ['sysv.shm', 'sysv.shm']\n",
         "spec.toml:2:23: block.create[1]: 'sysv.shm' is listed twice"},
    });
}

TEST(ConfigErrors, TheFirstProblemIsReported) {
    // Unknown keys come before values of the same table; sections in document order.
    EXPECT_EQ(load_error("[sandbox]\nnet = 1\nbogus = 2\n"),
              "spec.toml:3:1: sandbox: unknown key 'bogus'; valid keys are 'user', 'uid', 'gid', "
              "'mount', 'net', 'pid', 'hostname', 'die_with_parent', 'timeout', 'scope', "
              "'tmpfs', 'capabilities'");
    EXPECT_EQ(
        load_error("[[sysv.queue]]\nkey = 0\n[[sysv.queue]]\nkey = 0\n"),
        "spec.toml:2:7: sysv.queue[0].key: 0 is IPC_PRIVATE, which makes a new object that no "
        "other process can look up by key; use a non-zero key (or private = true for an "
        "object reached by id)");
}

TEST(ConfigErrors, MissingAndUnreadableFiles) {
    Result<Spec> missing = load_spec_file(testing::data_dir() + "/no-such-spec.toml");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message,
              testing::data_dir() + "/no-such-spec.toml: cannot read: No such file or directory");
    EXPECT_EQ(missing.error().err, ENOENT);
    Result<Spec> dir = load_spec_file(testing::data_dir());
    ASSERT_FALSE(dir.ok());
    EXPECT_EQ(dir.error().message, testing::data_dir() + ": cannot read: Is a directory");
}

TEST(ConfigErrors, FileErrorsNameThePathAsGiven) {
    Result<Spec> r = load_spec_file(testing::data_dir() + "/../config/bad_key.toml");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, testing::data_dir() +
                                     "/../config/bad_key.toml:3:1: sandbox: unknown key 'mout'; "
                                     "did you mean 'mount'?");
}

}  // namespace
}  // namespace ipcbox::config
