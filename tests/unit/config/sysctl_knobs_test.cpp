// The table of per-IPC-namespace sysctls: lookups, /proc/sys paths, and the spec parser taking
// every knob of the table within its range and nothing outside it.
#include "config/sysctl_knobs.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/unit/config/test_util.hpp"

namespace ipcbox::config {
namespace {

using testing::load;
using testing::load_error;

TEST(SysctlKnobs, PathsUnderProcSys) {
    EXPECT_EQ(sysctl_path("kernel.msgmnb"), "/proc/sys/kernel/msgmnb");
    EXPECT_EQ(sysctl_path("kernel.shm_rmid_forced"), "/proc/sys/kernel/shm_rmid_forced");
    EXPECT_EQ(sysctl_path("kernel.sem"), "/proc/sys/kernel/sem");
    EXPECT_EQ(sysctl_path("fs.mqueue.msg_max"), "/proc/sys/fs/mqueue/msg_max");
    EXPECT_EQ(sysctl_path("fs.mqueue.msgsize_default"), "/proc/sys/fs/mqueue/msgsize_default");
    for (const SysctlKnob& knob : sysctl_knobs()) {
        std::string expected = "/proc/sys/" + std::string(knob.name);
        for (size_t i = 10; i < expected.size(); ++i)
            if (expected[i] == '.') expected[i] = '/';
        EXPECT_EQ(sysctl_path(knob.name), expected);
    }
}

TEST(SysctlKnobs, Lookup) {
    std::set<std::string_view> names;
    for (const SysctlKnob& knob : sysctl_knobs()) {
        EXPECT_TRUE(names.insert(knob.name).second) << knob.name << " is listed twice";
        EXPECT_EQ(find_sysctl_knob(knob.name), &knob);
        EXPECT_TRUE(knob.name.starts_with("kernel.") || knob.name.starts_with("fs.mqueue."))
            << knob.name;
    }
    EXPECT_EQ(names.size(), 17u);
    EXPECT_EQ(find_sysctl_knob("kernel.hostname"), nullptr);
    EXPECT_EQ(find_sysctl_knob("kernel.msgmnb "), nullptr);
    EXPECT_EQ(find_sysctl_knob("KERNEL.MSGMNB"), nullptr);
    EXPECT_EQ(find_sysctl_knob("kernel/msgmnb"), nullptr);
    EXPECT_EQ(find_sysctl_knob("kernel"), nullptr);
    EXPECT_EQ(find_sysctl_knob(""), nullptr);

    const SysctlKnob* sem = find_sysctl_knob("kernel.sem");
    ASSERT_NE(sem, nullptr);
    EXPECT_EQ(sem->count, 4);
    EXPECT_EQ(sem->max, 2147483647);
    const SysctlKnob* shmmax = find_sysctl_knob("kernel.shmmax");
    ASSERT_NE(shmmax, nullptr);
    EXPECT_EQ(shmmax->max, INT64_MAX);
    const SysctlKnob* next_id = find_sysctl_knob("kernel.shm_next_id");
    ASSERT_NE(next_id, nullptr);
    EXPECT_EQ(next_id->min, -1);

    const SysctlKnob* auto_msgmni = find_sysctl_knob("kernel.auto_msgmni");
    ASSERT_NE(auto_msgmni, nullptr);
    EXPECT_FALSE(auto_msgmni->has_effect());
    EXPECT_EQ(auto_msgmni->instead, "kernel.msgmni");
    for (const SysctlKnob& knob : sysctl_knobs())
        EXPECT_EQ(knob.has_effect(), knob.name != "kernel.auto_msgmni") << knob.name;
}

// `"name" = value` under [sysctl]; the value starts at column name + 6.
std::string spec_of(std::string_view name, const std::string& value) {
    return "[sysctl]\n\"" + std::string(name) + "\" = " + value + "\n";
}

std::string at_value(std::string_view name) {
    return "spec.toml:2:" + std::to_string(name.size() + 6) + ": sysctl." + std::string(name);
}

std::string out_of_range(int64_t v, const SysctlKnob& knob) {
    return std::to_string(v) + " is out of range (" + std::to_string(knob.min) + " to " +
           std::to_string(knob.max) + ")";
}

// An in-range value as the spec writes it and as the parser hands it to the writer.
void expect_accepted(const SysctlKnob& knob, int64_t v) {
    const std::string n = std::to_string(v);
    const std::string toml =
        knob.count == 4 ? spec_of(knob.name, "[" + n + ", " + n + ", " + n + ", " + n + "]")
                        : spec_of(knob.name, n);
    Result<Spec> spec = load(toml);
    ASSERT_TRUE(spec.ok()) << toml << spec.error().message;
    ASSERT_EQ(spec->sysctls.size(), 1u);
    EXPECT_EQ(spec->sysctls[0].key, knob.name);
    EXPECT_EQ(spec->sysctls[0].value, knob.count == 4 ? n + " " + n + " " + n + " " + n : n);
}

void expect_out_of_range(const SysctlKnob& knob, int64_t v) {
    const std::string n = std::to_string(v);
    if (knob.count == 4) {
        // The bad integer last: its column is after "[v, v, v, ".
        const std::string ok = std::to_string(knob.min) + ", ";
        const std::string array = "[" + ok + ok + ok + n + "]";
        EXPECT_EQ(load_error(spec_of(knob.name, array)),
                  "spec.toml:2:" + std::to_string(knob.name.size() + 7 + 3 * ok.size()) +
                      ": sysctl." + std::string(knob.name) + "[3]: " + out_of_range(v, knob));
        const std::string text = std::to_string(knob.min) + " ";
        EXPECT_EQ(load_error(spec_of(knob.name, "'" + text + text + text + n + "'")),
                  at_value(knob.name) + ": '" + text + text + text + n +
                      "' is not 4 integers (semmsl semmns semopm semmni)");
        return;
    }
    EXPECT_EQ(load_error(spec_of(knob.name, n)),
              at_value(knob.name) + ": " + out_of_range(v, knob));
}

TEST(SysctlKnobs, ParserTakesEveryKnobInRange) {
    for (const SysctlKnob& knob : sysctl_knobs()) {
        SCOPED_TRACE(knob.name);
        if (!knob.has_effect()) {
            EXPECT_EQ(load_error(spec_of(knob.name, std::to_string(knob.min))),
                      "spec.toml:2:1: sysctl." + std::string(knob.name) +
                          ": accepts writes but has no effect in an IPC namespace (" +
                          std::string(knob.no_effect_because) + "); set " +
                          std::string(knob.instead) + " instead");
            continue;
        }
        expect_accepted(knob, knob.min);
        expect_accepted(knob, knob.max);
        expect_accepted(knob, knob.min + (knob.max - knob.min) / 2);
        expect_out_of_range(knob, knob.min - 1);
        // TOML integers end at INT64_MAX: there is nothing above shmmax's range to write.
        if (knob.max < INT64_MAX) expect_out_of_range(knob, knob.max + 1);
    }
}

TEST(SysctlKnobs, ParserSuggestsOnlyKnobsWithEffect) {
    const std::string not_namespaced =
        ": not a per-IPC-namespace setting, so ipcbox will not touch it (writing it would change "
        "the host)";
    for (const SysctlKnob& knob : sysctl_knobs()) {
        std::string upper(knob.name);
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        std::string expected = "spec.toml:2:1: sysctl." + upper + not_namespaced;
        if (knob.has_effect()) expected += "; did you mean '" + std::string(knob.name) + "'?";
        EXPECT_EQ(load_error(spec_of(upper, "1")), expected);
    }
}

}  // namespace
}  // namespace ipcbox::config
