// preseed() with accept_identical_existing, as `ipcbox hook` uses it for the containers of a pod:
// a second run finds every object and leaves it alone; an object that differs is an error that
// names it by its index in the spec.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/shm.h>

#include "ipc/preseed/preseed.hpp"
#include "tests/common/skip.hpp"
#include "tests/unit/sandbox/sandbox.hpp"

namespace ipcbox::test {
namespace {

using config::Spec;

class PreseedExisting : public ::testing::TestWithParam<Privilege> {
  protected:
    void SetUp() override {
        if (!can_run(GetParam())) IPCBOX_SKIP("needs root, or user namespaces");
    }
    std::string run(const std::function<std::string()>& check) {
        return in_sandbox(GetParam(), check);
    }
};

const ipc::PreseedOptions kAccept{.accept_identical_existing = true};

Spec every_kind() {
    Spec spec;
    auto q = sysv_queue(0x5101, {{1, "m"}});
    q.access.mode = 0640;
    q.max_bytes = 4096;
    spec.objects.sysv_queues = {q};
    spec.objects.sysv_semaphores = {sysv_semaphore(0x5102, {1, 2, 3})};
    auto shm = sysv_shm(0x5103, 100, "x");
    shm.id = 9;
    spec.objects.sysv_shms = {shm};
    // IPC_PRIVATE, found again through its fixed id.
    auto priv = sysv_shm(IPC_PRIVATE, 50);
    priv.id = 11;
    spec.objects.sysv_shms.push_back(priv);
    config::PosixQueue mq;
    mq.name = "/q";
    mq.max_messages = 5;
    mq.message_size = 64;
    spec.objects.posix_queues = {mq};
    config::PosixShm pshm;
    pshm.name = "/s";
    pshm.size_bytes = 32;
    pshm.mode = 0644;
    spec.objects.posix_shms = {pshm};
    config::PosixSemaphore sem;
    sem.name = "/r";
    sem.value = 2;
    spec.objects.posix_semaphores = {sem};
    return spec;
}

std::string counts(const Result<ipc::PreseedCounts>& r) {
    if (!r) return "error: " + r.error().message;
    return std::to_string(r->created) + " created, " + std::to_string(r->existing) + " existing";
}

// The first error of preseeding `second` after `first`, or a marker.
std::string clash(const Spec& first, const Spec& second) {
    if (auto r = ipc::preseed(first.objects, kAccept); !r) return "first: " + r.error().message;
    auto r = ipc::preseed(second.objects, kAccept);
    return r ? "(no error)" : r.error().message;
}

TEST_P(PreseedExisting, SecondRunFindsEveryObject) {
    EXPECT_EQ(run([] {
                  const Spec spec = every_kind();
                  const std::string first = counts(ipc::preseed(spec.objects, kAccept));
                  const std::string second = counts(ipc::preseed(spec.objects, kAccept));
                  return expect_eq("first", std::string("7 created, 0 existing"), first) +
                         expect_eq("second", std::string("0 created, 7 existing"), second);
              }),
              "");
}

TEST_P(PreseedExisting, WithoutTheOptionAnExistingObjectIsStillAnError) {
    EXPECT_EQ(run([] {
                  Spec spec;
                  spec.objects.sysv_queues = {sysv_queue(0x5104)};
                  if (auto s = ipc::preseed(spec.objects); !s) return "first: " + s.error().message;
                  auto r = ipc::preseed(spec.objects, ipc::PreseedOptions{});
                  if (r) return std::string("second run succeeded");
                  return expect_eq("error", EEXIST, r.error().err);
              }),
              "");
}

TEST_P(PreseedExisting, DifferentAttributesAreAnError) {
    EXPECT_EQ(run([] {
                  const Spec spec = every_kind();
                  std::string out;
                  Spec q = spec;
                  q.objects.sysv_queues[0].access.mode = 0600;
                  q.objects.sysv_queues[0].max_bytes = 2048;
                  out += expect_eq("queue",
                                   std::string("sysv.queue[0] (key 0x5101): already exists with "
                                               "other attributes: mode 0640 (spec: 0600), "
                                               "max_bytes 4096 (spec: 2048)"),
                                   clash(spec, q));
                  Spec s = spec;
                  s.objects.sysv_semaphores[0].values = {1};
                  out += expect_eq("sem",
                                   std::string("sysv.semaphore[0] (key 0x5102): already exists "
                                               "with other attributes: values (count) 3 (spec: 1)"),
                                   clash(spec, s));
                  Spec m = spec;
                  m.objects.sysv_shms[0].size_bytes = 200;
                  m.objects.sysv_shms[0].id.reset();
                  out += expect_eq("shm",
                                   std::string("sysv.shm[0] (key 0x5103): already exists with "
                                               "other attributes: size 100 (spec: 200)"),
                                   clash(spec, m));
                  Spec pq = spec;
                  pq.objects.posix_queues[0].max_messages = 6;
                  out += expect_eq("mq",
                                   std::string("posix.queue[0] (/q): already exists with other "
                                               "attributes: max_messages 5 (spec: 6)"),
                                   clash(spec, pq));
                  Spec ps = spec;
                  ps.objects.posix_shms[0].mode = 0600;
                  out += expect_eq("pshm",
                                   std::string("posix.shm[0] (/s): already exists with other "
                                               "attributes: mode 0644 (spec: 0600)"),
                                   clash(spec, ps));
                  return out;
              }),
              "");
}

TEST_P(PreseedExisting, ErrorsOfNewObjectsKeepTheirSpecIndex) {
    EXPECT_EQ(run([] {
                  Spec first;
                  first.objects.sysv_queues = {sysv_queue(0x5105)};
                  if (auto s = ipc::preseed(first.objects); !s)
                      return "first: " + s.error().message;
                  // queue[0] exists; queue[1] is new and its message type is invalid.
                  Spec spec;
                  spec.objects.sysv_queues = {sysv_queue(0x5105), sysv_queue(0x5106, {{0, "m"}})};
                  auto r = ipc::preseed(spec.objects, kAccept);
                  if (r) return std::string("succeeded");
                  return expect_eq("prefix", std::string("sysv.queue[1] (key 0x5106): msgsnd"),
                                   r.error().message.substr(0, 34));
              }),
              "");
}

// A spec that fails half-way takes back what it made and keeps what was there: the next run
// finds nothing of its own and fails the same way, never "1 already present".
TEST_P(PreseedExisting, AFailureTakesBackWhatItMade) {
    EXPECT_EQ(run([] {
                  Spec before;
                  before.objects.sysv_queues = {sysv_queue(0x5110)};
                  if (auto r = ipc::preseed(before.objects); !r)
                      return "before: " + r.error().message;
                  Spec spec = every_kind();
                  spec.objects.sysv_queues.push_back(sysv_queue(0x5110));
                  // Fails last: the POSIX semaphores come after every other kind.
                  config::PosixSemaphore clash;
                  clash.name = "/r";
                  spec.objects.posix_semaphores.push_back(clash);
                  auto first = ipc::preseed(spec.objects, kAccept);
                  auto second = ipc::preseed(spec.objects, kAccept);
                  if (first || second) return std::string("a run succeeded");
                  std::string out =
                      expect_eq("second error", first.error().message, second.error().message);
                  out += expect_eq("kept", true, msgget(0x5110, 0) >= 0);
                  out += expect_eq("taken back", false, msgget(0x5101, 0) >= 0);
                  out += expect_eq("segment", false, shmget(0x5103, 0, 0) >= 0);
                  out += expect_eq("queue", false, mq_open("/q", O_RDONLY) >= 0);
                  out += expect_eq("shm", false, shm_open("/s", O_RDONLY, 0) >= 0);
                  out += expect_eq("semaphore", false, sem_open("/r", 0) != SEM_FAILED);
                  return out;
              }),
              "");
}

INSTANTIATE_TEST_SUITE_P(Both, PreseedExisting,
                         ::testing::Values(Privilege::Root, Privilege::Rootless), privilege_name);

}  // namespace
}  // namespace ipcbox::test
