// POSIX queue memory is charged to the user's RLIMIT_MSGQUEUE (819,200 bytes by default). A
// sandbox's queues are unlinked before ipcbox lets go of it, so back-to-back runs that each preseed
// a queue taking most of the limit never find it still held by the previous run (EMFILE), and a
// queue that cannot fit says what the limit is and what holds it.
#include <sys/resource.h>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

using MqueueCharge = AsEachUser;

// 64 x 8 KiB: about 530,000 bytes charged, so two at once do not fit in 819,200.
constexpr const char* kLargeQueue = R"(
[sysctl]
fs.mqueue.msg_max = 64
[[posix.queue]]
name = "/large"
max_messages = 64
message_size = 8192
messages = [{ text = "job" }]
)";

TEST_P(MqueueCharge, BackToBackRunsNeverFindTheLimitTaken) {
    rlimit lim{};
    ASSERT_EQ(getrlimit(RLIMIT_MSGQUEUE, &lim), 0);
    ASSERT_LT(lim.rlim_cur, 2u * 64 * 8192) << "the limit must not hold two such queues";
    const std::string spec = write_spec(kLargeQueue);
    int failed = 0;
    std::string first_error;
    for (int run = 0; run < 40; ++run) {
        Outcome o = ipcbox({"run", "-c", spec, "--", support("ipcread"), "mqread", "/large"});
        if (o.exit_code == 0 && o.out.find("mqend 1") != std::string::npos) continue;
        ++failed;
        if (first_error.empty()) first_error = o.err + o.out;
    }
    EXPECT_EQ(failed, 0) << first_error;
}

TEST_P(MqueueCharge, AQueueOverTheLimitSaysWhatTheLimitIs) {
    rlimit lim{};
    ASSERT_EQ(getrlimit(RLIMIT_MSGQUEUE, &lim), 0);
    ASSERT_LT(lim.rlim_cur, 64u * 16384);
    const std::string spec = write_spec(R"(
[sysctl]
fs.mqueue.msg_max = 64
fs.mqueue.msgsize_max = 16384
[[posix.queue]]
name = "/huge"
max_messages = 64
message_size = 16384
)");
    Outcome o = ipcbox({"run", "-c", spec, "--", "/bin/true"});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_EQ(o.err.substr(0, o.err.find('\n')),
              "ipcbox: posix.queue[0] (/huge): mq_open: Too many open files (RLIMIT_MSGQUEUE is " +
                  std::to_string(lim.rlim_cur) +
                  " bytes for the user running ipcbox; this queue needs more than 1048576 "
                  "(max_messages x message_size) and the rest is held by that user's other POSIX "
                  "queues, in any IPC namespace (a sandbox that has just ended frees its own a "
                  "moment later): lower max_messages or message_size, or raise the limit (ulimit "
                  "-q))");
}

INSTANTIATE_TEST_SUITE_P(, MqueueCharge, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
