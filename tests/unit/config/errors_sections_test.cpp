// Specs that do not load because of one section's own rules (sizes, [sandbox], [sysctl], SysV
// keys and objects, payloads, POSIX objects, [leaks], inline specs), with the full message and
// position.
#include <gtest/gtest.h>

#include <string>

#include "config/load.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::expect_errors;

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
         "spec.toml:1:1: sysv.queue[0]: needs a key (an integer), ftok = { path, proj } or "
         "private = true"},
        {"[[sysv.queue]]\nkey = 1\nftok = { path = 'a', proj = 1 }\n",
         "spec.toml:3:1: sysv.queue[0]: set either key or ftok, not both"},
        {"[[sysv.shm]]\nftok = { path = 'a', proj = 1 }\nsize = 1\nkey = 1\n",
         "spec.toml:4:1: sysv.shm[0]: set either key or ftok, not both"},
        {"[[sysv.queue]]\nkey = 0\n",
         "spec.toml:2:7: sysv.queue[0].key: 0 is IPC_PRIVATE, which makes a new object that no "
         "other process can look up by key; use a non-zero key (or private = true for an object "
         "reached by id)"},
        {"[[sysv.queue]]\nprivate = false\n",
         "spec.toml:2:11: sysv.queue[0].private: only true is allowed (an IPC_PRIVATE object); "
         "give a key or ftok instead"},
        {"[[sysv.shm]]\nsize = 1\nkey = 5\nprivate = true\n",
         "spec.toml:4:1: sysv.shm[0]: set either private or key, not both"},
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
         "spec.toml:4:8: sysv.shm[0].file: / is a directory, not a regular file"},
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

}  // namespace
}  // namespace ipcbox::config
