// The sysctl writer against this kernel: every knob of the table is a file under /proc/sys in a
// fresh IPC namespace and is accepted, and a name outside the table is refused before any file
// is opened.
#include "ns/sysctl.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/sysctl_knobs.hpp"
#include "tests/unit/sandbox/sandbox.hpp"

namespace ipcbox::test {
namespace {

// The file's whole content, or nullopt when it cannot be opened.
std::optional<std::string> read_proc(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Each knob reads as its count of integers (a sign and decimal digits); writing the value it
// already has is accepted (the writer opens the knob's path and reads it back, but has nothing to
// write). "" if all hold.
std::string check_every_knob() {
    std::string problems;
    for (const config::SysctlKnob& knob : config::sysctl_knobs()) {
        const std::string name(knob.name);
        const std::string path = config::sysctl_path(knob.name);
        const std::optional<std::string> text = read_proc(path);
        if (!text) {
            problems += name + ": cannot read " + path + "; ";
            continue;
        }
        std::istringstream in(*text);
        int count = 0;
        bool numbers = true;
        // Not read as long long: shmmax and shmall default to 2^64 - 2^24 - 1.
        for (std::string word; in >> word; ++count) {
            const size_t digits = word.starts_with('-') ? 1 : 0;
            numbers = numbers && word.size() > digits &&
                      word.find_first_not_of("0123456789", digits) == std::string::npos;
        }
        if (!numbers || count != knob.count)
            problems +=
                name + ": '" + *text + "' is not " + std::to_string(knob.count) + " integers; ";
        Status s = ns::apply_sysctls({sysctl(name, *text)});
        if (!s) problems += s.error().message + "; ";
    }
    return problems;
}

// The writer's own check, not the kernel's: each name is given the value its file already has
// (where there is one), so a writer that let it through would answer "ok" and change nothing.
std::string check_refusals() {
    const std::string names[] = {"kernel.hostname",     "kernel.domainname",
                                 "kernel.threads-max",  "vm.overcommit_memory",
                                 "net.core.somaxconn",  "kernel/msgmnb",
                                 "KERNEL.MSGMNB",       "kernel.msgmnb ",
                                 " kernel.msgmnb",      "kernel.msgmnb.",
                                 "fs.mqueue",           "kernel",
                                 "kernel.no_such_knob", ""};
    std::string problems;
    for (const std::string& name : names) {
        const std::string value = read_proc(config::sysctl_path(name)).value_or("1");
        Status s = ns::apply_sysctls({sysctl(name, value)});
        const std::string got = s ? "ok" : s.error().message;
        if (got != "sysctl " + name + ": not a per-IPC-namespace knob")
            problems += "'" + name + "': " + got + "; ";
    }
    return problems;
}

class SysctlWriter : public ::testing::TestWithParam<Privilege> {
  protected:
    void SetUp() override {
        if (!can_run(GetParam())) GTEST_SKIP() << "needs root, or user namespaces";
    }
};

TEST_P(SysctlWriter, EveryKnobIsAFileOfThisKernel) {
    EXPECT_EQ(in_sandbox(GetParam(), check_every_knob), "");
}

TEST_P(SysctlWriter, RefusesNamesOutsideTheTable) {
    EXPECT_EQ(in_sandbox(GetParam(), check_refusals), "");
}

INSTANTIATE_TEST_SUITE_P(Sysctl, SysctlWriter,
                         ::testing::Values(Privilege::Root, Privilege::Rootless), privilege_name);

}  // namespace
}  // namespace ipcbox::test
