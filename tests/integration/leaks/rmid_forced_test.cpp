// kernel.shm_rmid_forced = 1 destroys a segment at its last detach: neither filling a preseeded
// segment nor the leak report's look at it (an attach and a detach each) may destroy it before the
// command runs. examples/full.toml sets both.
#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

using RmidForced = AsEachUser;

constexpr const char* kSpec = R"(
[sysctl]
kernel.shm_rmid_forced = 1
[[sysv.shm]]
key = 0x4c50
size = 64
text = "seeded"
[[sysv.shm]]
key = 0x4c51
size = 64
)";

TEST_P(RmidForced, TheCommandSeesEveryPreseededSegment) {
    const std::string spec = write_spec(kSpec);
    for (const std::vector<std::string>& flags : std::vector<std::vector<std::string>>{
             {}, {"--leak-report"}, {"--pid"}, {"--pid", "--leak-report"}}) {
        std::vector<std::string> argv{"run", "-c", spec};
        argv.insert(argv.end(), flags.begin(), flags.end());
        const std::vector<std::string> command{"--", support("ipcread"), "shmread", "0x4c50", "6",
                                               ",",  "shmstat",          "0x4c51"};
        argv.insert(argv.end(), command.begin(), command.end());
        Outcome o = ipcbox(argv);
        const std::string shown = flags.empty() ? "no flags" : flags.back();
        ASSERT_EQ(o.exit_code, 0) << shown << "\n" << o.out << o.err;
        EXPECT_NE(o.out.find("shm " + hex_of("seeded") + "\n"), std::string::npos) << shown << "\n"
                                                                                   << o.out;
        EXPECT_NE(o.out.find("shmstat id="), std::string::npos) << shown << "\n" << o.out;
        EXPECT_EQ(o.out.find("error"), std::string::npos) << shown << "\n" << o.out;
    }
}

// The kernel removes them once their creator (the preseeding process, which became the command)
// has exited: the report lists them as removed and says why, without blaming the command.
TEST_P(RmidForced, TheReportSaysWhyTheyAreGone) {
    const std::string spec = write_spec(kSpec);
    Outcome o = ipcbox({"run", "-c", spec, "--leak-report", "--fail-on-leak", "--", "/bin/true"});
    ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
    EXPECT_NE(o.err.find(" 0 preseeded and unchanged, 2 preseeded and removed"), std::string::npos)
        << o.err;
    EXPECT_NE(o.err.find("note: kernel.shm_rmid_forced = 1: "), std::string::npos) << o.err;
}

INSTANTIATE_TEST_SUITE_P(, RmidForced, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
