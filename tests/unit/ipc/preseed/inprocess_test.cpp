// preseed() and apply_sysctls() in a forked child with fresh namespaces; every object is read
// back through the plain syscalls a program in the sandbox would use.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "ipc/preseed/preseed.hpp"
#include "ns/sysctl.hpp"
#include "tests/common/skip.hpp"
#include "tests/unit/sandbox/sandbox.hpp"

namespace ipcbox::test {
namespace {

using config::Spec;

class PreseedInProcess : public ::testing::TestWithParam<Privilege> {
  protected:
    void SetUp() override {
        if (!can_run(GetParam())) IPCBOX_SKIP("needs root, or user namespaces");
    }
    std::string run(const std::function<std::string()>& check, InsideIds ids = {}) {
        return in_sandbox(GetParam(), check, ids);
    }
};

std::string apply(const Spec& spec) {
    if (Status s = ns::apply_sysctls(spec.sysctls); !s) return "sysctls: " + s.error().message;
    if (auto s = ipc::preseed(spec.objects, {.dev_shm = spec.dev_shm.mode}); !s)
        return "preseed: " + s.error().message;
    return {};
}

std::string read_proc(const char* path) {
    char buf[256] = {};
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0) close(fd);
    return n > 0 ? std::string(buf, n) : std::string("?");
}

TEST_P(PreseedInProcess, SysctlsAreWrittenAndReadBack) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  spec.sysctls = {sysctl("kernel.msgmnb", "65536"),
                                  sysctl("kernel.sem", "100  2000 40 50"),
                                  sysctl("fs.mqueue.msg_max", "20")};
                  if (auto e = apply(spec); !e.empty()) return e;
                  return expect_eq("msgmnb", std::string("65536\n"),
                                   read_proc("/proc/sys/kernel/msgmnb")) +
                         expect_eq("sem", std::string("100\t2000\t40\t50\n"),
                                   read_proc("/proc/sys/kernel/sem")) +
                         expect_eq("msg_max", std::string("20\n"),
                                   read_proc("/proc/sys/fs/mqueue/msg_max"));
              }),
              "");
}

TEST_P(PreseedInProcess, QueueHoldsMessagesInOrderWithOwnerModeAndMaxBytes) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  auto q = sysv_queue(0x1234, {{7, "first"}, {3, std::string("a\0b", 3)}});
                  q.max_bytes = 1000;
                  q.access.mode = 0640;
                  spec.objects.sysv_queues.push_back(q);
                  spec.objects.sysv_queues.push_back(sysv_queue(0x1235));
                  if (auto e = apply(spec); !e.empty()) return e;
                  int id = msgget(0x1234, 0);
                  msqid_ds ds{};
                  if (id < 0 || msgctl(id, IPC_STAT, &ds) != 0) return std::string("no queue");
                  std::string r = expect_eq("qbytes", 1000ul, ds.msg_qbytes) +
                                  expect_eq("qnum", 2ul, ds.msg_qnum) +
                                  expect_eq("mode", 0640u, ds.msg_perm.mode & 0777u) +
                                  expect_eq("uid", getuid(), ds.msg_perm.uid) +
                                  expect_eq("gid", getgid(), ds.msg_perm.gid);
                  struct {
                      long type;
                      char text[64];
                  } m{};
                  ssize_t n = msgrcv(id, &m, sizeof m.text, 0, IPC_NOWAIT);
                  r += expect_eq("1st", std::string("7:first"),
                                 std::to_string(m.type) + ":" + std::string(m.text, n));
                  n = msgrcv(id, &m, sizeof m.text, 0, IPC_NOWAIT);
                  r += expect_eq("2nd", std::string("3:a\0b", 5),
                                 std::to_string(m.type) + ":" + std::string(m.text, n));
                  return r + expect_eq("second queue", true, msgget(0x1235, 0) >= 0);
              }),
              "");
}

TEST_P(PreseedInProcess, FixedIdsComeFromNextIdEvenAfterUnfixedObjects) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  spec.objects.sysv_queues.push_back(sysv_queue(0x10));  // would take index 0
                  spec.objects.sysv_queues.push_back(sysv_queue(0x11));
                  spec.objects.sysv_queues.back().id = 0;
                  spec.objects.sysv_semaphores.push_back(sysv_semaphore(0x20, {1}));
                  spec.objects.sysv_semaphores.back().id = 32768 * 2 + 9;
                  spec.objects.sysv_shms.push_back(sysv_shm(0x30, 4096));
                  spec.objects.sysv_shms.back().id = 77;
                  if (auto e = apply(spec); !e.empty()) return e;
                  return expect_eq("queue id", 0, msgget(0x11, 0)) +
                         expect_eq("sem id", 32768 * 2 + 9, semget(0x20, 0, 0)) +
                         expect_eq("shm id", 77, shmget(0x30, 0, 0)) +
                         expect_eq("next_id reset", std::string("-1\n"),
                                   read_proc("/proc/sys/kernel/msg_next_id"));
              }),
              "");
}

