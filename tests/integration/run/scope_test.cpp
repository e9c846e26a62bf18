// --scope: Landlock keeps the command from host abstract sockets and host processes, without a
// namespace, while the host network and the sandbox's own sockets and processes keep working.
// Every listener and process signalled here is the test's own.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>

#include "seccomp/landlock.hpp"
#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {
namespace {

// A listening socket of the test's own, closed when the test ends.
struct Listener {
    int fd = -1;
    int port = 0;  // for TCP
    ~Listener() {
        if (fd >= 0) close(fd);
    }
    static Listener abstract(const std::string& name) {
        Listener l;
        l.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path + 1, name.data(), name.size());
        const socklen_t len = offsetof(sockaddr_un, sun_path) + 1 + name.size();
        if (bind(l.fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(l.fd, 8) != 0)
            l.close_now();
        return l;
    }
    static Listener loopback() {
        Listener l;
        l.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (bind(l.fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(l.fd, 8) != 0 ||
            getsockname(l.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            l.close_now();
        else
            l.port = ntohs(addr.sin_port);
        return l;
    }
    Listener() = default;
    Listener(Listener&& o) noexcept : fd(std::exchange(o.fd, -1)), port(o.port) {}
    void close_now() {
        if (fd >= 0) close(fd);
        fd = -1;
    }
};

class Scope : public AsEachUser {
  protected:
    void SetUp() override {
        AsEachUser::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        const seccomp::LandlockAbi abi = seccomp::query_landlock_abi();
        if (abi.version < seccomp::kLandlockScopesAbi)
            IPCBOX_SKIP("Landlock scopes need ABI 6; this kernel has " + abi.str());
    }
    Outcome inside(const std::vector<std::string>& flags, const std::vector<std::string>& op) {
        std::vector<std::string> args{"run"};
        args.insert(args.end(), flags.begin(), flags.end());
        args.push_back("--");
        args.push_back(support("isolation"));
        args.insert(args.end(), op.begin(), op.end());
        return ipcbox(args);
    }
};

const std::string kAbstract = "--scope=abstract-unix";
const std::string kSignal = "--scope=signal";

TEST_P(Scope, HostAbstractSocketsAreRefusedButLoopbackTcpWorks) {
    const std::string name = "ipcbox-test-scope-" + std::to_string(getpid());
    Listener host = Listener::abstract(name);
    Listener tcp = Listener::loopback();
    ASSERT_GE(host.fd, 0);
    ASSERT_GE(tcp.fd, 0);
    Outcome control = inside({}, {"abstract-connect", name});
    EXPECT_EQ(control.exit_code, 0) << control.out << control.err;
    Outcome scoped = inside({kAbstract}, {"abstract-connect", name});
    EXPECT_EQ(scoped.exit_code, 1) << scoped.err;
    EXPECT_EQ(scoped.out, "EPERM\n");
    Outcome loopback = inside({kAbstract, kSignal}, {"tcp-connect", std::to_string(tcp.port)});
    EXPECT_EQ(loopback.exit_code, 0) << loopback.out << loopback.err;
}

TEST_P(Scope, AbstractSocketsMadeInsideStillWork) {
    Outcome o =
        inside({kAbstract}, {"abstract-self", "ipcbox-test-own-" + std::to_string(getpid())});
    EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
}

TEST_P(Scope, HostProcessesOfTheSameUserCannotBeSignalled) {
    // Control: without the scope the sandbox reaches a process of the same user.
    Spawned reached(who(), {support("isolation"), "wait-signal"});
    ASSERT_TRUE(reached.wait_for_output("ready"));
    Outcome control = inside({}, {"kill", std::to_string(reached.pid()), "10"});
    EXPECT_EQ(control.exit_code, 0) << control.out << control.err;
    EXPECT_EQ(reached.wait().exit_code, 100 + SIGUSR1);

    Spawned target(who(), {support("isolation"), "wait-signal"});
    ASSERT_TRUE(target.wait_for_output("ready"));
    Outcome scoped = inside({kSignal}, {"kill", std::to_string(target.pid()), "10"});
    EXPECT_EQ(scoped.exit_code, 1) << scoped.err;
    EXPECT_EQ(scoped.out, "EPERM\n");
    // The first signal the target ever got is the test's own SIGTERM, not the sandbox's SIGUSR1.
    target.send(SIGTERM);
    EXPECT_EQ(target.wait().exit_code, 100 + SIGTERM);
}

TEST_P(Scope, SignalsWithinTheSandboxWorkAndPidsStayReal) {
    Outcome o = ipcbox(
        {"run", kSignal, "--", "/bin/sh", "-c", "/bin/sleep 30 & kill -USR1 $!; wait $!; echo $?"});
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, std::to_string(128 + SIGUSR1) + "\n");
    Outcome ns = ipcbox({"run", kSignal, "--", "/usr/bin/readlink", "/proc/self/ns/pid"});
    EXPECT_EQ(ns.out, std::filesystem::read_symlink("/proc/self/ns/pid").string() + "\n");
}

// The scope confines the command, not ipcbox: signals sent to ipcbox still reach it.
TEST_P(Scope, SignalsToIpcboxAreStillPassedOn) {
    Spawned box(who(), {staging_dir() + "/ipcbox", "run", kSignal, "--", support("isolation"),
                        "wait-signal"});
    ASSERT_TRUE(box.wait_for_output("ready"));
    box.send(SIGUSR1);
    EXPECT_EQ(box.wait().exit_code, 100 + SIGUSR1);
}

TEST_P(Scope, SpecKeyAndExplain) {
    const std::string name = "ipcbox-test-scope-spec-" + std::to_string(getpid());
    Listener host = Listener::abstract(name);
    ASSERT_GE(host.fd, 0);
    const std::string spec = write_spec("[sandbox]\nscope = [\"abstract-unix\", \"signal\"]\n");
    Outcome o = inside({"-c", spec}, {"abstract-connect", name});
    EXPECT_EQ(o.out, "EPERM\n") << o.err;
    Outcome explain = ipcbox({"run", "--explain", "-c", spec, "--", "/bin/true"});
    ASSERT_EQ(explain.exit_code, 0) << explain.err;
    const std::string abi = seccomp::query_landlock_abi().str();
    EXPECT_NE(explain.out.find("\nlandlock: " + abi + "; scopes: abstract-unix, signal\n"),
              std::string::npos)
        << explain.out;
    EXPECT_NE(explain.out.find("blocked  (Landlock scope signal"), std::string::npos);
    // A flag replaces the spec's list.
    Outcome flag = ipcbox({"run", "--explain", "-c", spec, kSignal, "--", "/bin/true"});
    EXPECT_NE(flag.out.find("; scopes: signal\n"), std::string::npos) << flag.out;
}

TEST_P(Scope, UnknownScopeIsAnError) {
    Outcome o = ipcbox({"run", "--scope", "abstract", "--", "/bin/true"});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_EQ(o.err, "ipcbox: --scope: 'abstract' is not one of \"abstract-unix\", \"signal\"\n");
    const std::string spec = write_spec("[sandbox]\nscope = [\"sginal\"]\n");
    Outcome v = ipcbox({"validate", spec});
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(v.err, "ipcbox: " + spec +
                         ":2:10: sandbox.scope[0]: 'sginal' is not one of \"abstract-unix\", "
                         "\"signal\"; did you mean \"signal\"?\n");
}

INSTANTIATE_TEST_SUITE_P(Run, Scope, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
