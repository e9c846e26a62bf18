// The spec through the real binary: `ipcbox validate`, and `ipcbox run` refusing a bad spec
// before anything is made.
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {
namespace {

using SpecCli = AsEachUser;

TEST_P(SpecCli, ValidateSaysOkOrNamesFileLineColumn) {
    const std::string good = write_spec("[sandbox]\nnet = true\n");
    const std::string bad = write_spec("[sandbox]\nnet = true\nhostnme = \"x\"\n");
    Outcome ok = ipcbox({"validate", good});
    EXPECT_EQ(ok.exit_code, 0);
    EXPECT_EQ(ok.out, good + ": ok\n");
    Outcome both = ipcbox({"validate", good, bad});
    EXPECT_EQ(both.exit_code, 1);
    EXPECT_EQ(both.out, good + ": ok\n");
    EXPECT_EQ(both.err, "ipcbox: " + bad +
                            ":3:1: sandbox: unknown key 'hostnme'; did you mean 'hostname'?\n");
    Outcome usage = ipcbox({"validate"});
    EXPECT_EQ(usage.exit_code, 2);
}

// Each section is read on its own: a problem in one does not hide those of the others, and they
// come in the order they are in the file. `run` still stops at the first.
TEST_P(SpecCli, ValidateReportsTheProblemOfEverySection) {
    const std::string bad = write_spec(
        "[leaks]\nreport = \"\"\n\n[sandbox]\nhostname = \"a b\"\n\n[dev_shm]\nmode = "
        "\"privat\"\n\n[[sysv.queue]]\nkey = \"x\"\n\n[extra]\n");
    Outcome o = ipcbox({"validate", bad});
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err,
              "ipcbox: " + bad +
                  ":2:10: leaks.report: expected \"off\", \"stderr\" or a file path, got \"\"\n"
                  "ipcbox: " +
                  bad +
                  ":5:12: sandbox.hostname: 'a b' is not a valid hostname (1 to 64 letters, "
                  "digits, '-' and '.')\n"
                  "ipcbox: " +
                  bad +
                  ":8:8: dev_shm.mode: 'privat' is not one of \"private\", \"none\", \"host\"; "
                  "did you mean \"private\"?\n"
                  "ipcbox: " +
                  bad +
                  ":11:7: sysv.queue[0].key: expected an integer, got a string\n"
                  "ipcbox: " +
                  bad +
                  ":13:2: unknown key 'extra'; valid keys are 'sandbox', 'dev_shm', 'sysctl', "
                  "'sysv', 'posix', 'block', 'leaks', 'hook'\n");
    Outcome run = ipcbox({"run", "-c", bad, "--", "true"});
    EXPECT_EQ(run.exit_code, 125);
    EXPECT_EQ(run.err, "ipcbox: " + bad +
                           ":13:2: unknown key 'extra'; valid keys are 'sandbox', 'dev_shm', "
                           "'sysctl', 'sysv', 'posix', 'block', 'leaks', 'hook'\n");
}

// Every problem of one table and of its section, in file order; a misspelt key is not also
// reported missing. `run` prints only the first problem it read.
TEST_P(SpecCli, ValidateReportsEveryProblemOfATable) {
    const std::string bad = write_spec(
        "[[sysv.queue]]\nkey = 1\nmdoe = 0o600\nownr = 5\nid = -1\nmax_byts = 10\n"
        "group = \"staff\"\n\n[[sysv.queue]]\nkye = 2\n");
    Outcome o = ipcbox({"validate", bad});
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.out, "");
    const std::string at = "ipcbox: " + bad + ":";
    EXPECT_EQ(o.err, at + "3:1: sysv.queue[0]: unknown key 'mdoe'; did you mean 'mode'?\n" + at +
                         "4:1: sysv.queue[0]: unknown key 'ownr'; did you mean 'owner'?\n" + at +
                         "5:6: sysv.queue[0].id: -1 is out of range (0 to 2147483647)\n" + at +
                         "6:1: sysv.queue[0]: unknown key 'max_byts'; did you mean "
                         "'max_bytes'?\n" +
                         at + "7:9: sysv.queue[0].group: expected an integer, got a string\n" + at +
                         "10:1: sysv.queue[1]: unknown key 'kye'; did you mean 'key'?\n");
    Outcome run = ipcbox({"run", "-c", bad, "--", "true"});
    EXPECT_EQ(run.exit_code, 125);
    EXPECT_EQ(run.err, at + "3:1: sysv.queue[0]: unknown key 'mdoe'; did you mean 'mode'?\n");
}

