// --tmpfs / sandbox.tmpfs: a fresh, empty tmpfs over a host directory, so FIFOs, path sockets and
// lock files there are the sandbox's own, in both directions. Every host file made here is
// removed at the end.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/integration/harness/harness.hpp"

namespace fs = std::filesystem;

namespace ipcbox::test {
namespace {

using Tmpfs = AsEachUser;

// A host path the test may leave behind: removed (with what is under it) when the test ends.
struct RemoveAtEnd {
    std::string path;
    ~RemoveAtEnd() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

// A directory of the test's own in the staging directory, with `mode`.
struct TestDir : RemoveAtEnd {
    explicit TestDir(const std::string& what, fs::perms mode = fs::perms(0755))
        : RemoveAtEnd{staging_dir() + "/" + what + "-" + std::to_string(getpid())} {
        fs::create_directory(path);
        fs::permissions(path, mode);
    }
};

TEST_P(Tmpfs, HostFifoInTmpIsInvisibleAndOneMadeInsideStaysInside) {
    const std::string tag = std::to_string(getpid()) + (who() == As::Root ? "-root" : "-nobody");
    const std::string host_fifo = "/tmp/ipcbox-test-fifo-" + tag;
    const std::string inside_fifo = "/tmp/ipcbox-test-made-inside-" + tag;
    RemoveAtEnd host_guard{host_fifo}, inside_guard{inside_fifo};
    ASSERT_EQ(mkfifo(host_fifo.c_str(), 0666), 0);
    ASSERT_EQ(chmod(host_fifo.c_str(), 0666), 0);
    const std::string script = "test -p " + host_fifo + " && echo visible || echo absent; " +
                               "/usr/bin/mkfifo " + inside_fifo + " && test -p " + inside_fifo +
                               " && echo made";
    // Control: without --tmpfs the host's FIFO is right there.
    Outcome control =
        ipcbox({"run", "--", "/bin/sh", "-c", "test -p " + host_fifo + " && echo visible"});
    EXPECT_EQ(control.out, "visible\n") << control.err;

    Outcome o = ipcbox({"run", "--tmpfs", "/tmp", "--", "/bin/sh", "-c", script});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "absent\nmade\n");
    EXPECT_FALSE(fs::exists(fs::symlink_status(inside_fifo)));
    EXPECT_TRUE(fs::is_fifo(host_fifo));
    // A fresh tmpfs for everyone's scratch files.
    Outcome st =
        ipcbox({"run", "--tmpfs", "/tmp", "--", "/usr/bin/stat", "-f", "-c", "%T", "/tmp"});
    EXPECT_EQ(st.out, "tmpfs\n") << st.err;
    Outcome mode = ipcbox({"run", "--tmpfs", "/tmp", "--", "/bin/ls", "-A", "/tmp"});
    EXPECT_EQ(mode.out, "") << mode.err;
    Outcome sticky = ipcbox({"run", "--tmpfs", "/tmp", "--", "/usr/bin/stat", "-c", "%a", "/tmp"});
    EXPECT_EQ(sticky.out, "1777\n");
}

TEST_P(Tmpfs, OtherPathsBelongToTheInsideUser) {
    TestDir dir("tmpfs-owner");
    Outcome o =
        ipcbox({"run", "--tmpfs", dir.path, "--", "/usr/bin/stat", "-c", "%a %u %g", dir.path});
    EXPECT_EQ(o.out, "755 0 0\n") << o.err;
    const std::string spec = write_spec(
        "[sandbox]\nuser = \"new\"\nuid = 1234\ngid = 4321\n"
        "tmpfs = [{ path = \"" +
        dir.path + "\", size = \"1M\", mode = 0o700 }]\n");
    Outcome sized = ipcbox({"run", "-c", spec, "--", "/bin/sh", "-c",
                            "/usr/bin/stat -c '%a %u %g' " + dir.path +
                                " && /usr/bin/stat -f -c "
                                "'%b %S' " +
                                dir.path + " && /usr/bin/touch " + dir.path + "/x"});
    EXPECT_EQ(sized.exit_code, 0) << sized.err;
    EXPECT_EQ(sized.out, "700 1234 4321\n256 4096\n");
    EXPECT_TRUE(fs::is_empty(dir.path));
}

// Two PostgreSQL-style servers with the same socket directory path: on the host the second finds
// the first's lock file; each with its own tmpfs there, both start and the host sees neither.
TEST_P(Tmpfs, ServersSharingASocketDirectoryPathDoNotSeeEachOther) {
    TestDir dir("run-postgresql", fs::perms(0777));
    const std::string box = staging_dir() + "/ipcbox";
    {
        Spawned first(who(), {box, "run", "--", support("pglock"), dir.path, "hold"});
        ASSERT_TRUE(first.wait_for_output("ready")) << first.out();
        Outcome second = ipcbox({"run", "--", support("pglock"), dir.path, "once"});
        EXPECT_EQ(second.exit_code, 1);
        EXPECT_EQ(second.out.rfind("lock taken by ", 0), 0u) << second.out;
        first.send(SIGTERM);
        EXPECT_EQ(first.wait().exit_code, 0);
    }
    ASSERT_TRUE(fs::is_empty(dir.path));

    Spawned first(who(),
                  {box, "run", "--tmpfs", dir.path, "--", support("pglock"), dir.path, "hold"});
    ASSERT_TRUE(first.wait_for_output("ready")) << first.out();
    EXPECT_TRUE(fs::is_empty(dir.path));
    Outcome second =
        ipcbox({"run", "--tmpfs", dir.path, "--", support("pglock"), dir.path, "once"});
    EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_EQ(second.out, "started\n");
    EXPECT_TRUE(fs::is_empty(dir.path));
    first.send(SIGTERM);
    Outcome done = first.wait();
    EXPECT_EQ(done.exit_code, 0) << done.err;
}

TEST_P(Tmpfs, PathsThatCannotTakeATmpfsAreErrors) {
    const std::string missing = staging_dir() + "/no-such-dir";
    Outcome o = ipcbox({"run", "--tmpfs", missing, "--", "/bin/true"});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_EQ(o.err, "ipcbox: <command line>: sandbox.tmpfs[0] ('" + missing +
                         "') does not exist on this machine (a tmpfs can only cover an existing "
                         "directory)\n");
    const std::string spec = write_spec("[sandbox]\ntmpfs = [\"/var/tmp\", \"" + missing + "\"]\n");
    Outcome v = ipcbox({"validate", spec});
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(v.err, "ipcbox: " + spec + ":2:22: sandbox.tmpfs[1] ('" + missing +
                         "') does not exist on this machine (a tmpfs can only cover an existing "
                         "directory)\n");
    Outcome shm = ipcbox({"run", "--tmpfs", "/dev/shm", "--", "/bin/true"});
    EXPECT_EQ(shm.exit_code, 125);
    EXPECT_EQ(shm.err,
              "ipcbox: --tmpfs: '/dev/shm' is /dev/shm or under it: /dev/shm has its own "
              "setting, dev_shm\n");
    Outcome no_mount =
        ipcbox({"run", "--no-mount", "--dev-shm", "host", "--tmpfs", "/tmp", "--", "/bin/true"});
    EXPECT_EQ(no_mount.exit_code, 125);
    EXPECT_NE(no_mount.err.find("sandbox.tmpfs needs sandbox.mount = true"), std::string::npos)
        << no_mount.err;
    const std::string nul = write_spec("[sandbox]\ntmpfs = [\"/tmp\\u0000/x\"]\n");
    Outcome bad = ipcbox({"validate", nul});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_EQ(bad.err,
              "ipcbox: " + nul + ":2:10: sandbox.tmpfs[0]: '/tmp\\x00/x' contains a NUL byte\n");
}

INSTANTIATE_TEST_SUITE_P(Run, Tmpfs, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
