// Specs that do not load: each kind of problem, with its full message and position.
#include <gtest/gtest.h>

#include <string>

#include "config/load.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::load_error;

struct Case {
    std::string toml;
    std::string error;
};

void expect_errors(const std::vector<Case>& cases, const LoadOptions& options = {}) {
    for (const Case& c : cases) {
        EXPECT_EQ(load_error(c.toml, options), c.error) << "spec:\n" << c.toml;
    }
}

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

TEST(ConfigErrors, Sizes) {
    expect_errors({
        {"[dev_shm]\nsize = 0\n", "spec.toml:2:8: dev_shm.size: must be greater than 0, got 0"},
        {"[dev_shm]\nsize = -4096\n",
         "spec.toml:2:8: dev_shm.size: must be greater than 0, got -4096"},
        {"[dev_shm]\nsize = '0K'\n",
         "spec.toml:2:8: dev_shm.size: must be greater than 0, got \"0K\""},
        {"[dev_shm]\nsize = '64 MB'\n",
         "spec.toml:2:8: dev_shm.size: '64 MB' is not a size (a whole number of bytes with an "
         "optional K, M or G suffix)"},
        {"[dev_shm]\nsize = '99999999999G'\n",
         "spec.toml:2:8: dev_shm.size: '99999999999G' is too large"},
        {"[[sysv.shm]]\nkey = 1\n", "spec.toml:1:1: sysv.shm[0]: missing required key 'size'"},
        {"[[sysv.shm]]\nkey = 1\nsize = 0\n",
         "spec.toml:3:8: sysv.shm[0].size: must be greater than 0, got 0"},
        {"[[posix.shm]]\nname = '/s'\n",
         "spec.toml:1:1: posix.shm[0]: missing required key 'size'"},
        {"[[sysv.queue]]\nkey = 1\nmax_bytes = '1X'\n",
         "spec.toml:3:13: sysv.queue[0].max_bytes: '1X' is not a size (a whole number of bytes "
         "with "
         "an optional K, M or G suffix)"},
    });
}

TEST(ConfigErrors, Sandbox) {
    expect_errors({
        {"[sandbox]\nhostname = 'bad_name'\n",
         "spec.toml:2:12: sandbox.hostname: 'bad_name' is not a valid hostname (1 to 64 letters, "
         "digits, '-' and '.')"},
        {"[sandbox]\nhostname = '" + std::string(65, 'h') + "'\n",
         "spec.toml:2:12: sandbox.hostname: '" + std::string(65, 'h') +
             "' is not a valid hostname (1 to 64 letters, digits, '-' and '.')"},
    });
}

