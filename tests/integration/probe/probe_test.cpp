// ipcbox probe: every row it measures is checked three ways (against a check the test makes on
// its own objects, against the measured isolation facts, against --explain) and the probe must
// leave nothing behind.
#include <mqueue.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include <filesystem>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "launcher/run/mechanisms.hpp"
#include "seccomp/landlock.hpp"
#include "tests/integration/harness/harness.hpp"
#include "tests/integration/probe/checks.hpp"

namespace ipcbox::test {
namespace {

namespace m = launcher::mechanism;
using Json = nlohmann::json;
using Expected = std::map<std::string, std::string>;

// The facts of ipc-facts.md for the default spec; each configuration changes a few rows.
Expected default_expectation() {
    Expected e;
    for (const char* name : m::kAll) e[name] = "isolated";
    e[m::kPosixQueuePath] = host_has_mqueue_mount() ? "isolated" : "n/a";
    for (const char* name :
         {m::kFifo, m::kUnixSocketPath, m::kUnixSocketAbstract, m::kTcpLoopback, m::kSignal})
        e[name] = "shared";
    // Every escape attempt is refused; mounting over /dev/shm is tried only when it is closed.
    for (const char* name : {m::kEscapeUnmount, m::kEscapeSysctl, m::kEscapeSetns})
        e[name] = "blocked";
    e[m::kEscapeMountShm] = "n/a";
    return e;
}

// The probe's own processes (its signal helper is a fork of it) have this in their cmdline.
std::string probe_marker() {
    return staging_dir() + "/ipcbox" + std::string(1, '\0') + "probe";
}

bool sysv_key_exists(const Json& objects, const char* name) {
    if (!objects.contains(name)) return false;
    const key_t key = objects.at(name).at("key").get<key_t>();
    const std::string kind = name;
    if (kind == "sysv_queue") return msgget(key, 0) >= 0;
    if (kind == "sysv_semaphore") return semget(key, 0, 0) >= 0;
    return shmget(key, 0, 0) >= 0;
}

// Every object the probe says it made is gone again.
void expect_gone(const Json& objects) {
    namespace fs = std::filesystem;
    for (const char* kind : {"sysv_queue", "sysv_semaphore", "sysv_shm"}) {
        EXPECT_TRUE(objects.contains(kind)) << kind;
        EXPECT_FALSE(sysv_key_exists(objects, kind)) << kind;
    }
    const std::string mq = objects.value("posix_queue", "");
    ASSERT_FALSE(mq.empty());
    EXPECT_EQ(mq_open(mq.c_str(), O_RDONLY), static_cast<mqd_t>(-1));
    EXPECT_EQ(errno, ENOENT) << mq;
    const std::string shm = objects.value("posix_shm", ""),
                      sem = objects.value("posix_semaphore", "");
    ASSERT_FALSE(shm.empty() || sem.empty());
    EXPECT_FALSE(fs::exists("/dev/shm" + shm)) << shm;
    EXPECT_FALSE(fs::exists("/dev/shm/sem." + sem.substr(1))) << sem;
    for (const char* path : {"fifo", "unix_socket", "temp_dir", "mqueue_path"})
        if (objects.contains(path)) {
            EXPECT_FALSE(fs::exists(objects.value(path, ""))) << path;
        }
    EXPECT_TRUE(objects.contains("temp_dir"));
}

class Probe : public AsEachUser {
  protected:
    void check(const std::vector<std::string>& flags, const Expected& expected) {
        const auto before = probe_leftovers();
        std::vector<std::string> args{"probe", "--json"};
        args.insert(args.end(), flags.begin(), flags.end());
        Outcome o = ipcbox(args);
        ASSERT_EQ(o.exit_code, 0) << o.err;
        EXPECT_EQ(o.err.find("warning"), std::string::npos) << o.err;
        const Json report = Json::parse(o.out);
        const Json& rows = report.at("rows");
        ASSERT_EQ(rows.size(), std::size(m::kAll)) << o.out;
        for (size_t i = 0; i < rows.size(); ++i) {
            const std::string name = m::kAll[i];
            SCOPED_TRACE(name);
            const Json& row = rows[i];
            ASSERT_EQ(row.at("mechanism"), name);
            const std::string measured = row.at("measured");
            EXPECT_EQ(measured, expected.at(name)) << row.dump();
            EXPECT_EQ(row.at("predicted"), measured) << row.dump();
            EXPECT_TRUE(row.at("agrees").get<bool>());
            EXPECT_EQ(independent_verdict(who(), flags, name), measured) << row.dump();
        }
        EXPECT_TRUE(report.at("warnings").empty()) << report.at("warnings").dump();
        expect_gone(report.at("host_objects"));
        EXPECT_EQ(probe_leftovers(), before);
        EXPECT_FALSE(process_with_marker_exists(probe_marker()));
    }
};

TEST_P(Probe, DefaultSpec) {
    check({}, default_expectation());
}

TEST_P(Probe, NetAndPid) {
    Expected e = default_expectation();
    for (const char* name : {m::kUnixSocketAbstract, m::kTcpLoopback, m::kSignal})
        e[name] = "isolated";
    check({"--net", "--pid"}, e);
}

TEST_P(Probe, DevShmHost) {
    Expected e = default_expectation();
    e[m::kPosixShm] = e[m::kPosixSemaphore] = "shared";
    check({"--dev-shm", "host"}, e);
}

TEST_P(Probe, DevShmNone) {
    Expected e = default_expectation();
    e[m::kPosixShm] = e[m::kPosixSemaphore] = "blocked";
    e[m::kEscapeMountShm] = "blocked";
    check({"--dev-shm", "none"}, e);
}

TEST_P(Probe, BlockedSysvQueue) {
    Expected e = default_expectation();
    e[m::kSysvQueue] = e[m::kSysvQueueId] = "blocked";
    check({"--block", "sysv.queue", "--block-errno", "ENOSYS"}, e);
}

// A kept capability (in the command's nested user namespace): still nothing undone.
TEST_P(Probe, KeptCapabilityAndBlockedPosixShm) {
    Expected e = default_expectation();
    e[m::kPosixShm] = e[m::kPosixSemaphore] = "blocked";
    e[m::kEscapeMountShm] = "blocked";
    check({"--cap-add", "CAP_NET_ADMIN", "--block", "posix.shm"}, e);
}

// Any uid: root's command runs as host uid 4242 (rootless, as 4242 of a nested user namespace).
// The probe gives its objects and its signal helper to that uid, so what it measures is what the
// namespaces isolate, not file permissions: the same verdicts as the default run, all agreeing.
TEST_P(Probe, ANonZeroUidMeasuresTheSameRows) {
    Outcome o = ipcbox({"probe", "--json", "--uid", "4242", "--gid", "4242"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.err.find("warning"), std::string::npos) << o.err;
    const Json report = Json::parse(o.out);
    const Expected expected = default_expectation();
    for (const Json& row : report.at("rows")) {
        const std::string name = row.at("mechanism");
        EXPECT_EQ(row.at("measured"), expected.at(name)) << row.dump();
        EXPECT_TRUE(row.at("agrees").get<bool>()) << row.dump();
    }
    expect_gone(report.at("host_objects"));
}

TEST_P(Probe, SpecFile) {
    Expected e = default_expectation();
    e[m::kSignal] = "isolated";
    e[m::kPosixShm] = e[m::kPosixSemaphore] = "shared";
    const std::string spec = write_spec("[sandbox]\npid = true\n[dev_shm]\nmode = \"host\"\n");
    check({"-c", spec}, e);
}

// The probe's FIFO and socket (and the independent check's) live under the tmpfs path, which
// the test's own directory stands in for (so the staged programs stay visible).
struct PrivateDir {
    std::string path = staging_dir() + "/probe-private-" + std::to_string(getpid());
    PrivateDir() {
        std::filesystem::create_directory(path);
        std::filesystem::permissions(path, std::filesystem::perms(01777));
    }
    ~PrivateDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

TEST_P(Probe, PrivatePaths) {
    PrivateDir dir;
    Expected e = default_expectation();
    e[m::kFifo] = e[m::kUnixSocketPath] = "isolated";
    check({"--tmpfs", dir.path}, e);
    EXPECT_TRUE(std::filesystem::is_empty(dir.path));
}

TEST_P(Probe, LandlockScopesAndPrivatePaths) {
    const seccomp::LandlockAbi abi = seccomp::query_landlock_abi();
    if (abi.version < seccomp::kLandlockScopesAbi)
        IPCBOX_SKIP("Landlock scopes need ABI 6; this kernel has " + abi.str());
    PrivateDir dir;
    Expected e = default_expectation();
    e[m::kFifo] = e[m::kUnixSocketPath] = "isolated";
    e[m::kUnixSocketAbstract] = e[m::kSignal] = "blocked";
    check({"--scope", "abstract-unix", "--scope", "signal", "--tmpfs", dir.path}, e);
}

TEST_P(Probe, TableHasOneRowPerMechanism) {
    Outcome o = ipcbox({"probe", "--net"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.err, "");
    EXPECT_EQ(o.out.rfind("MECHANISM", 0), 0u) << o.out;
    size_t lines = 0;
    for (char c : o.out) lines += c == '\n';
    EXPECT_EQ(lines, 1 + std::size(m::kAll)) << o.out;
    for (const char* name : m::kAll)
        EXPECT_NE(o.out.find("\n" + std::string(name) + "  "), std::string::npos) << name;
    const size_t tcp = o.out.find("\ntcp (loopback) ");
    ASSERT_NE(tcp, std::string::npos) << o.out;
    const std::string row = o.out.substr(tcp + 1, o.out.find('\n', tcp + 1) - tcp - 1);
    EXPECT_NE(row.find(" isolated  ECONNREFUSED  new network namespace"), std::string::npos) << row;
}

TEST_P(Probe, ExplainPredictsTheSameRows) {
    Outcome o = ipcbox({"run", "--explain", "--", "/bin/true"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    for (const char* name : m::kAll)
        EXPECT_NE(o.out.find("\n  " + std::string(name) + "  "), std::string::npos) << name;
}

TEST_P(Probe, RefusesACommand) {
    Outcome o = ipcbox({"probe", "--", "/bin/true"});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_NE(o.err.find("takes no command"), std::string::npos) << o.err;
}

// An outer namespace stands in for a host with an mqueue mount (this machine has none): the
// probe's queue there must be unreachable through a covered mount and reachable without a
// mount namespace, as a queue of the test's own shows.
TEST_P(Probe, MqueueMountPath) {
    IPCBOX_REQUIRE_USERNS();
    const std::string box = staging_dir() + "/ipcbox";
    auto in_mqueue_world = [&](const std::string& command) {
        return run_program(who(), {"/usr/bin/unshare", "-Urim", "/bin/sh", "-c",
                                   "mount -t tmpfs tmpfs /mnt && mkdir /mnt/mq && "
                                   "mount -t mqueue mqueue /mnt/mq && " +
                                       command});
    };
    const std::string name = "/ipcbox-test-mqpath";
    for (const auto& [flags, verdict] : std::vector<std::pair<std::string, std::string>>{
             {"", "isolated"}, {" --no-mount --dev-shm host", "shared"}}) {
        SCOPED_TRACE(flags);
        Outcome o =
            in_mqueue_world(box + " probe --json" + flags + " && echo LEFT:$(ls -A /mnt/mq)");
        ASSERT_EQ(o.exit_code, 0) << o.err;
        EXPECT_EQ(o.err.find("warning"), std::string::npos) << o.err;
        const size_t left = o.out.find("LEFT:");
        ASSERT_NE(left, std::string::npos) << o.out;
        EXPECT_EQ(o.out.substr(left), "LEFT:\n");
        const Json report = Json::parse(o.out.substr(0, left));
        const Json& row = report.at("rows").at(7);
        ASSERT_EQ(row.at("mechanism"), m::kPosixQueuePath);
        EXPECT_EQ(row.at("measured"), verdict) << row.dump();
        EXPECT_EQ(row.at("predicted"), verdict) << row.dump();
        Outcome check =
            in_mqueue_world(support("isolation") + " mq-create " + name + " && " + box + " run" +
                            flags + " -- " + support("isolation") + " path-exists /mnt/mq" + name);
        EXPECT_EQ(check.exit_code, verdict == "shared" ? 0 : 1) << check.out << check.err;
    }
}

INSTANTIATE_TEST_SUITE_P(Probe, Probe, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
