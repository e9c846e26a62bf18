// Parsing /proc/sysvipc tables (samples as this kernel prints them) into IPC objects.
#include <gtest/gtest.h>

#include "ipc/inventory/detail.hpp"

namespace ipcbox::ipc::inventory_detail {
namespace {

using config::IpcKind;

const char kMsg[] =
    "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      "
    "stime      rtime      ctime\n"
    "      4660          3   640          13          3  6032   41  1000  1001     0     7 "
    "1795564743 1795564750 1795564700\n"
    " -15883567          0   600           0          0     0     0     0     0     0     0      "
    "    0          0 1795564999\n";

const char kSem[] =
    "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"
    "1258767097          5   644          3     0     0     0     0          0 1795564999\n";

const char kShm[] =
    "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  "
    "cgid      atime      dtime      ctime                   rss                  swap\n"
    "         0          9  1600                  4096 20072  20080      1     0     0     0     "
    "0 1795565000 1795565001 1795564999                     0                     0\n";

TEST(InventorySysv, QueueColumns) {
    auto objects = parse_sysvipc(IpcKind::SysvQueue, kMsg);
    ASSERT_TRUE(objects) << objects.error().message;
    ASSERT_EQ(objects->size(), 2u);
    const IpcObject& q = (*objects)[0];
    EXPECT_EQ(q.kind, IpcKind::SysvQueue);
    EXPECT_EQ(q.key, 0x1234);
    EXPECT_EQ(q.id, 3);
    EXPECT_EQ(q.mode, 0640u);
    EXPECT_EQ(q.size, 13u);
    EXPECT_EQ(q.messages, 3u);
    EXPECT_EQ(q.send_pid, 6032);
    EXPECT_EQ(q.recv_pid, 41);
    EXPECT_EQ(q.uid, 1000u);
    EXPECT_EQ(q.gid, 1001u);
    EXPECT_EQ(q.cuid, 0u);
    EXPECT_EQ(q.cgid, 7u);
    EXPECT_EQ(q.send_time, 1795564743);
    EXPECT_EQ(q.recv_time, 1795564750);
    EXPECT_EQ(q.change_time, 1795564700);
}

TEST(InventorySysv, NegativeKeysAreTheSameBits) {
    auto objects = parse_sysvipc(IpcKind::SysvQueue, kMsg);
    ASSERT_TRUE(objects);
    EXPECT_EQ(static_cast<uint32_t>((*objects)[1].key), static_cast<uint32_t>(-15883567));
}

TEST(InventorySysv, SemaphoreColumns) {
    auto objects = parse_sysvipc(IpcKind::SysvSemaphore, kSem);
    ASSERT_TRUE(objects) << objects.error().message;
    ASSERT_EQ(objects->size(), 1u);
    const IpcObject& s = (*objects)[0];
    EXPECT_EQ(s.id, 5);
    EXPECT_EQ(s.key, 1258767097);
    EXPECT_EQ(s.nsems, 3u);
    EXPECT_EQ(s.mode, 0644u);
    EXPECT_EQ(s.op_time, 0);
    EXPECT_EQ(s.change_time, 1795564999);
    EXPECT_FALSE(s.values);  // read separately, with GETALL
}

TEST(InventorySysv, ShmColumnsAndRemovedFlag) {
    auto objects = parse_sysvipc(IpcKind::SysvShm, kShm);
    ASSERT_TRUE(objects) << objects.error().message;
    ASSERT_EQ(objects->size(), 1u);
    const IpcObject& m = (*objects)[0];
    EXPECT_EQ(m.id, 9);
    EXPECT_EQ(m.key, 0);
    EXPECT_EQ(m.mode, 0600u);  // SHM_DEST (01000) is a flag, not a permission
    EXPECT_TRUE(m.removed);
    EXPECT_EQ(m.size, 4096u);
    EXPECT_EQ(m.creator_pid, 20072);
    EXPECT_EQ(m.last_pid, 20080);
    EXPECT_EQ(m.attached, 1u);
    EXPECT_EQ(m.attach_time, 1795565000);
    EXPECT_EQ(m.detach_time, 1795565001);
}

TEST(InventorySysv, EmptyTableHasNoObjects) {
    auto objects = parse_sysvipc(IpcKind::SysvSemaphore,
                                 "       key      semid perms      nsems   uid   gid  cuid  cgid "
                                 "     otime      ctime\n");
    ASSERT_TRUE(objects);
    EXPECT_TRUE(objects->empty());
}

TEST(InventorySysv, ColumnsAreFoundByName) {
    // A later kernel may reorder or add columns.
    auto objects = parse_sysvipc(IpcKind::SysvSemaphore,
                                 "semid key extra perms nsems uid gid cuid cgid otime ctime\n"
                                 "7 16 x 600 2 1 2 3 4 5 6\n");
    ASSERT_TRUE(objects) << objects.error().message;
    ASSERT_EQ(objects->size(), 1u);
    EXPECT_EQ((*objects)[0].id, 7);
    EXPECT_EQ((*objects)[0].key, 16);
    EXPECT_EQ((*objects)[0].nsems, 2u);
    EXPECT_EQ((*objects)[0].cgid, 4u);
}

TEST(InventorySysv, MalformedRowsAreErrors) {
    auto bad = parse_sysvipc(IpcKind::SysvSemaphore,
                             "key semid perms nsems uid gid cuid cgid otime ctime\n"
                             "16 7 600 two 1 2 3 4 5 6\n");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message,
              "/proc/sysvipc/sem line 2: column 'nsems': 'two' is not a number");

    auto missing = parse_sysvipc(IpcKind::SysvQueue, "key msqid perms\n1 2 600\n");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, "/proc/sysvipc/msg line 2: no column 'uid'");

    auto octal = parse_sysvipc(
        IpcKind::SysvShm, std::string(kShm).replace(std::string(kShm).find("1600"), 4, "1900"));
    ASSERT_FALSE(octal);
    EXPECT_NE(octal.error().message.find("'1900' is not a number"), std::string::npos);
}

TEST(InventorySysv, FingerprintTellsContentsApart) {
    Fingerprint a, b, c;
    a.add("abc", 3);
    b.add("abc", 3);
    c.add("abd", 3);
    EXPECT_EQ(a.hex(), b.hex());
    EXPECT_NE(a.hex(), c.hex());
    EXPECT_EQ(a.hex().size(), 16u);
    EXPECT_EQ(Fingerprint().hex(), "cbf29ce484222325");  // FNV-1a 64 offset basis
}

}  // namespace
}  // namespace ipcbox::ipc::inventory_detail
