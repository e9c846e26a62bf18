// `validate` reports every problem of a spec, not only the first of each section: each one once,
// in source order, at most kMaxReportedProblems of them, and none that only follows from another.
// Loading (run, the hook) still stops at the first problem read.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "config/load.hpp"
#include "config/toml_tree.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

namespace fs = std::filesystem;

const std::string kExamples = IPCBOX_TEST_DATA "/../../examples";

std::vector<std::string> messages(const SpecProblems& problems) {
    std::vector<std::string> out;
    for (const Error& e : problems.earliest) out.push_back(e.message);
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) out += line + "\n";
    return out;
}

class EveryProblem : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-problems-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        std::ofstream(dir_ + "/big.bin") << std::string(10000, 'x');  // > kernel.msgmax 8192
    }
    void TearDown() override { fs::remove_all(dir_); }

    SpecProblems problems(const std::string& toml) const {
        return spec_problems(toml, "spec.toml", dir_);
    }
    // The only problem of `toml`, or every one of them when there is not exactly one.
    std::string only_problem(const std::string& toml) const {
        const SpecProblems found = problems(toml);
        if (found.earliest.size() == 1 && found.left_out == 0) return found.earliest[0].message;
        return "(" + std::to_string(found.earliest.size() + found.left_out) + " problems)\n" +
               joined(messages(found));
    }

    std::string dir_;
};

// Three misspelt keys and two bad values in one table, and a bad value in another table of the
// same section: all six, in file order, though the unknown keys are found first.
TEST_F(EveryProblem, AllOfOneTableAndOfItsSection) {
    const std::string toml =
        "[[sysv.queue]]\n"
        "key = 1\n"
        "mdoe = 0o600\n"
        "ownr = 5\n"
        "id = -1\n"
        "max_byts = 10\n"
        "group = \"staff\"\n"
        "\n"
        "[[sysv.queue]]\n"
        "key = \"x\"\n";
    const SpecProblems found = problems(toml);
    EXPECT_EQ(joined(messages(found)),
              "spec.toml:3:1: sysv.queue[0]: unknown key 'mdoe'; did you mean 'mode'?\n"
              "spec.toml:4:1: sysv.queue[0]: unknown key 'ownr'; did you mean 'owner'?\n"
              "spec.toml:5:6: sysv.queue[0].id: -1 is out of range (0 to 2147483647)\n"
              "spec.toml:6:1: sysv.queue[0]: unknown key 'max_byts'; did you mean 'max_bytes'?\n"
              "spec.toml:7:9: sysv.queue[0].group: expected an integer, got a string\n"
              "spec.toml:10:7: sysv.queue[1].key: expected an integer, got a string\n");
    EXPECT_EQ(found.left_out, 0u);
    // Loading reports only the first problem read, as it always has.
    EXPECT_EQ(testing::load_error(toml),
              "spec.toml:3:1: sysv.queue[0]: unknown key 'mdoe'; did you mean 'mode'?");
}

// Every bad item of a list, not only the first; a list with a bad item is not used.
TEST_F(EveryProblem, EachBadItemOfAList) {
    EXPECT_EQ(joined(messages(problems("[[sysv.semaphore]]\nkey = 1\nvalues = [1, -1, 'x']\n"))),
              "spec.toml:3:14: sysv.semaphore[0].values[1]: -1 is out of range (0 to 32767)\n"
              "spec.toml:3:18: sysv.semaphore[0].values[2]: expected an integer, got a string\n");
    EXPECT_EQ(
        joined(messages(problems("[block]\nkinds = ['sysv', 'posix.shm', 'posix.shm', 5]\n"))),
        "spec.toml:2:10: block.kinds[0]: 'sysv' is not one of \"sysv.queue\", \"sysv.semaphore\", "
        "\"sysv.shm\", \"posix.queue\", \"posix.shm\", \"posix.semaphore\"\n"
        "spec.toml:2:31: block.kinds[2]: 'posix.shm' is listed twice\n"
        "spec.toml:2:44: block.kinds[3]: expected a string, got an integer\n");
    EXPECT_EQ(joined(messages(problems("[sysv]\nqueue = [1, { key = 1 }, 'q']\n"))),
              "spec.toml:2:10: sysv.queue[0]: expected a table, got an integer\n"
              "spec.toml:2:26: sysv.queue[2]: expected a table, got a string\n");
}

