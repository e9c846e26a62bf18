// The command line of every subcommand: a mistyped flag names the one most likely meant, `help`
// works as a command, and a bad value lists the valid ones.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {
namespace {

struct Typo {
    std::vector<std::string> args;
    int exit_code;
    std::string err;
};

TEST(CliFlags, MistypedFlagNamesTheClosestForEverySubcommand) {
    const std::vector<Typo> cases = {
        {{"run", "--nett", "--", "true"},
         125,
         "ipcbox: unrecognised option '--nett'; did you mean '--net'?\n"
         "ipcbox: hint: see 'ipcbox run --help'\n"},
        {{"run", "--time", "5", "--", "true"},
         125,
         "ipcbox: unrecognised option '--time'; did you mean '--timeout'?\n"
         "ipcbox: hint: see 'ipcbox run --help'\n"},
        {{"probe", "--jsn"},
         125,
         "ipcbox: unrecognised option '--jsn'; did you mean '--json'?\n"
         "ipcbox: hint: see 'ipcbox probe --help'\n"},
        {{"export", "seccomp", "--blok", "sysv.shm"},
         125,
         "ipcbox: unrecognised option '--blok'; did you mean '--block'?\n"
         "ipcbox: hint: see 'ipcbox export --help'\n"},
        {{"ls", "--jsno"},
         2,
         "ipcbox: unrecognised option '--jsno'; did you mean '--json'?\n"
         "ipcbox: hint: see 'ipcbox ls --help'\n"},
        {{"validate", "--hlep"},
         2,
         "ipcbox: unrecognised option '--hlep'; did you mean '--help'?\n"
         "ipcbox: hint: see 'ipcbox validate --help'\n"},
        {{"hook", "--spec-dri", "/etc"},
         1,
         "ipcbox hook: unrecognised option '--spec-dri'; did you mean '--spec-dir'? (hint: see "
         "'ipcbox hook --help')\n"},
        {{"hook", "--spec", "/etc"},
         1,
         "ipcbox hook: unrecognised option '--spec'; did you mean '--spec-dir'? (hint: see "
         "'ipcbox hook --help')\n"},
        {{"run", "--no-suchflag", "--", "true"},
         125,
         "ipcbox: unrecognised option '--no-suchflag'\nipcbox: hint: see 'ipcbox run --help'\n"},
    };
    for (const Typo& c : cases) {
        Outcome o = run_ipcbox(As::Root, c.args);
        EXPECT_EQ(o.exit_code, c.exit_code) << c.args[0] << " " << c.args[1];
        EXPECT_EQ(o.err, c.err) << c.args[0] << " " << c.args[1];
        EXPECT_EQ(o.out, "");
    }
}

TEST(CliFlags, HelpIsACommand) {
    Outcome all = run_ipcbox(As::Root, {"help"});
    EXPECT_EQ(all.exit_code, 0) << all.err;
    EXPECT_EQ(all.out, run_ipcbox(As::Root, {"--help"}).out);
    EXPECT_EQ(all.out.rfind("usage: ipcbox <command> [options]\n", 0), 0u) << all.out;
    for (const char* command : {"run", "validate", "ls", "hook", "probe", "export"}) {
        Outcome one = run_ipcbox(As::Root, {"help", command});
        EXPECT_EQ(one.exit_code, 0) << command << ": " << one.err;
        EXPECT_EQ(one.out, run_ipcbox(As::Root, {command, "--help"}).out) << command;
        EXPECT_NE(one.out.find(std::string("usage: ipcbox ") + command), std::string::npos)
            << one.out;
    }
    Outcome typo = run_ipcbox(As::Root, {"help", "rnu"});
    EXPECT_EQ(typo.exit_code, 125);
    EXPECT_EQ(typo.err, "ipcbox: unknown command 'rnu'; did you mean 'run'?\n");
    Outcome command_typo = run_ipcbox(As::Root, {"valdate", "x.toml"});
    EXPECT_EQ(command_typo.exit_code, 125);
    EXPECT_EQ(
        command_typo.err.rfind("ipcbox: unknown command 'valdate'; did you mean 'validate'?\n", 0),
        0u)
        << command_typo.err;
}

TEST(CliFlags, BadBlockKindListsTheValidOnes) {
    Outcome o = run_ipcbox(As::Root, {"run", "--block", "sysv", "--", "true"});
    EXPECT_EQ(o.exit_code, 125);
    EXPECT_EQ(o.err,
              "ipcbox: --block: 'sysv' is not one of \"sysv.queue\", \"sysv.semaphore\", "
              "\"sysv.shm\", \"posix.queue\", \"posix.shm\", \"posix.semaphore\"\n");
    Outcome near = run_ipcbox(As::Root, {"run", "--block", "sysv.shn", "--", "true"});
    EXPECT_EQ(near.exit_code, 125);
    EXPECT_NE(near.err.find("; did you mean \"sysv.shm\"?\n"), std::string::npos) << near.err;
}

}  // namespace
}  // namespace ipcbox::test
