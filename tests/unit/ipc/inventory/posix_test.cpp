// /dev/shm file names to POSIX kinds, the mqueue status line, and listing a /dev/shm-like
// directory.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ipc/inventory/detail.hpp"

namespace ipcbox::ipc::inventory_detail {
namespace {

using config::IpcKind;

TEST(InventoryPosix, DevShmNames) {
    using Entry = std::optional<std::pair<IpcKind, std::string>>;
    EXPECT_EQ(classify_dev_shm_entry("frame"), Entry({IpcKind::PosixShm, "/frame"}));
    EXPECT_EQ(classify_dev_shm_entry("sem.lock"), Entry({IpcKind::PosixSemaphore, "/lock"}));
    EXPECT_EQ(classify_dev_shm_entry("sem.a.b"), Entry({IpcKind::PosixSemaphore, "/a.b"}));
    EXPECT_EQ(classify_dev_shm_entry("semaphore"), Entry({IpcKind::PosixShm, "/semaphore"}));
    EXPECT_EQ(classify_dev_shm_entry("sem."), std::nullopt);
    EXPECT_EQ(classify_dev_shm_entry(".hidden"), std::nullopt);
    EXPECT_EQ(classify_dev_shm_entry(""), std::nullopt);
}

TEST(InventoryPosix, MqueueStatusLine) {
    EXPECT_EQ(parse_mqueue_qsize("QSIZE:13         NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n"),
              13u);
    EXPECT_EQ(parse_mqueue_qsize("QSIZE:0 NOTIFY:2"), 0u);
    EXPECT_EQ(parse_mqueue_qsize("NOTIFY:0"), std::nullopt);
    EXPECT_EQ(parse_mqueue_qsize("QSIZE:x"), std::nullopt);
}

class DevShmDir : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-inventory-XXXXXX";
        dir_ = mkdtemp(tmpl);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    void file(const std::string& name, const std::string& bytes, mode_t mode) {
        const std::string path = dir_ + "/" + name;
        std::ofstream(path) << bytes;
        chmod(path.c_str(), mode);
    }
    std::string dir_;
};

TEST_F(DevShmDir, ListsRegularFilesByKind) {
    file("frame", "0123456789", 0640);
    file("sem.lock", std::string(32, '\0'), 0600);
    std::filesystem::create_directory(dir_ + "/subdir");
    symlink("frame", (dir_ + "/link").c_str());

    Inventory inv;
    collect_dev_shm(inv, {}, dir_);
    sort_objects(inv.objects);
    ASSERT_EQ(inv.objects.size(), 2u);
    const IpcObject& shm = inv.objects[0];
    EXPECT_EQ(shm.kind, IpcKind::PosixShm);
    EXPECT_EQ(shm.name, "/frame");
    EXPECT_EQ(shm.size, 10u);
    EXPECT_EQ(shm.mode, 0640u);
    EXPECT_EQ(shm.uid, getuid());
    EXPECT_TRUE(shm.digest.empty());  // only with digests
    const IpcObject& sem = inv.objects[1];
    EXPECT_EQ(sem.kind, IpcKind::PosixSemaphore);
    EXPECT_EQ(sem.name, "/lock");
    EXPECT_EQ(sem.mode, 0600u);
    EXPECT_FALSE(sem.values);  // read with sem_open, only from the real /dev/shm
    EXPECT_TRUE(inv.notes.empty());
}

TEST_F(DevShmDir, DigestsFollowContents) {
    file("a", "same", 0600);
    file("b", "same", 0600);
    file("c", "diff", 0600);
    Inventory inv;
    collect_dev_shm(inv, {.digests = true}, dir_);
    sort_objects(inv.objects);
    ASSERT_EQ(inv.objects.size(), 3u);
    EXPECT_FALSE(inv.objects[0].digest.empty());
    EXPECT_EQ(inv.objects[0].digest, inv.objects[1].digest);
    EXPECT_NE(inv.objects[0].digest, inv.objects[2].digest);
}

TEST_F(DevShmDir, MissingDirectoryIsANote) {
    Inventory inv;
    collect_dev_shm(inv, {}, dir_ + "/absent");
    EXPECT_TRUE(inv.objects.empty());
    ASSERT_EQ(inv.notes.size(), 1u);
    EXPECT_NE(inv.notes[0].find("posix.shm, posix.semaphore: not listed: open "),
              std::string::npos);
    EXPECT_NE(inv.notes[0].find("No such file or directory"), std::string::npos);
}

}  // namespace
}  // namespace ipcbox::ipc::inventory_detail