// At most kMaxReportedProblems, the earliest in the file even when they are found last, and how
// many more there are.
TEST_F(EveryProblem, CappedAtTheEarliestTwentyWithHowManyMore) {
    std::string toml;
    std::vector<std::string> expected;
    for (int i = 0; i < 15; ++i) {  // lines 1 to 30; [posix] is read after [sandbox]
        toml += "[[posix.semaphore]]\nname = 'bad" + std::to_string(i) + "'\n";
        expected.push_back("spec.toml:" + std::to_string(2 * i + 2) + ":8: posix.semaphore[" +
                           std::to_string(i) + "].name: 'bad" + std::to_string(i) +
                           "' is not a valid name (a '/' followed by 1 to 254 characters, none "
                           "of them '/')");
    }
    toml += "[sandbox]\n";  // line 31
    for (int i = 0; i < 10; ++i) {
        toml += "extra" + std::to_string(i) + " = 1\n";
        if (i < 5)
            expected.push_back("spec.toml:" + std::to_string(32 + i) +
                               ":1: sandbox: unknown key 'extra" + std::to_string(i) +
                               "'; valid keys are 'user', 'uid', 'gid', 'mount', 'net', 'pid', "
                               "'hostname', 'die_with_parent', 'timeout', 'scope', 'tmpfs', "
                               "'capabilities'");
    }
    const SpecProblems found = problems(toml);
    ASSERT_EQ(found.earliest.size(), kMaxReportedProblems);
    EXPECT_EQ(joined(messages(found)), joined(expected));
    EXPECT_EQ(found.left_out, 5u);
    // Loading reports the first problem read: [sandbox] is read before [posix].
    EXPECT_EQ(testing::load_error(toml).rfind("spec.toml:32:1: sandbox: unknown key 'extra0'", 0),
              0u);
}