TEST(ConfigErrors, Sysctls) {
    const std::string not_namespaced =
        ": not a per-IPC-namespace setting, so ipcbox will not touch it (writing it would change "
        "the host)";
    expect_errors({
        {"[sysctl]\nkernel.auto_msgmni = 1\n",
         "spec.toml:2:8: sysctl.kernel.auto_msgmni: accepts writes but has no effect in an IPC "
         "namespace (msgmni no longer scales with memory); set kernel.msgmni instead"},
        {"[sysctl]\n\"net.core.somaxconn\" = 1\n",
         "spec.toml:2:1: sysctl.net.core.somaxconn" + not_namespaced},
        {"[sysctl]\nkernel.msgmbn = 1\n", "spec.toml:2:8: sysctl.kernel.msgmbn" + not_namespaced +
                                              "; did you mean 'kernel.msgmnb'?"},
        {"[sysctl]\n\"kernel.shmmax \" = 1\n", "spec.toml:2:1: sysctl.kernel.shmmax " +
                                                   not_namespaced +
                                                   "; did you mean 'kernel.shmmax'?"},
        {"[sysctl.fs.mqueue]\nmsg_maximum = 1\n",
         "spec.toml:2:1: sysctl.fs.mqueue.msg_maximum" + not_namespaced},
        {"[sysctl]\nkernel = 5\n", "spec.toml:2:1: sysctl.kernel" + not_namespaced},
        {"[sysctl]\nkernel.shmmax = -1\n",
         "spec.toml:2:17: sysctl.kernel.shmmax: -1 is out of range (0 to 9223372036854775807)"},
        {"[sysctl]\nkernel.msgmni = 2147483648\n",
         "spec.toml:2:17: sysctl.kernel.msgmni: 2147483648 is out of range (0 to 2147483647)"},
        {"[sysctl]\nkernel.shm_rmid_forced = 2\n",
         "spec.toml:2:26: sysctl.kernel.shm_rmid_forced: 2 is out of range (0 to 1)"},
        {"[sysctl]\nkernel.msg_next_id = -2\n",
         "spec.toml:2:22: sysctl.kernel.msg_next_id: -2 is out of range (-1 to 2147483647)"},
        {"[sysctl]\nfs.mqueue.msg_max = -1\n",
         "spec.toml:2:21: sysctl.fs.mqueue.msg_max: -1 is out of range (0 to 2147483647)"},
        {"[sysctl]\nkernel.msgmnb = '1'\n",
         "spec.toml:2:17: sysctl.kernel.msgmnb: expected an integer, got a string"},
        {"[sysctl]\nkernel.msgmnb = { value = 1 }\n",
         "spec.toml:2:17: sysctl.kernel.msgmnb: expected an integer, got a table"},
        {"[sysctl]\nkernel.sem = [1, 2, 3]\n",
         "spec.toml:2:14: sysctl.kernel.sem: expected 4 integers (semmsl semmns semopm semmni), "
         "got 3"},
        {"[sysctl]\nkernel.sem = [1, 2, -3, 4]\n",
         "spec.toml:2:21: sysctl.kernel.sem[2]: -3 is out of range (0 to 2147483647)"},
        {"[sysctl]\nkernel.sem = '1 2 3 x'\n",
         "spec.toml:2:14: sysctl.kernel.sem: '1 2 3 x' is not 4 integers (semmsl semmns semopm "
         "semmni)"},
        {"[sysctl]\nkernel.sem = '1 2 3 4 5'\n",
         "spec.toml:2:14: sysctl.kernel.sem: '1 2 3 4 5' is not 4 integers (semmsl semmns semopm "
         "semmni)"},
        {"[sysctl]\nkernel.sem = 5\n",
         "spec.toml:2:14: sysctl.kernel.sem: expected an array of 4 integers or a string like "
         "\"250 32000 32 128\", got an integer"},
        {"[sysctl]\n\"kernel.msgmnb\" = 1\nkernel.msgmnb = 2\n",
         "spec.toml:3:8: sysctl.kernel.msgmnb: set twice (first at 2:1)"},
    });
}

TEST(ConfigErrors, SysvKeys) {
    expect_errors({
        {"[[sysv.queue]]\nid = 1\n",
         "spec.toml:1:1: sysv.queue[0]: needs a key (an integer) or ftok = { path, proj }"},
        {"[[sysv.queue]]\nkey = 1\nftok = { path = 'a', proj = 1 }\n",
         "spec.toml:3:1: sysv.queue[0]: set either key or ftok, not both"},
        {"[[sysv.shm]]\nftok = { path = 'a', proj = 1 }\nsize = 1\nkey = 1\n",
         "spec.toml:4:1: sysv.shm[0]: set either key or ftok, not both"},
        {"[[sysv.queue]]\nkey = 0\n",
         "spec.toml:2:7: sysv.queue[0].key: 0 is IPC_PRIVATE, which makes a new object that no "
         "other process can look up by key; use a non-zero key"},
        {"[[sysv.queue]]\nkey = 0xdeadbeef\n",
         "spec.toml:2:7: sysv.queue[0].key: 3735928559 is out of range (-2147483648 to "
         "2147483647); write a key above 0x7fffffff as its negative 32-bit value, -559038737"},
        {"[[sysv.queue]]\nkey = 0x100000000\n",
         "spec.toml:2:7: sysv.queue[0].key: 4294967296 is out of range (-2147483648 to "
         "2147483647)"},
        {"[[sysv.queue]]\nkey = -2147483649\n",
         "spec.toml:2:7: sysv.queue[0].key: -2147483649 is out of range (-2147483648 to "
         "2147483647)"},
        {"[[sysv.queue]]\nftok = { path = 'a' }\n",
         "spec.toml:2:8: sysv.queue[0].ftok: missing required key 'proj'"},
        {"[[sysv.queue]]\nftok = { path = '', proj = 1 }\n",
         "spec.toml:2:17: sysv.queue[0].ftok.path: must not be empty"},
        {"[[sysv.queue]]\nkey = 1\n[[sysv.queue]]\nkey = 2\n[[sysv.queue]]\nkey = 3\n"
         "[sysv.queue.ftok]\npath = 'x'\nproj = 1\n",
         "spec.toml:7:13: sysv.queue[2]: set either key or ftok, not both"},
    });
}