TEST_P(PreseedInProcess, SemaphoreValuesAndOwnership) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  auto s = sysv_semaphore(0x2222, {5, 0, 32767});
                  s.access.mode = 0400;  // read-only, yet SETALL must have happened
                  spec.objects.sysv_semaphores.push_back(s);
                  if (auto e = apply(spec); !e.empty()) return e;
                  int id = semget(0x2222, 0, 0);
                  unsigned short v[3] = {9, 9, 9};
                  semid_ds ds{};
                  if (id < 0 || semctl(id, 0, GETALL, v) != 0 || semctl(id, 0, IPC_STAT, &ds) != 0)
                      return std::string("no set");
                  return expect_eq("values", std::string("5 0 32767"),
                                   std::to_string(v[0]) + " " + std::to_string(v[1]) + " " +
                                       std::to_string(v[2])) +
                         expect_eq("nsems", 3ul, ds.sem_nsems) +
                         expect_eq("mode", 0400u, ds.sem_perm.mode & 0777u);
              }),
              "");
}

TEST_P(PreseedInProcess, ShmHoldsInitialBytesEvenWithRmidForced) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  spec.sysctls = {sysctl("kernel.shm_rmid_forced", "1")};
                  auto s = sysv_shm(0x3333, 10000, std::string("blob\0x", 6));
                  s.access.mode = 0444;
                  spec.objects.sysv_shms.push_back(s);
                  if (auto e = apply(spec); !e.empty()) return e;
                  int id = shmget(0x3333, 0, 0);
                  shmid_ds ds{};
                  if (id < 0 || shmctl(id, IPC_STAT, &ds) != 0) return std::string("no segment");
                  auto* p = static_cast<const char*>(shmat(id, nullptr, SHM_RDONLY));
                  if (p == reinterpret_cast<void*>(-1)) return std::string("shmat failed");
                  std::string r =
                      expect_eq("bytes", std::string("blob\0x\0", 7), std::string(p, 7)) +
                      expect_eq("size", 10000ul, ds.shm_segsz) +
                      expect_eq("mode", 0444u, ds.shm_perm.mode & 0777u) +
                      expect_eq("rmid_forced", std::string("1\n"),
                                read_proc("/proc/sys/kernel/shm_rmid_forced"));
                  shmdt(p);
                  return r;
              }),
              "");
}

TEST_P(PreseedInProcess, PosixQueueDeliversInPriorityOrder) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  config::PosixQueue q;
                  q.name = "/jobs";
                  q.max_messages = 5;
                  q.message_size = 32;
                  q.mode = 0604;
                  q.messages = {{1, "low"}, {9, "high"}, {5, "mid"}};
                  spec.objects.posix_queues.push_back(q);
                  umask(022);
                  if (auto e = apply(spec); !e.empty()) return e;
                  mqd_t mq = mq_open("/jobs", O_RDONLY | O_NONBLOCK);
                  if (mq < 0) return std::string("no queue");
                  mq_attr a{};
                  mq_getattr(mq, &a);
                  struct stat st {};
                  fstat(mq, &st);
                  std::string got;
                  char buf[32];
                  unsigned prio;
                  ssize_t n;
                  while ((n = mq_receive(mq, buf, sizeof buf, &prio)) >= 0)
                      got += std::to_string(prio) + ":" + std::string(buf, n) + " ";
                  return expect_eq("order", std::string("9:high 5:mid 1:low "), got) +
                         expect_eq("maxmsg", 5l, a.mq_maxmsg) +
                         expect_eq("msgsize", 32l, a.mq_msgsize) +
                         expect_eq("mode", 0604u, st.st_mode & 0777u) +
                         expect_eq("umask kept", 022u, umask(022));
              }),
              "");
}