// A problem that only follows from another is not reported: a misspelt key is not also missing,
// and nothing is measured against a limit that is itself in error.
TEST_F(EveryProblem, NoProblemThatOnlyFollowsFromAnother) {
    struct Case {
        std::string toml;
        std::string problem;
    };
    const std::vector<Case> cases = {
        {"[[sysv.queue]]\nkye = 1\n",
         "spec.toml:2:1: sysv.queue[0]: unknown key 'kye'; did you mean 'key'?"},
        {"[[sysv.semaphore]]\nkey = 1\nvaleus = [1]\n",
         "spec.toml:3:1: sysv.semaphore[0]: unknown key 'valeus'; did you mean 'values'?"},
        {"[[posix.queue]]\nnmae = '/q'\n",
         "spec.toml:2:1: posix.queue[0]: unknown key 'nmae'; did you mean 'name'?"},
        {"[[sysv.queue]]\nftok = { pth = 'a', proj = 1 }\n",
         "spec.toml:2:10: sysv.queue[0].ftok: unknown key 'pth'; did you mean 'path'?"},
        {"[[sysv.queue]]\nkey = 1\nmessages = [{ txt = 'a' }]\n",
         "spec.toml:3:15: sysv.queue[0].messages[0]: unknown key 'txt'; did you mean 'text'?"},
        {"[sandbox]\ntmpfs = [{ pth = '/tmp' }]\n",
         "spec.toml:2:12: sandbox.tmpfs[0]: unknown key 'pth'; did you mean 'path'?"},
        // A size in error, or misspelt, is no size 0 for the payload to overflow.
        {"[[sysv.shm]]\nkey = 1\nsize = '12Q'\ntext = 'hello'\n",
         "spec.toml:3:8: sysv.shm[0].size: '12Q' is not a size (a whole number of bytes with an "
         "optional K, M or G suffix)"},
        {"[[sysv.shm]]\nkey = 1\nsise = 4\nfile = 'big.bin'\n",
         "spec.toml:3:1: sysv.shm[0]: unknown key 'sise'; did you mean 'size'?"},
        {"[[posix.shm]]\nname = '/s'\nsize = -1\nhex = '00 01'\n",
         "spec.toml:3:8: posix.shm[0].size: must be greater than 0, got -1"},
        // Nor is a message measured against kernel.msgmax when the queue's own limit is wrong...
        {"[[sysv.queue]]\nkey = 1\nmax_bytes = 'x'\nmessages = [{ file = 'big.bin' }]\n",
         "spec.toml:3:13: sysv.queue[0].max_bytes: 'x' is not a size (a whole number of bytes "
         "with an optional K, M or G suffix)"},
        {"[[sysv.queue]]\nkey = 1\nmax_byts = 20000\nmessages = [{ file = 'big.bin' }]\n",
         "spec.toml:3:1: sysv.queue[0]: unknown key 'max_byts'; did you mean 'max_bytes'?"},
        {"[[posix.queue]]\nname = '/q'\nmessage_size = 0\nmessages = [{ file = 'big.bin' }]\n",
         "spec.toml:3:16: posix.queue[0].message_size: 0 is out of range (1 to 16777216)"},
        // ... or when [sysctl] sets kernel.msgmax wrongly.
        {"[sysctl]\nkernel.msgmax = 'big'\n[[sysv.queue]]\nkey = 1\n"
         "messages = [{ file = 'big.bin' }]\n",
         "spec.toml:2:17: sysctl.kernel.msgmax: expected an integer, got a string"},
        {"[sysctl]\nkernel.msgmxa = 20000\n[[sysv.queue]]\nkey = 1\n"
         "messages = [{ file = 'big.bin' }]\n",
         "spec.toml:2:8: sysctl.kernel.msgmxa: not a per-IPC-namespace setting, so ipcbox will "
         "not touch it (writing it would change the host); did you mean 'kernel.msgmax'?"},
        {"[sysctll]\nkernel.msgmax = 20000\n[[sysv.queue]]\nkey = 1\n"
         "messages = [{ file = 'big.bin' }]\n",
         "spec.toml:1:2: unknown key 'sysctll'; did you mean 'sysctl'?"},
        {"sysctl = 5\n[[sysv.queue]]\nkey = 1\nmessages = [{ file = 'big.bin' }]\n",
         "spec.toml:1:10: sysctl: expected a table, got an integer"},
        {"[sysctl.kernal]\nmsgmax = 20000\n[[sysv.queue]]\nkey = 1\n"
         "messages = [{ file = 'big.bin' }]\n",
         "spec.toml:2:1: sysctl.kernal.msgmax: not a per-IPC-namespace setting, so ipcbox will "
         "not touch it (writing it would change the host); did you mean 'kernel.msgmax'?"},
        // A table or list of the wrong type is one problem, not one per key it should have had.
        {"[[sysv.queue]]\nftok = 5\n",
         "spec.toml:2:8: sysv.queue[0].ftok: expected a table, got "
         "an integer"},
        {"[sysv]\nqueue = 5\n",
         "spec.toml:2:9: sysv.queue: expected an array of tables ([[sysv.queue]]), got an "
         "integer"},
        {"[[sysv.semaphore]]\nkey = 1\nvalues = 5\n",
         "spec.toml:3:10: sysv.semaphore[0].values: expected an array, got an integer"},
        // Too many messages is one problem, however many there are too many.
        {"[[posix.queue]]\nname = '/q'\nmax_messages = 1\n"
         "messages = [{ text = 'a' }, { text = 'b' }, { text = 'c' }]\n",
         "spec.toml:4:29: posix.queue[0].messages[1]: more messages than max_messages (1)"},
    };
    for (const Case& c : cases) EXPECT_EQ(only_problem(c.toml), c.problem) << c.toml;
    // A limit that is not in error is still checked against.
    EXPECT_EQ(only_problem("[sysctl]\nkernel.sem = [1, 2, 3, 'x']\n[[sysv.queue]]\nkey = 1\n"
                           "messages = [{ file = 'big.bin' }]\n"),
              "(2 problems)\n"
              "spec.toml:2:24: sysctl.kernel.sem[3]: expected an integer, got a string\n"
              "spec.toml:5:22: sysv.queue[0].messages[0].file: " +
                  dir_ +
                  "/big.bin holds 10000 bytes, which do not fit in kernel.msgmax 8192 (the "
                  "kernel's default; [sysctl] can raise it)\n");
}

// Every key of the example specs misspelt, alone or all at once: one problem each, never another
// that follows from it. Every value of a line replaced by one of a type no key takes: the same.
class ExampleMistakes : public ::testing::TestWithParam<const char*> {
  protected:
    std::string text() const {
        std::ifstream in(kExamples + "/" + GetParam());
        std::stringstream all;
        all << in.rdbuf();
        return all.str();
    }
    SpecProblems problems(const std::string& toml) const {
        return spec_problems(toml, "spec.toml", kExamples);
    }
};

