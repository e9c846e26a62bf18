// Landlock scopes: the ABI check with any kernel's answer, and the restriction itself in a forked
// child (no launcher) against a listener and a process of the test's own.
#include "seccomp/landlock.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <functional>

#include "seccomp/filter.hpp"
#include "tests/common/skip.hpp"

namespace ipcbox::seccomp {
namespace {

using config::Scope;

TEST(LandlockPlan, ScopesNeedAbiSix) {
    auto both = plan_scopes({Scope::Signal, Scope::AbstractUnix}, LandlockAbi{6, 0});
    ASSERT_TRUE(both.ok()) << both.error().message;
    EXPECT_TRUE(both->abstract_unix);
    EXPECT_TRUE(both->signal);
    auto one = plan_scopes({Scope::AbstractUnix}, LandlockAbi{7, 0});
    ASSERT_TRUE(one.ok());
    EXPECT_TRUE(one->abstract_unix);
    EXPECT_FALSE(one->signal);

    auto old = plan_scopes({Scope::Signal}, LandlockAbi{5, 0});
    ASSERT_FALSE(old.ok());
    EXPECT_EQ(old.error().message,
              "sandbox.scope: Landlock scopes need Landlock ABI 6 (Linux 6.12); this kernel has "
              "ABI 5");
    EXPECT_NE(old.error().hint.find("sandbox.net and sandbox.pid"), std::string::npos);
    auto absent = plan_scopes({Scope::Signal}, LandlockAbi{0, ENOSYS});
    ASSERT_FALSE(absent.ok());
    EXPECT_EQ(absent.error().message,
              "sandbox.scope: Landlock scopes need Landlock ABI 6 (Linux 6.12); this kernel has "
              "none (not built into this kernel)");
    auto disabled = plan_scopes({Scope::AbstractUnix}, LandlockAbi{0, EOPNOTSUPP});
    ASSERT_FALSE(disabled.ok());
    EXPECT_EQ(disabled.error().hint, "add landlock to the kernel's lsm= boot parameter");
}

TEST(LandlockPlan, NoScopesNeedNoLandlock) {
    auto none = plan_scopes({}, LandlockAbi{0, ENOSYS});
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->any());
}

TEST(LandlockPlan, AbiNames) {
    EXPECT_EQ((LandlockAbi{7, 0}).str(), "ABI 7");
    EXPECT_EQ((LandlockAbi{0, EOPNOTSUPP}).str(), "none (disabled at boot)");
    EXPECT_EQ((LandlockAbi{0, EINVAL}).str(), "none (landlock_create_ruleset: Invalid argument)");
}

// An abstract listener of the test's own, closed at the end.
struct Listener {
    std::string name = "ipcbox-unit-landlock-" + std::to_string(getpid());
    int fd = -1;
    Listener() {
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr = address(name);
        if (bind(fd, reinterpret_cast<sockaddr*>(&addr), length(name)) != 0 || listen(fd, 8) != 0)
            fd = -1;
    }
    ~Listener() {
        if (fd >= 0) close(fd);
    }
    static sockaddr_un address(const std::string& name) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path + 1, name.data(), name.size());
        return addr;
    }
    static socklen_t length(const std::string& name) {
        return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    }
};

// 0 when connecting to the abstract `name` works, else its errno.
int connect_errno(const std::string& name) {
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr = Listener::address(name);
    const int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), Listener::length(name));
    const int err = rc == 0 ? 0 : errno;
    close(fd);
    return err;
}

// Runs `check` in a forked child after NO_NEW_PRIVS and `scopes`; its exit code (99: the
// restriction itself failed).
int restricted(const LandlockScopes& scopes, const std::function<int()>& check) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (!set_no_new_privs() || !restrict_scopes(scopes)) _exit(99);
        _exit(check());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class LandlockRestrict : public ::testing::Test {
  protected:
    void SetUp() override {
        const LandlockAbi abi = query_landlock_abi();
        if (abi.version < kLandlockScopesAbi)
            IPCBOX_SKIP("this kernel's Landlock has no scopes: " + abi.str());
    }
};

TEST_F(LandlockRestrict, AbstractSocketsOutsideAreRefused) {
    Listener host;
    ASSERT_GE(host.fd, 0);
    ASSERT_EQ(connect_errno(host.name), 0);  // control: reachable without the scope
    const LandlockScopes abstract{.abstract_unix = true};
    EXPECT_EQ(restricted(abstract, [&] { return connect_errno(host.name); }), EPERM);
    // A listener made inside the restricted process stays reachable from it.
    EXPECT_EQ(restricted(abstract,
                         [] {
                             Listener own;
                             return own.fd < 0 ? 98 : connect_errno(own.name);
                         }),
              0);
    // The signal scope alone leaves sockets alone.
    EXPECT_EQ(restricted({.signal = true}, [&] { return connect_errno(host.name); }), 0);
}

TEST_F(LandlockRestrict, SignalsOutsideAreRefused) {
    auto kill_parent = [] { return kill(getppid(), 0) == 0 ? 0 : errno; };
    EXPECT_EQ(restricted({.signal = true}, kill_parent), EPERM);
    EXPECT_EQ(restricted({.abstract_unix = true}, kill_parent), 0);
    // Its own children are inside the same domain.
    EXPECT_EQ(restricted({.signal = true},
                         [] {
                             const pid_t child = fork();
                             if (child == 0) {
                                 pause();
                                 _exit(0);
                             }
                             const int rc = kill(child, SIGKILL) == 0 ? 0 : errno;
                             waitpid(child, nullptr, 0);
                             return rc;
                         }),
              0);
}

TEST_F(LandlockRestrict, NoScopesChangeNothing) {
    Listener host;
    ASSERT_GE(host.fd, 0);
    EXPECT_EQ(
        restricted({}, [&] { return connect_errno(host.name) + (kill(getppid(), 0) ? 1 : 0); }), 0);
}

}  // namespace
}  // namespace ipcbox::seccomp
