// Payload files that are not regular files are refused at once, naming the file (a FIFO would
// block open() and read() forever, /dev/zero would never end), and each payload is read only up to
// what its object can hold.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

namespace fs = std::filesystem;

class PayloadFiles : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-payload-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        ASSERT_EQ(mkfifo((dir_ + "/fifo").c_str(), 0600), 0);
        // A hang fails the test (SIGALRM ends the process) instead of blocking the suite.
        alarm(20);
    }
    void TearDown() override {
        alarm(0);
        fs::remove_all(dir_);
    }
    std::string file_of(size_t bytes) {
        const std::string path = dir_ + "/f" + std::to_string(bytes);
        std::ofstream(path) << std::string(bytes, 'x');
        return path;
    }
    std::string error(const std::string& toml) {
        auto r = load_spec_string(toml, "spec.toml", dir_);
        return r.ok() ? "(loaded)" : r.error().message;
    }

    std::string dir_;
};

TEST_F(PayloadFiles, NonRegularFilesAreRefusedAtOnce) {
    EXPECT_EQ(error("[[sysv.queue]]\nkey = 1\nmessages = [{ file = 'fifo' }]\n"),
              "spec.toml:3:22: sysv.queue[0].messages[0].file: " + dir_ +
                  "/fifo is a FIFO, not a regular file");
    EXPECT_EQ(error("[[posix.shm]]\nname = '/s'\nsize = 10\nfile = '/dev/zero'\n"),
              "spec.toml:4:8: posix.shm[0].file: /dev/zero is a character device, not a regular "
              "file");
    EXPECT_EQ(error("[[posix.queue]]\nname = '/q'\nmessages = [{ file = '.' }]\n"),
              "spec.toml:3:22: posix.queue[0].messages[0].file: " + dir_ +
                  "/ is a directory, not a regular file");
}

TEST_F(PayloadFiles, EachPayloadIsCappedAtWhatItsObjectHolds) {
    EXPECT_EQ(error("[[sysv.shm]]\nkey = 1\nsize = 16\nfile = '" + file_of(17) + "'\n"),
              "spec.toml:4:8: sysv.shm[0].file: " + dir_ +
                  "/f17 holds 17 bytes, which do not fit in size 16");
    EXPECT_EQ(error("[[posix.shm]]\nname = '/s'\nsize = 16\nfile = '" + file_of(16) + "'\n"),
              "(loaded)");
    EXPECT_EQ(error("[[sysv.queue]]\nkey = 1\nmax_bytes = 100\nmessages = [{ file = '" +
                    file_of(101) + "' }]\n"),
              "spec.toml:4:22: sysv.queue[0].messages[0].file: " + dir_ +
                  "/f101 holds 101 bytes, which do not fit in max_bytes 100");
    EXPECT_EQ(error("[[sysv.queue]]\nkey = 1\nmessages = [{ file = '" + file_of(8193) + "' }]\n"),
              "spec.toml:3:22: sysv.queue[0].messages[0].file: " + dir_ +
                  "/f8193 holds 8193 bytes, which do not fit in kernel.msgmax 8192 (the kernel's "
                  "default; [sysctl] "
                  "can raise it)");
    EXPECT_EQ(error("[sysctl]\nkernel.msgmax = 9000\n[[sysv.queue]]\nkey = 1\nmax_bytes = "
                    "20000\nmessages = [{ file = '" +
                    file_of(8193) + "' }]\n"),
              "(loaded)");
    EXPECT_EQ(error("[[posix.queue]]\nname = '/q'\nmessage_size = 64\nmessages = [{ file = '" +
                    file_of(65) + "' }]\n"),
              "spec.toml:4:22: posix.queue[0].messages[0].file: " + dir_ +
                  "/f65 holds 65 bytes, which do not fit in message_size 64");
    EXPECT_EQ(error("[sysctl]\nfs.mqueue.msgsize_default = 100\n[[posix.queue]]\nname = "
                    "'/q'\nmessages = [{ file = '" +
                    file_of(101) + "' }]\n"),
              "spec.toml:5:22: posix.queue[0].messages[0].file: " + dir_ +
                  "/f101 holds 101 bytes, which do not fit in fs.mqueue.msgsize_default 100");
}

}  // namespace
}  // namespace ipcbox::config