// At most 20 problems, the earliest in the file (though [leaks] is read after [sysctl]), then how
// many more there are. `run` prints only the first problem it read.
TEST_P(SpecCli, ValidateListsTwentyProblemsAndSaysHowManyMore) {
    std::string toml = "[leaks]\nreport = ''\n[sysctl]\n";
    for (int i = 0; i < 23; ++i) toml += "kernel.msgmni" + std::to_string(i) + " = 1\n";
    toml += "[[posix.semaphore]]\nname = 'x'\n";
    const std::string bad = write_spec(toml);
    Outcome o = ipcbox({"validate", bad});
    EXPECT_EQ(o.exit_code, 1);
    std::vector<std::string> lines;
    for (size_t start = 0, end; (end = o.err.find('\n', start)) != std::string::npos;
         start = end + 1)
        lines.push_back(o.err.substr(start, end - start));
    ASSERT_EQ(lines.size(), 21u) << o.err;
    EXPECT_EQ(lines[0], "ipcbox: " + bad +
                            ":2:10: leaks.report: expected \"off\", \"stderr\" or a file path, "
                            "got \"\"");
    for (int i = 0; i < 19; ++i) {
        EXPECT_EQ(lines[i + 1], "ipcbox: " + bad + ":" + std::to_string(i + 4) +
                                    ":8: sysctl.kernel.msgmni" + std::to_string(i) +
                                    ": not a per-IPC-namespace setting, so ipcbox will not touch "
                                    "it (writing it would change the host); did you mean "
                                    "'kernel.msgmni'?");
    }
    EXPECT_EQ(lines[20], "ipcbox: " + bad +
                             ": 5 more problems left out (at most 20 are listed, in file order)");
    Outcome run = ipcbox({"run", "-c", bad, "--", "true"});
    EXPECT_EQ(run.exit_code, 125);
    EXPECT_EQ(run.err, "ipcbox: " + bad +
                           ":4:8: sysctl.kernel.msgmni0: not a per-IPC-namespace setting, so "
                           "ipcbox will not touch it (writing it would change the host); did you "
                           "mean 'kernel.msgmni'?\n");
}

TEST_P(SpecCli, ValidateCatchesCrossSectionRules) {
    const std::string dup =
        write_spec("[[sysv.queue]]\nkey = 0x10\n\n[[sysv.queue]]\nkey = 0x10\n");
    Outcome o = ipcbox({"validate", dup});
    EXPECT_EQ(o.exit_code, 1);
    EXPECT_EQ(o.err, "ipcbox: " + dup +
                         ":4:1: sysv.queue[1] (key 0x10) duplicates sysv.queue[0] (key 0x10)\n");
}

TEST_P(SpecCli, RunRefusesABadSpecWith125AndRunsNothing) {
    const std::string marker = staging_dir() + "/bad-spec-ran-" + std::to_string(getpid());
    const std::string bad = write_spec("[dev_shm]\nmode = \"privat\"\n");
    Outcome o = ipcbox({"run", "-c", bad, "--", "/bin/touch", marker});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_FALSE(std::filesystem::exists(marker));
    EXPECT_EQ(o.err, "ipcbox: " + bad +
                         ":2:8: dev_shm.mode: 'privat' is not one of \"private\", \"none\", "
                         "\"host\"; did you mean \"private\"?\n");
    Outcome missing = ipcbox({"run", "-c", staging_dir() + "/no-such.toml", "--", "/bin/true"});
    EXPECT_EQ(missing.exit_code, 125);
    EXPECT_EQ(missing.err, "ipcbox: " + staging_dir() +
                               "/no-such.toml: cannot read: No such file or directory\n");
}

TEST_P(SpecCli, FlagsOverrideTheSpecFile) {
    // The spec asks for a private /dev/shm; the flag wins and makes it read-only and empty.
    const std::string spec = write_spec("[dev_shm]\nmode = \"private\"\n");
    Outcome o = ipcbox({"run", "-c", spec, "--dev-shm", "none", "--", "/bin/sh", "-c",
                        "touch /dev/shm/x 2>/dev/null && echo writable || echo read-only"});
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "read-only\n");
}

INSTANTIATE_TEST_SUITE_P(Run, SpecCli, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
