// --leak-report=DIR/: each run writes its own, uniquely named JSON report into the directory, so
// parallel test processes can share one directory that a CI runner collects.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/ls/ls_support.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

using nlohmann::json;
using LeakReportDir = AsEachUser;

TEST_P(LeakReportDir, EachRunWritesANewFileThere) {
    const std::string dir = marker_dir() + "/leak-dir-" + std::to_string(getpid());
    std::filesystem::remove_all(dir);
    ASSERT_EQ(mkdir(dir.c_str(), 0777), 0);
    ASSERT_EQ(chmod(dir.c_str(), 0777), 0);  // the unprivileged runs write there too
    for (const char* key : {"0x4c31", "0x4c32"}) {
        Outcome o = ipcbox(
            {"run", "--leak-report=" + dir + "/", "--", support("ipcmake"), "msgq", key, "hi"});
        ASSERT_EQ(o.exit_code, 0) << o.err;
        EXPECT_EQ(o.err, "");  // the report went to the directory
    }
    std::set<std::string> keys;
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        ++files;
        const std::string name = entry.path().filename().string();
        EXPECT_TRUE(name.starts_with("ipcbox-leaks-") && name.ends_with(".json")) << name;
        json r = parse_json(read_text(entry.path().string()));
        ASSERT_EQ(r["objects"].size(), 1u) << r.dump(2);
        keys.insert(r["objects"][0]["key"].get<std::string>());
    }
    std::filesystem::remove_all(dir);
    EXPECT_EQ(files, 2u);
    EXPECT_EQ(keys, (std::set<std::string>{"0x00004c31", "0x00004c32"}));
}

TEST_P(LeakReportDir, AMissingDirectoryIsReportedAndNothingIsWritten) {
    const std::string dir = marker_dir() + "/no-such-leak-dir-" + std::to_string(getpid());
    Outcome o = ipcbox({"run", "--leak-report=" + dir + "/", "--", "/bin/true"});
    EXPECT_EQ(o.exit_code, 0) << o.err;  // the command's status: it ran and exited 0
    EXPECT_NE(o.err.find("leak report: create a report file in " + dir + "/: No such file"),
              std::string::npos)
        << o.err;
    EXPECT_FALSE(std::filesystem::exists(dir));
}

INSTANTIATE_TEST_SUITE_P(, LeakReportDir, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
