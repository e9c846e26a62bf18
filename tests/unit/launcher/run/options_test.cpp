#include "launcher/run/options.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "launcher/process.hpp"
#include "launcher/run/plan.hpp"

namespace ipcbox::launcher {
namespace {

TEST(RunOptions, CommandStartsAtFirstNonOption) {
    auto o = parse_run_options({"--net", "-c", "s.toml", "ls", "-l", "--net"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->spec_path, "s.toml");
    EXPECT_EQ(o->net, true);
    EXPECT_EQ(o->command, (std::vector<std::string>{"ls", "-l", "--net"}));
}

TEST(RunOptions, CommandAfterDoubleDash) {
    auto o = parse_run_options({"--pid", "--", "-weird", "x"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->pid, true);
    EXPECT_EQ(o->command, (std::vector<std::string>{"-weird", "x"}));
}

// Without any option the parser is skipped: the result must still be every default.
TEST(RunOptions, NoOptionsLeaveEveryDefault) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--", "ls", "-l", "--net"},
          std::vector<std::string>{"ls", "-c", "x.toml"}, std::vector<std::string>{"--"}}) {
        auto o = parse_run_options(args);
        ASSERT_TRUE(o) << o.error().message;
        const std::vector<std::string> command(args.begin() + (args[0] == "--"), args.end());
        EXPECT_EQ(o->command, command);
        EXPECT_FALSE(o->spec_path || o->user || o->uid || o->gid || o->timeout || o->mount ||
                     o->net || o->pid || o->die_with_parent || o->hostname || o->dev_shm ||
                     o->dev_shm_size || o->block_errno || o->leak_report || o->domain);
        EXPECT_TRUE(o->scopes.empty() && o->capabilities.empty() && o->tmpfs.empty() &&
                    o->block.empty() && o->leak_report_path.empty());
        EXPECT_FALSE(o->fail_on_leak || o->explain || o->verbose || o->help);
    }
    // An option first still goes through the parser.
    auto verbose = parse_run_options({"-v", "--", "ls"});
    ASSERT_TRUE(verbose);
    EXPECT_TRUE(verbose->verbose);
    EXPECT_EQ(verbose->command, (std::vector<std::string>{"ls"}));
}

TEST(RunOptions, FlagsOverrideTheSpec) {
    config::Spec spec;
    spec.sandbox.net = true;
    spec.sandbox.timeout_seconds = 9;
    auto o = parse_run_options({"--no-net", "--timeout", "3", "--dev-shm", "none", "--user", "new",
                                "--block", "sysv.shm", "--block", "posix.queue", "--block-errno",
                                "ENOSYS", "true"});
    ASSERT_TRUE(o) << o.error().message;
    apply_overrides(spec, *o);
    EXPECT_FALSE(spec.sandbox.net);
    EXPECT_EQ(spec.sandbox.timeout_seconds, 3u);
    EXPECT_EQ(spec.dev_shm.mode, config::DevShmMode::None);
    EXPECT_EQ(spec.sandbox.user, config::UserMode::New);
    EXPECT_EQ(spec.block.kinds, (std::vector<config::IpcKind>{config::IpcKind::SysvShm,
                                                              config::IpcKind::PosixQueue}));
    EXPECT_EQ(spec.block.errno_value, ENOSYS);
}

TEST(RunOptions, UnsetFlagsLeaveTheSpecAlone) {
    config::Spec spec;
    spec.sandbox.pid = true;
    spec.sandbox.hostname = "box";
    auto o = parse_run_options({"true"});
    ASSERT_TRUE(o);
    apply_overrides(spec, *o);
    EXPECT_TRUE(spec.sandbox.pid);
    EXPECT_EQ(spec.sandbox.hostname, "box");
}

TEST(RunOptions, BadValuesAreErrors) {
    auto contradict = parse_run_options({"--net", "--no-net", "true"});
    ASSERT_FALSE(contradict);
    EXPECT_EQ(contradict.error().message, "--net and --no-net contradict each other");
    auto user = parse_run_options({"--user", "root", "true"});
    ASSERT_FALSE(user);
    EXPECT_EQ(user.error().message, "--user: 'root' is not one of auto, new, host");
    auto kind = parse_run_options({"--block", "sysv.pipe", "true"});
    ASSERT_FALSE(kind);
    EXPECT_EQ(
        kind.error().message,
        "--block: 'sysv.pipe' is not one of \"sysv.queue\", \"sysv.semaphore\", \"sysv.shm\", "
        "\"posix.queue\", \"posix.shm\", \"posix.semaphore\"");
    auto err = parse_run_options({"--block-errno", "EIO", "true"});
    ASSERT_FALSE(err);
    EXPECT_EQ(err.error().message, "--block-errno: 'EIO' is not one of EPERM, EACCES, ENOSYS");
    auto unknown = parse_run_options({"--frobnicate", "true"});
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("frobnicate"), std::string::npos);
    auto number = parse_run_options({"--timeout", "soon", "true"});
    ASSERT_FALSE(number);
    EXPECT_NE(number.error().message.find("timeout"), std::string::npos);
}