TEST(ConfigErrors, SysvObjects) {
    expect_errors({
        {"[[sysv.semaphore]]\nkey = 1\n",
         "spec.toml:1:1: sysv.semaphore[0]: missing required key 'values'"},
        {"[[sysv.semaphore]]\nkey = 1\nvalues = []\n",
         "spec.toml:3:10: sysv.semaphore[0].values: must not be empty (one value per semaphore)"},
        {"[[sysv.shm]]\nkey = 1\nsize = 4\ntext = 'hello'\n",
         "spec.toml:4:8: sysv.shm[0].text: 5 bytes do not fit in size 4"},
        {"[[posix.shm]]\nname = '/s'\nsize = 1\nhex = '01 02'\n",
         "spec.toml:4:7: posix.shm[0].hex: 2 bytes do not fit in size 1"},
    });
}

TEST(ConfigErrors, Payloads) {
    const std::string q2 =
        "[[sysv.queue]]\nkey = 1\n[[sysv.queue]]\nkey = 2\n[[sysv.queue]]\nkey = 3\n";
    expect_errors({
        {q2 + "messages = [{ hex = 'de ad be eg' }]\n",
         "spec.toml:7:21: sysv.queue[2].messages[0].hex: 'g' at offset 10 is not a hex digit"},
        {q2 + "messages = [{ text = 'ok' }, { hex = 'd e' }]\n",
         "spec.toml:7:38: sysv.queue[2].messages[1].hex: hex digit 'd' at offset 0 has no second "
         "digit (write each byte as two)"},
        {q2 + "messages = [{ hex = 'abc' }]\n",
         "spec.toml:7:21: sysv.queue[2].messages[0].hex: hex digit 'c' at offset 2 has no second "
         "digit (write each byte as two)"},
        {q2 + "messages = [{ hex = '0x10' }]\n",
         "spec.toml:7:21: sysv.queue[2].messages[0].hex: 'x' at offset 1 is not a hex digit"},
        {"[[sysv.queue]]\nkey = 1\nmessages = [{ text = 'a', hex = '00' }]\n",
         "spec.toml:3:27: sysv.queue[0].messages[0]: set only one of text, hex or file"},
        {"[[posix.shm]]\nname = '/s'\nsize = 1\nfile = 'f'\ntext = 'a'\n",
         "spec.toml:5:1: posix.shm[0]: set only one of text, hex or file"},
        {"[[sysv.queue]]\nkey = 1\nmessages = [{ type = 2 }]\n",
         "spec.toml:3:13: sysv.queue[0].messages[0]: needs one of text, hex or file"},
        {"[[posix.queue]]\nname = '/q'\nmessages = [{}]\n",
         "spec.toml:3:13: posix.queue[0].messages[0]: needs one of text, hex or file"},
        {"[[sysv.queue]]\nkey = 1\nmessages = [{ file = 'nope.bin' }]\n",
         "spec.toml:3:22: sysv.queue[0].messages[0].file: cannot read /specs/nope.bin: No such "
         "file or directory"},
        {"[[sysv.shm]]\nkey = 1\nsize = 1\nfile = '/'\n",
         "spec.toml:4:8: sysv.shm[0].file: cannot read /: Is a directory"},
    });
}