TEST_P(PreseedInProcess, PosixShmAndSemaphoreAreFilesInPrivateDevShm) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  config::PosixShm shm;
                  shm.name = "/blob";
                  shm.size_bytes = 8192;
                  shm.mode = 0660;
                  shm.initial = "hello";
                  spec.objects.posix_shms.push_back(shm);
                  config::PosixSemaphore sem;
                  sem.name = "/lock";
                  sem.value = 3;
                  sem.mode = 0640;
                  spec.objects.posix_semaphores.push_back(sem);
                  if (auto e = apply(spec); !e.empty()) return e;
                  struct stat a {
                  }, b{};
                  stat("/dev/shm/blob", &a);
                  stat("/dev/shm/sem.lock", &b);
                  char buf[6] = {};
                  int fd = open("/dev/shm/blob", O_RDONLY);
                  ssize_t n = read(fd, buf, 5);
                  close(fd);
                  int value = -1;
                  sem_t* s = sem_open("/lock", 0);
                  if (s != SEM_FAILED) sem_getvalue(s, &value);
                  return expect_eq("bytes", std::string("hello"), std::string(buf, n > 0 ? n : 0)) +
                         expect_eq("size", 8192l, static_cast<long>(a.st_size)) +
                         expect_eq("shm mode", 0660u, a.st_mode & 0777u) +
                         expect_eq("shm owner", getuid(), a.st_uid) +
                         expect_eq("sem mode", 0640u, b.st_mode & 0777u) +
                         expect_eq("sem value", 3, value);
              }),
              "");
}

TEST_P(PreseedInProcess, FtokKeyIsComputedInside) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  config::SysvQueue q;
                  q.key.ftok_path = "/proc/self/exe";
                  q.key.ftok_proj = 'A';
                  spec.objects.sysv_queues.push_back(q);
                  if (auto e = apply(spec); !e.empty()) return e;
                  return expect_eq("found", true, msgget(ftok("/proc/self/exe", 'A'), 0) >= 0);
              }),
              "");
}

TEST_P(PreseedInProcess, HundredsOfObjects) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  for (int i = 0; i < 300; ++i) {
                      spec.objects.sysv_queues.push_back(
                          sysv_queue(0x5000 + i, {{1, std::to_string(i)}}));
                      spec.objects.sysv_semaphores.push_back(sysv_semaphore(0x6000 + i, {i % 7}));
                  }
                  for (int i = 0; i < 50; ++i) {
                      config::PosixQueue q;
                      q.name = "/q" + std::to_string(i);
                      q.max_messages = 1;
                      q.message_size = 16;
                      spec.objects.posix_queues.push_back(q);
                  }
                  if (auto e = apply(spec); !e.empty()) return e;
                  unsigned short v = 99;
                  int last_sem = semget(0x6000 + 299, 0, 0);
                  semctl(last_sem, 0, GETALL, &v);
                  return expect_eq("last queue", true, msgget(0x5000 + 299, 0) >= 0) +
                         expect_eq("last sem value", 299 % 7, static_cast<int>(v));
              }),
              "");
}

TEST_P(PreseedInProcess, OwnerAndGroupAsSeenInside) {
    // Rootless maps one id (here 1000 inside), so only root can name another group.
    const unsigned owner = 1000, group = GetParam() == Privilege::Root ? 2000 : 1000;
    EXPECT_EQ(run(
                  [&] {
                      Spec spec;
                      auto q = sysv_queue(0x7777, {{1, "x"}});
                      q.access = {0400, owner, group};
                      spec.objects.sysv_queues.push_back(q);
                      auto s = sysv_shm(0x7778, 64, "y");
                      s.access = {0400, owner, group};
                      spec.objects.sysv_shms.push_back(s);
                      if (auto e = apply(spec); !e.empty()) return e;
                      msqid_ds q_ds{};
                      shmid_ds s_ds{};
                      msgctl(msgget(0x7777, 0), IPC_STAT, &q_ds);
                      shmctl(shmget(0x7778, 0, 0), IPC_STAT, &s_ds);
                      return expect_eq("queue owner", owner, q_ds.msg_perm.uid) +
                             expect_eq("queue group", group, q_ds.msg_perm.gid) +
                             expect_eq("queue mode", 0400u, q_ds.msg_perm.mode & 0777u) +
                             expect_eq("queue messages", 1ul, q_ds.msg_qnum) +
                             expect_eq("shm owner", owner, s_ds.shm_perm.uid) +
                             expect_eq("shm creator", getuid(), s_ds.shm_perm.cuid);
                  },
                  {1000, 1000}),
              "");
}

INSTANTIATE_TEST_SUITE_P(Preseed, PreseedInProcess,
                         ::testing::Values(Privilege::Root, Privilege::Rootless), privilege_name);

}  // namespace
}  // namespace ipcbox::test