TEST(RunOptions, ScopesAndTmpfsReplaceTheSpecs) {
    config::Spec spec;
    spec.sandbox.scopes = {config::Scope::AbstractUnix};
    config::Tmpfs srv;  // not a brace-initialised temporary: GCC 12 -O3 -Wmaybe-uninitialized
    srv.path = "/srv";
    srv.size_bytes = 1 << 20;
    spec.sandbox.tmpfs.push_back(srv);
    auto none = parse_run_options({"true"});
    ASSERT_TRUE(none);
    config::Spec unchanged = spec;
    apply_overrides(unchanged, *none);
    EXPECT_EQ(unchanged.sandbox.scopes, spec.sandbox.scopes);
    ASSERT_EQ(unchanged.sandbox.tmpfs.size(), 1u);

    auto o = parse_run_options({"--scope", "signal", "--scope", "signal", "--tmpfs", "/tmp/",
                                "--tmpfs", "//run//postgresql", "true"});
    ASSERT_TRUE(o) << o.error().message;
    apply_overrides(spec, *o);
    EXPECT_EQ(spec.sandbox.scopes, std::vector<config::Scope>{config::Scope::Signal});
    ASSERT_EQ(spec.sandbox.tmpfs.size(), 2u);
    EXPECT_EQ(spec.sandbox.tmpfs[0].path, "/tmp");
    EXPECT_EQ(spec.sandbox.tmpfs[1].path, "/run/postgresql");
    EXPECT_FALSE(spec.sandbox.tmpfs[1].size_bytes);
    EXPECT_FALSE(spec.sandbox.tmpfs[1].mode);
    EXPECT_EQ(spec.sandbox.tmpfs[1].origin.str(), "<command line>");
}

TEST(RunOptions, BadScopesAndTmpfsPaths) {
    auto typo = parse_run_options({"--scope", "abstract-unx", "true"});
    ASSERT_FALSE(typo);
    EXPECT_EQ(typo.error().message,
              "--scope: 'abstract-unx' is not one of \"abstract-unix\", \"signal\"; did you mean "
              "\"abstract-unix\"?");
    auto escape = parse_run_options({"--scope", "\x1b]0;x", "true"});
    ASSERT_FALSE(escape);
    EXPECT_EQ(escape.error().message,
              "--scope: '\\x1b]0;x' is not one of \"abstract-unix\", \"signal\"");
    auto relative = parse_run_options({"--tmpfs", "tmp", "true"});
    ASSERT_FALSE(relative);
    EXPECT_EQ(relative.error().message, "--tmpfs: 'tmp' is not an absolute path");
    auto shm = parse_run_options({"--tmpfs", "/dev/shm", "true"});
    ASSERT_FALSE(shm);
    EXPECT_EQ(shm.error().message,
              "--tmpfs: '/dev/shm' is /dev/shm or under it: /dev/shm has its own setting, dev_shm");
}

TEST(ResolveCommand, SearchesPathAndClassifiesFailures) {
    int code = 0;
    auto sh = resolve_command("sh", &code);
    ASSERT_TRUE(sh) << sh.error().message;
    EXPECT_EQ(sh->back(), 'h');
    EXPECT_EQ(sh->front(), '/');

    auto missing = resolve_command("no-such-command-ipcbox", &code);
    ASSERT_FALSE(missing);
    EXPECT_EQ(code, 127);
    EXPECT_EQ(missing.error().message, "no-such-command-ipcbox: command not found");

    auto dir = resolve_command("/tmp", &code);
    ASSERT_FALSE(dir);
    EXPECT_EQ(code, 126);

    auto absent = resolve_command("/no/such/file", &code);
    ASSERT_FALSE(absent);
    EXPECT_EQ(code, 127);
}

TEST(ExitCodes, SignalsMapTo128PlusN) {
    EXPECT_EQ(exit_code_of(W_EXITCODE(3, 0)), 3);
    EXPECT_EQ(exit_code_of(W_EXITCODE(0, SIGKILL)), 128 + SIGKILL);
}

}  // namespace
}  // namespace ipcbox::launcher