TEST(ConfigErrors, PosixObjects) {
    const std::string bad_name =
        "' is not a valid name (a '/' followed by 1 to 254 characters, none of them '/')";
    expect_errors({
        {"[[posix.queue]]\nmode = 0o600\n",
         "spec.toml:1:1: posix.queue[0]: missing required key 'name'"},
        {"[[posix.queue]]\nname = 'jobs'\n",
         "spec.toml:2:8: posix.queue[0].name: 'jobs" + bad_name},
        {"[[posix.shm]]\nname = '/a/b'\nsize = 1\n",
         "spec.toml:2:8: posix.shm[0].name: '/a/b" + bad_name},
        {"[[posix.semaphore]]\nname = '/'\n",
         "spec.toml:2:8: posix.semaphore[0].name: '/" + bad_name},
        {"[[posix.semaphore]]\nname = '/..'\n",
         "spec.toml:2:8: posix.semaphore[0].name: '/.." + bad_name},
        {"[[posix.semaphore]]\nname = '/" + std::string(255, 'n') + "'\n",
         "spec.toml:2:8: posix.semaphore[0].name: '/" + std::string(255, 'n') + bad_name},
        {"[[posix.queue]]\nname = '/q'\nmessage_size = 4\n"
         "messages = [{ text = 'abcd' }, { text = 'abcde' }]\n",
         "spec.toml:4:41: posix.queue[0].messages[1].text: 5 bytes are more than message_size (4)"},
        {"[[posix.queue]]\nname = '/q'\nmax_messages = 2\n"
         "messages = [{ text = 'a' }, { text = 'b' }, { text = 'c' }]\n",
         "spec.toml:4:45: posix.queue[0].messages[2]: more messages than max_messages (2)"},
    });
}

TEST(ConfigErrors, Leaks) {
    expect_errors({
        {"[leaks]\nreport = ''\n",
         "spec.toml:2:10: leaks.report: expected \"off\", \"stderr\" or a file path, got \"\""},
        {"[leaks]\nreport = 'OFF'\n",
         "spec.toml:2:10: leaks.report: 'OFF' would be a file name; write \"off\" or \"stderr\" in "
         "lower case, or \"./OFF\" for the file"},
    });
}

TEST(ConfigErrors, InlineSpecsRefuseFileReferences) {
    LoadOptions inline_only;
    inline_only.allow_file_references = false;
    expect_errors(
        {
            {"[[sysv.queue]]\nftok = { path = 'a', proj = 1 }\n",
             "spec.toml:2:8: sysv.queue[0].ftok: ftok keys name files and are not allowed in an "
             "inline spec; use a literal key"},
            {"[[sysv.queue]]\nkey = 1\nmessages = [{ file = 'payload' }]\n",
             "spec.toml:3:22: sysv.queue[0].messages[0].file: file payloads are not allowed in an "
             "inline spec; use text or hex"},
            {"[[posix.shm]]\nname = '/s'\nsize = 4\nfile = '/etc/hostname'\n",
             "spec.toml:4:8: posix.shm[0].file: file payloads are not allowed in an inline spec; "
             "use text or hex"},
        },
        inline_only);
    // Everything else still loads.
    Result<Spec> ok =
        testing::load("[[sysv.queue]]\nkey = 1\nmessages = [{ hex = '00' }]\n", inline_only);
    EXPECT_TRUE(ok.ok()) << ok.error().message;
}

TEST(ConfigErrors, TheFirstProblemIsReported) {
    // Unknown keys come before values of the same table; sections in document order.
    EXPECT_EQ(load_error("[sandbox]\nnet = 1\nbogus = 2\n"),
              "spec.toml:3:1: sandbox: unknown key 'bogus'; valid keys are 'user', 'uid', 'gid', "
              "'mount', 'net', 'pid', 'hostname', 'die_with_parent', 'timeout'");
    EXPECT_EQ(
        load_error("[[sysv.queue]]\nkey = 0\n[[sysv.queue]]\nkey = 0\n"),
        "spec.toml:2:7: sysv.queue[0].key: 0 is IPC_PRIVATE, which makes a new object that no "
        "other process can look up by key; use a non-zero key");
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
