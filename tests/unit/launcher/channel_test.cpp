// The one parent/child channel and the helper runner built on it: payloads of any size with
// descriptors, failures with any bytes, end of file, and a helper that dies without an answer.
#include "launcher/channel.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "launcher/helper.hpp"

namespace ipcbox::launcher {
namespace {

// Runs `child` in a forked process holding the child's end; returns the parent's end.
Channel in_child(const std::function<void(const Channel&)>& child, pid_t* pid) {
    auto pair = Channel::make();
    EXPECT_TRUE(pair.ok());
    auto& [parent_end, child_end] = *pair;
    *pid = fork();
    if (*pid == 0) {
        parent_end.close();
        child(child_end);
        _exit(0);
    }
    child_end.close();
    return std::move(parent_end);
}

TEST(Channel, CarriesALargePayloadAndDescriptors) {
    const std::string big(200 * 1024 + 7, 'x');
    pid_t pid;
    Channel parent = in_child(
        [&](const Channel& c) {
            const int fd = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
            (void)c.send(big, {fd, STDIN_FILENO});
        },
        &pid);
    auto message = parent.receive();
    waitpid(pid, nullptr, 0);
    ASSERT_TRUE(message.ok()) << message.error().message;
    ASSERT_TRUE(message->has_value());
    const Message& m = **message;
    EXPECT_FALSE(m.failure);
    EXPECT_EQ(m.payload.bytes, big);
    ASSERT_EQ(m.payload.fds.size(), 2u);
    struct stat theirs, ours;
    ASSERT_EQ(fstat(m.payload.fds[0].get(), &theirs), 0);
    ASSERT_EQ(stat("/proc/self/ns/ipc", &ours), 0);
    EXPECT_EQ(theirs.st_ino, ours.st_ino);
    // Received descriptors are close-on-exec.
    EXPECT_EQ(fcntl(m.payload.fds[1].get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    auto eof = parent.receive();
    ASSERT_TRUE(eof.ok());
    EXPECT_FALSE(eof->has_value());
}

TEST(Channel, CarriesAFailureWithAnyBytes) {
    Error e{"sysv.queue[0] (key 0x1): msgget:\n odd \0 bytes", "hint", EEXIST};
    e.message.push_back('\0');
    pid_t pid;
    Channel parent = in_child([&](const Channel& c) { c.send_failure({127, e}); }, &pid);
    auto message = parent.receive();
    waitpid(pid, nullptr, 0);
    ASSERT_TRUE(message.ok()) << message.error().message;
    ASSERT_TRUE(message->has_value());
    ASSERT_TRUE((*message)->failure);
    EXPECT_EQ((*message)->failure->exit_code, 127);
    EXPECT_EQ((*message)->failure->error.message, e.message);
    EXPECT_EQ((*message)->failure->error.hint, "hint");
    EXPECT_EQ((*message)->failure->error.err, EEXIST);
}

TEST(Channel, EndOfFileWithoutAMessageIsNoMessage) {
    pid_t pid;
    Channel parent = in_child([](const Channel&) {}, &pid);
    auto message = parent.receive();
    waitpid(pid, nullptr, 0);
    ASSERT_TRUE(message.ok());
    EXPECT_FALSE(message->has_value());
}

TEST(Helper, ReturnsTheAnswerOrTheError) {
    auto answer = run_helper([]() -> Result<Payload> { return Payload{"42", {}}; });
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    EXPECT_EQ(answer->bytes, "42");
    auto failed = run_helper([]() -> Result<Payload> { return Error::from_errno("step", EPERM); });
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().message, "step: Operation not permitted");
    EXPECT_EQ(failed.error().err, EPERM);
}

TEST(Helper, SaysHowAHelperDiedWithoutAnAnswer) {
    auto died = run_helper(
        []() -> Result<Payload> {
            raise(SIGKILL);
            return Payload{};
        },
        HelperOptions{.name = "the test helper", .quiet_stdio = true, .watch = {}});
    ASSERT_FALSE(died.ok());
    EXPECT_EQ(died.error().message, "the test helper died without an answer (killed by signal 9)");
}

}  // namespace
}  // namespace ipcbox::launcher
