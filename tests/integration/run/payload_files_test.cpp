// Payload files that are not regular files are refused at once by run (125) and validate (1),
// naming the file: a FIFO used to block both forever, /dev/zero to read a gigabyte first.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

using PayloadFiles = AsEachUser;

TEST_P(PayloadFiles, NonRegularFilesAreRefusedAtOnce) {
    const std::string fifo = staging_dir() + "/payload-fifo";
    unlink(fifo.c_str());
    ASSERT_EQ(mkfifo(fifo.c_str(), 0666), 0);
    chmod(fifo.c_str(), 0666);
    const struct {
        std::string toml, error;
    } cases[] = {
        {"[[sysv.queue]]\nkey = 1\nmessages = [{ file = '" + fifo + "' }]\n",
         ":3:22: sysv.queue[0].messages[0].file: " + fifo + " is a FIFO, not a regular file"},
        {"[[posix.shm]]\nname = '/z'\nsize = '1G'\nfile = '/dev/zero'\n",
         ":4:8: posix.shm[0].file: /dev/zero is a character device, not a regular file"},
    };
    for (const auto& c : cases) {
        const std::string spec = write_spec(c.toml);
        const auto start = std::chrono::steady_clock::now();
        Outcome run = run_ipcbox(who(), {"run", "-c", spec, "--", "/bin/true"}, "", 10);
        Outcome validate = run_ipcbox(who(), {"validate", spec}, "", 10);
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
        EXPECT_EQ(run.exit_code, 125) << run.err;
        EXPECT_EQ(run.err, "ipcbox: " + spec + c.error + "\n");
        EXPECT_EQ(validate.exit_code, 1) << validate.err;
        EXPECT_NE(validate.err.find(spec + c.error), std::string::npos) << validate.err;
    }
    unlink(fifo.c_str());
}

INSTANTIATE_TEST_SUITE_P(, PayloadFiles, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
