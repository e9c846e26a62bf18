// The private /dev/shm is as large as the host's by default (what the command would have had
// without ipcbox), --explain says so, and a posix.shm that cannot fit is refused before anything
// is made: a spec error for an explicit dev_shm.size, a setup error for the default.
#include <sys/statfs.h>

#include <cstdint>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

using DevShmSize = AsEachUser;

uint64_t host_dev_shm_bytes() {
    struct statfs fs {};
    if (statfs("/dev/shm", &fs) != 0) return 0;
    return static_cast<uint64_t>(fs.f_blocks) * fs.f_bsize;
}

TEST_P(DevShmSize, TheDefaultIsTheHostsSize) {
    const uint64_t host = host_dev_shm_bytes();
    ASSERT_GT(host, 64ull << 20) << "this test needs a host /dev/shm larger than the old default";
    Outcome inside = ipcbox({"run", "--", "/usr/bin/stat", "-f", "-c", "%b*%S %T", "/dev/shm"});
    ASSERT_EQ(inside.exit_code, 0) << inside.err;
    struct statfs fs {};
    ASSERT_EQ(statfs("/dev/shm", &fs), 0);
    EXPECT_EQ(inside.out,
              std::to_string(fs.f_blocks) + "*" + std::to_string(fs.f_bsize) + " tmpfs\n");

    Outcome explain = ipcbox({"run", "--explain", "--", "/bin/true"});
    ASSERT_EQ(explain.exit_code, 0) << explain.err;
    EXPECT_NE(explain.out.find("/dev/shm: private, " + std::to_string(host) +
                               " bytes (the size of the host's /dev/shm)\n"),
              std::string::npos)
        << explain.out;
    Outcome sized = ipcbox({"run", "--explain", "--dev-shm-size", "8M", "--", "/bin/true"});
    EXPECT_NE(sized.out.find("/dev/shm: private, 8388608 bytes (dev_shm.size)\n"),
              std::string::npos)
        << sized.out;
}

TEST_P(DevShmSize, APosixShmLargerThanItsDevShmIsRefused) {
    const std::string spec =
        write_spec("[dev_shm]\nsize = '1M'\n[[posix.shm]]\nname = '/big'\nsize = '2M'\n");
    const std::string error =
        spec +
        ":3:1: posix.shm[0]: size 2097152 does not fit in the /dev/shm that holds it "
        "(dev_shm.size 1048576)";
    Outcome run = ipcbox({"run", "-c", spec, "--", "/bin/true"});
    EXPECT_EQ(run.exit_code, 125);
    EXPECT_EQ(run.err, "ipcbox: " + error + "\n");
    Outcome validate = ipcbox({"validate", spec});
    EXPECT_EQ(validate.exit_code, 1);
    EXPECT_NE(validate.err.find(error), std::string::npos) << validate.err;

    const uint64_t host = host_dev_shm_bytes();
    const std::string huge =
        write_spec("[[posix.shm]]\nname = '/huge'\nsize = " + std::to_string(host + 4096) + "\n");
    Outcome too_big = ipcbox({"run", "-c", huge, "--", "/bin/true"});
    EXPECT_EQ(too_big.exit_code, 125);
    EXPECT_EQ(too_big.err,
              "ipcbox: " + huge + ":1:1: posix.shm[0]: size " + std::to_string(host + 4096) +
                  " does not fit in the /dev/shm that holds it (the size of the "
                  "host's /dev/shm, " +
                  std::to_string(host) + " bytes, the default; set dev_shm.size to change it)\n");
}

INSTANTIATE_TEST_SUITE_P(, DevShmSize, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