// Where each key ends, and its name ("key = ", "path = " in an inline table, "msgmax" of
// "kernel.msgmax = "), outside comments.
struct Key {
    size_t end;
    std::string name;
    bool starts_line;  // not inside an inline table or a multi-line array
};

std::vector<Key> keys_of(const std::string& toml) {
    static const std::regex key(R"(([A-Za-z_][A-Za-z0-9_]*)\s*=\s)");
    std::vector<Key> keys;
    size_t line_start = 0;
    while (line_start < toml.size()) {
        size_t line_end = toml.find('\n', line_start);
        if (line_end == std::string::npos) line_end = toml.size();
        const std::string line = toml.substr(line_start, line_end - line_start);
        const std::string code = line.substr(0, line.find('#'));
        for (std::sregex_iterator m(code.begin(), code.end(), key), end; m != end; ++m)
            keys.push_back({line_start + m->position(1) + m->length(1), m->str(1),
                            code.find_first_not_of(" \t") == static_cast<size_t>(m->position(1))});
        line_start = line_end + 1;
    }
    return keys;
}

TEST_P(ExampleMistakes, EachMisspeltKeyIsOneProblem) {
    const std::string original = text();
    ASSERT_TRUE(problems(original).earliest.empty()) << joined(messages(problems(original)));
    const std::vector<Key> keys = keys_of(original);
    ASSERT_GT(keys.size(), 10u);
    for (const Key& key : keys) {
        std::string toml = original;
        toml.insert(key.end, "q");
        const SpecProblems found = problems(toml);
        ASSERT_EQ(found.earliest.size(), 1u) << key.name << "q\n" << joined(messages(found));
        EXPECT_NE(found.earliest[0].message.find(key.name + "q"), std::string::npos)
            << found.earliest[0].message;
    }
    // Every key that starts a line at once (the keys inside a misspelt one are not read): as many
    // problems as keys, each once.
    std::string all = original;
    size_t misspelt = 0;
    for (auto key = keys.rbegin(); key != keys.rend(); ++key) {
        if (!key->starts_line) continue;
        all.insert(key->end, "q");
        ++misspelt;
    }
    ASSERT_GT(misspelt, kMaxReportedProblems);
    const SpecProblems found = problems(all);
    EXPECT_EQ(found.earliest.size(), kMaxReportedProblems);
    EXPECT_EQ(found.earliest.size() + found.left_out, misspelt) << joined(messages(found));
    const std::vector<std::string> shown = messages(found);
    for (size_t i = 1; i < shown.size(); ++i) EXPECT_NE(shown[i], shown[i - 1]);
}

TEST_P(ExampleMistakes, EachValueOfTheWrongTypeIsOneProblem) {
    const std::string original = text();
    static const std::regex assignment(R"(^(\s*[A-Za-z_"][A-Za-z0-9_."]*\s*=\s*)([^#]*[^#\s]))");
    size_t tried = 0;
    size_t line_start = 0;
    while (line_start < original.size()) {
        size_t line_end = original.find('\n', line_start);
        if (line_end == std::string::npos) line_end = original.size();
        const std::string line = original.substr(line_start, line_end - line_start);
        std::smatch m;
        if (std::regex_search(line, m, assignment)) {
            std::string toml = original;
            toml.replace(line_start + m.position(2), m.length(2), "1.5");
            if (parse_toml(toml, "spec.toml").ok()) {  // not a value that spans lines
                ++tried;
                const SpecProblems found = problems(toml);
                EXPECT_EQ(found.earliest.size(), 1u) << line << "\n" << joined(messages(found));
                if (!found.earliest.empty()) {
                    EXPECT_NE(found.earliest[0].message.find("got a float"), std::string::npos)
                        << found.earliest[0].message;
                }
            }
        }
        line_start = line_end + 1;
    }
    EXPECT_GT(tried, 10u);
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleMistakes,
                         ::testing::Values("full.toml", "ci-fixtures.toml"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                             return std::string(info.param) == "full.toml" ? "Full" : "CiFixtures";
                         });

}  // namespace
}  // namespace ipcbox::config
