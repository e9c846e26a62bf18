// IPC domains: names, refusals, concurrent creates, another user, a keeper that is gone, and rm
// ending what runs inside.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/domain/domain_support.hpp"

namespace ipcbox::test {
namespace {

using DomainLife = AsEachUser;

TEST_P(DomainLife, BadNamesAndMissingDomainsAreRefused) {
    for (const std::string& bad :
         std::vector<std::string>{"a/b", "..", std::string(65, 'x'), "sp ace"}) {
        const Outcome o = ipcbox({"domain", "create", bad});
        EXPECT_EQ(o.exit_code, 125) << bad;
        EXPECT_NE(o.err.find("domain name"), std::string::npos) << o.err;
    }
    const std::string name = domain_name("missing");
    const Outcome run = ipcbox({"run", "--domain", name, "--", "true"});
    EXPECT_EQ(run.exit_code, 125);
    EXPECT_NE(run.err.find("no domain '" + name + "'"), std::string::npos) << run.err;
    EXPECT_EQ(ipcbox({"domain", "rm", name}).exit_code, 125);
    EXPECT_EQ(ipcbox({"ls", "--domain", name}).exit_code, 1);
}

TEST_P(DomainLife, SpecsAreCheckedForWhatBelongsWhere) {
    const std::string name = domain_name("specs");
    DomainGuard guard(who(), name);
    // [block] is each command's, not the domain's: nothing is made.
    const Outcome blocked =
        ipcbox({"domain", "create", name, "-c", write_spec("[block]\nkinds = [\"sysv.shm\"]\n")});
    EXPECT_EQ(blocked.exit_code, 125);
    EXPECT_NE(blocked.err.find("[block] is a setting of each command"), std::string::npos)
        << blocked.err;
    EXPECT_TRUE(listed_domain(who(), name).is_null());
    // A setup that fails half-way (the second message does not fit the queue) leaves no record
    // and no keeper.
    const Outcome failed = ipcbox(
        {"domain", "create", name, "-c",
         write_spec("[[sysv.queue]]\nkey = 0x5d10\nmax_bytes = 8\nmessages = [{ type = 1, text = "
                    "\"12345\" }, { type = 1, text = \"67890\" }]\n")});
    EXPECT_EQ(failed.exit_code, 125);
    EXPECT_NE(failed.err.find("sysv.queue"), std::string::npos) << failed.err;
    EXPECT_TRUE(listed_domain(who(), name).is_null());
    EXPECT_FALSE(process_with_marker_exists(name));
    ASSERT_EQ(ipcbox({"domain", "create", name}).exit_code, 0);
    EXPECT_TRUE(process_with_marker_exists(name));  // the keeper, named by its command line
    const Outcome again = ipcbox({"domain", "create", name});
    EXPECT_EQ(again.exit_code, 125);
    EXPECT_NE(again.err.find("domain '" + name + "' exists"), std::string::npos) << again.err;
    // Limits and objects are the domain's: a command's spec may not bring its own.
    const Outcome sysctl = ipcbox({"run", "--domain", name, "-c",
                                   write_spec("[sysctl]\n\"kernel.msgmni\" = 5\n"), "--", "true"});
    EXPECT_EQ(sysctl.exit_code, 125);
    EXPECT_NE(sysctl.err.find("no [sysctl]"), std::string::npos) << sysctl.err;
}

TEST_P(DomainLife, TwoCreatesOfOneNameAtOnceOneWins) {
    const std::string name = domain_name("race");
    DomainGuard guard(who(), name);
    const std::string ipcbox_path = staging_dir() + "/ipcbox";
    Spawned a(who(), {ipcbox_path, "domain", "create", name});
    Spawned b(who(), {ipcbox_path, "domain", "create", name});
    const Outcome ra = a.wait(), rb = b.wait();
    EXPECT_EQ((ra.exit_code == 0) + (rb.exit_code == 0), 1) << ra.err << rb.err;
    EXPECT_EQ((ra.exit_code == 125) + (rb.exit_code == 125), 1);
    EXPECT_NE((ra.err + rb.err).find("exists"), std::string::npos);
    const nlohmann::json listed = listed_domain(who(), name);
    ASSERT_TRUE(listed.is_object());
    EXPECT_EQ(listed["status"], "running");
}

TEST_P(DomainLife, RmEndsWhatRunsInsideAndReportsWhatWasLeft) {
    const std::string name = domain_name("rm");
    DomainGuard guard(who(), name);
    ASSERT_EQ(ipcbox({"domain", "create", name}).exit_code, 0);
    // One command ignores SIGTERM; it gets SIGKILL after the grace.
    Spawned stubborn(who(), {staging_dir() + "/ipcbox", "run", "--domain", name, "--", "sh", "-c",
                             "trap '' TERM; " + support("ipcmake") +
                                 " pshm /left 16; echo ready; while :; do sleep 1; done"});
    ASSERT_TRUE(stubborn.wait_for_output("ready"));
    // Where nobody may write too; removed at the end.
    const std::string report = "/tmp/ipcbox-rm-report-" + std::to_string(getpid()) + ".json";
    struct RemoveAtEnd {
        std::string path;
        ~RemoveAtEnd() { std::filesystem::remove(path); }
    } remove_report{report};
    const Outcome removed =
        ipcbox({"domain", "rm", name, "--grace", "1", "--leak-report=" + report, "--fail-on-leak"});
    EXPECT_EQ(removed.exit_code, 123) << removed.err;
    EXPECT_EQ(stubborn.wait(10).exit_code, 137);
    std::ifstream in(report);
    ASSERT_TRUE(in.good()) << removed.err;
    const auto leaks = nlohmann::json::parse(in, nullptr, false);
    ASSERT_TRUE(leaks.is_object());
    EXPECT_NE(leaks.dump().find("/left"), std::string::npos) << leaks.dump();
    EXPECT_NE(leaks.dump().find("SIGKILL"), std::string::npos) << leaks.dump();
    EXPECT_TRUE(listed_domain(who(), name).is_null());
}

TEST_P(DomainLife, RunInADomainKeepsEverythingRunDoes) {
    const std::string name = domain_name("flags");
    DomainGuard guard(who(), name);
    ASSERT_EQ(ipcbox({"domain", "create", name, "--dev-shm-size", "8M"}).exit_code, 0);
    ASSERT_EQ(
        ipcbox({"run", "--domain", name, "--", support("ipcmake"), "msgq", "0x5d01"}).exit_code, 0);
    // The domain's /dev/shm has the size asked for; --net and --hostname are the command's own.
    const Outcome own =
        ipcbox({"run", "--domain", name, "--net", "--hostname", "inside", "--", "sh", "-c",
                "hostname; df -k /dev/shm | tail -1; cat /proc/net/dev"});
    EXPECT_EQ(own.exit_code, 0) << own.err;
    EXPECT_NE(own.out.find("inside\n"), std::string::npos) << own.out;
    EXPECT_NE(own.out.find(" 8192 "), std::string::npos) << own.out;
    EXPECT_EQ(own.out.find("eth"), std::string::npos) << own.out;
    // Its own pid namespace and another uid, in the same IPC world; exit codes pass through.
    const Outcome inside =
        ipcbox({"run", "--domain", name, "--pid", "--uid", "65534", "--gid", "65534", "--", "sh",
                "-c", "echo pid=$$; " + support("ipcread") + " id , msgstat 0x5d01; exit 7"});
    EXPECT_EQ(inside.exit_code, 7) << inside.err;
    EXPECT_NE(inside.out.find("pid=2"), std::string::npos) << inside.out;
    EXPECT_NE(inside.out.find("id 65534 65534"), std::string::npos) << inside.out;
    // It sees the domain's queue (ENOENT if it did not). Made by the domain's root: root's
    // (mode 0640) for root's domain; for nobody's, uid 0 there and 65534 here are the same user.
    EXPECT_NE(
        inside.out.find(who() == As::Root ? "error msgstat EACCES" : "msgstat id=0 uid=65534"),
        std::string::npos)
        << inside.out;
    // Sealed as run is: the domain's /dev/shm cannot be unmounted, its limits not rewritten.
    const Outcome sealed =
        ipcbox({"run", "--domain", name, "--", "sh", "-c",
                "umount /dev/shm 2>/dev/null; echo umount=$?; (echo 5 > /proc/sys/kernel/msgmni) "
                "2>/dev/null; echo write=$?; cat /proc/sys/kernel/msgmni"});
    EXPECT_NE(sealed.out.find("umount="), std::string::npos) << sealed.out;
    EXPECT_EQ(sealed.out.find("umount=0"), std::string::npos) << sealed.out;
    EXPECT_EQ(sealed.out.find("write=0"), std::string::npos) << sealed.out;
    EXPECT_EQ(sealed.out.find("\n5\n"), std::string::npos) << sealed.out;
    // The leak report says what this command added; --fail-on-leak makes it 123.
    const Outcome leak = ipcbox({"run", "--domain", name, "--fail-on-leak", "--",
                                 support("ipcmake"), "sem", "0x5d02", "1"});
    EXPECT_EQ(leak.exit_code, 123) << leak.err;
    EXPECT_NE(leak.err.find("1 created"), std::string::npos) << leak.err;
    EXPECT_EQ(leak.err.find("0x5d01"), std::string::npos) << leak.err;
    // A timeout ends the command, not the domain.
    const Outcome late = ipcbox({"run", "--domain", name, "--timeout", "1", "--", "sleep", "30"});
    EXPECT_EQ(late.exit_code, 124);
    EXPECT_EQ(listed_domain(who(), name)["status"], "running");
}

TEST_P(DomainLife, AKeeperThatIsGoneIsReportedAndCleaned) {
    const std::string name = domain_name("gone");
    DomainGuard guard(who(), name);
    ASSERT_EQ(ipcbox({"domain", "create", name}).exit_code, 0);
    const pid_t keeper = listed_domain(who(), name)["keeper_pid"].get<pid_t>();
    // The keeper was started by this test's own `domain create`.
    ASSERT_EQ(kill(keeper, SIGKILL), 0);
    for (int i = 0; i < 200 && alive(keeper); ++i) usleep(10000);
    EXPECT_EQ(listed_domain(who(), name)["status"], "keeper-gone");
    const Outcome run = ipcbox({"run", "--domain", name, "--", "true"});
    EXPECT_EQ(run.exit_code, 125);
    EXPECT_NE(run.err.find("is gone"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("domain rm"), std::string::npos) << run.err;
    EXPECT_EQ(ipcbox({"domain", "rm", name}).exit_code, 0);
    EXPECT_TRUE(listed_domain(who(), name).is_null());
    EXPECT_EQ(ipcbox({"domain", "create", name}).exit_code, 0);  // the name is free again
}

INSTANTIATE_TEST_SUITE_P(Users, DomainLife, ::testing::Values(As::Root, As::Nobody), as_name);

// Domains are per user: nobody finds no domain of root's by name, and a record that points at
// root's keeper (planted through XDG_RUNTIME_DIR) is refused before anything of it is opened.
TEST(DomainOwner, AnotherUserCannotJoin) {
    IPCBOX_REQUIRE_USERNS();
    const std::string name = domain_name("owner");
    DomainGuard guard(As::Root, name);
    ASSERT_EQ(run_ipcbox(As::Root, {"domain", "create", name}).exit_code, 0);
    const Outcome by_name = run_ipcbox(As::Nobody, {"run", "--domain", name, "--", "true"});
    EXPECT_EQ(by_name.exit_code, 125);
    EXPECT_NE(by_name.err.find("no domain"), std::string::npos) << by_name.err;

    const std::string runtime = staging_dir() + "/planted";
    const std::string dir = runtime + "/ipcbox/domains/" + name;
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file("/run/ipcbox/domains/" + name + "/state.json", dir + "/state.json");
    for (const auto& p :
         {runtime, runtime + "/ipcbox", runtime + "/ipcbox/domains", dir, dir + "/state.json"}) {
        ASSERT_EQ(chown(p.c_str(), kNobody, kNobody), 0) << p;
        ASSERT_EQ(chmod(p.c_str(), p.ends_with(".json") ? 0644 : 0700), 0) << p;
    }
    const Outcome planted =
        run_program(As::Nobody, {"/usr/bin/env", "XDG_RUNTIME_DIR=" + runtime,
                                 staging_dir() + "/ipcbox", "run", "--domain", name, "--", "true"});
    EXPECT_EQ(planted.exit_code, 125);
    EXPECT_NE(planted.err.find("belongs to uid 0, not to uid 65534"), std::string::npos)
        << planted.err;
    std::filesystem::remove_all(runtime);
}

}  // namespace
}  // namespace ipcbox::test
