#include "launcher/leaks/report_file.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <set>

#include "base/io.hpp"
#include "config/load.hpp"

namespace ipcbox::launcher {
namespace {

class ReportFile : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-report-file.XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::set<std::string> files() const {
        std::set<std::string> names;
        for (const auto& e : std::filesystem::directory_iterator(dir_))
            names.insert(e.path().string());
        return names;
    }
    std::string dir_;
};

TEST_F(ReportFile, APathEndingInSlashGetsANewUniquelyNamedFileEachTime) {
    auto first = write_leak_report_file(dir_ + "/", "{\"a\":1}\n");
    auto second = write_leak_report_file(dir_ + "/", "{\"b\":2}\n");
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_NE(*first, *second);
    EXPECT_EQ(files(), (std::set<std::string>{*first, *second}));
    EXPECT_TRUE(std::filesystem::path(*first).filename().string().starts_with("ipcbox-leaks-"));
    EXPECT_EQ(std::filesystem::path(*first).extension(), ".json");
    EXPECT_EQ(read_whole_file(*first, 100).value(), "{\"a\":1}\n");
    EXPECT_EQ(read_whole_file(*second, 100).value(), "{\"b\":2}\n");
}

TEST_F(ReportFile, APlainPathIsThatFileReplaced) {
    const std::string path = dir_ + "/report.json";
    ASSERT_TRUE(write_leak_report_file(path, "old, longer text\n"));
    auto written = write_leak_report_file(path, "{}\n");
    ASSERT_TRUE(written);
    EXPECT_EQ(*written, path);
    EXPECT_EQ(read_whole_file(path, 100).value(), "{}\n");
    EXPECT_EQ(files().size(), 1u);
}

TEST_F(ReportFile, AMissingDirectoryIsAnErrorNamingIt) {
    auto written = write_leak_report_file(dir_ + "/missing/", "{}\n");
    ASSERT_FALSE(written);
    EXPECT_NE(written.error().message.find(dir_ + "/missing/"), std::string::npos);
    EXPECT_TRUE(files().empty());
}

// The spec's leaks.report keeps the trailing '/' that makes it a directory, resolved against the
// spec's own directory like any other path.
TEST(ReportFileSpec, AReportPathEndingInSlashStaysADirectory) {
    auto spec =
        config::load_spec_string("[leaks]\nreport = \"reports/\"\n", "t.toml", "/srv/ci", {});
    ASSERT_TRUE(spec) << spec.error().message;
    EXPECT_EQ(spec->leaks.report, config::LeakOutput::File);
    EXPECT_EQ(spec->leaks.path, "/srv/ci/reports/");
}

}  // namespace
}  // namespace ipcbox::launcher
