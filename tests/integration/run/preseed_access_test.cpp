// Preseeded objects belong to whom the spec says, as seen from inside, and their modes hold
// against the command: it may use what its mode allows and is refused what it does not.
#include <sys/ipc.h>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {
namespace {

using PreseedAccess = AsEachUser;

// A new user namespace where the command runs as 1000:1000, without capabilities: as root and
// as nobody alike (root otherwise stays root in the host user namespace and bypasses modes).
const char* kAsUser1000 = R"(
[sandbox]
user = "new"
uid = 1000
gid = 1000
)";

// One object of every kind, all with `mode`.
std::string every_kind(const std::string& mode) {
    return R"(
[[sysv.queue]]
key = 0x1
mode = )" + mode +
           R"(
messages = [ { type = 1, text = "x" } ]

[[sysv.semaphore]]
key = 0x2
values = [1]
mode = )" + mode +
           R"(

[[sysv.shm]]
key = 0x3
size = 64
mode = )" + mode +
           R"(

[[posix.queue]]
name = "/q"
mode = )" + mode +
           R"(

[[posix.shm]]
name = "/s"
size = 64
mode = )" + mode +
           R"(

[[posix.semaphore]]
name = "/m"
value = 1
mode = )" + mode +
           "\n";
}

std::vector<std::string> try_everything() {
    return {support("ipcread"),
            "try",
            "msgsnd",
            "0x1",
            ",",
            "try",
            "msgrcv",
            "0x1",
            ",",
            "try",
            "semop",
            "0x2",
            ",",
            "try",
            "shmat-rw",
            "0x3",
            ",",
            "try",
            "mqsend",
            "/q",
            ",",
            "try",
            "mqopen-r",
            "/q",
            ",",
            "try",
            "open-rw",
            "/dev/shm/s",
            ",",
            "try",
            "open-r",
            "/dev/shm/s",
            ",",
            "try",
            "sem-post",
            "/m"};
}

std::vector<std::string> run_args(const std::string& spec, std::vector<std::string> command) {
    std::vector<std::string> args{"run", "-c", spec, "--"};
    args.insert(args.end(), command.begin(), command.end());
    return args;
}

TEST_P(PreseedAccess, ObjectsBelongToTheSandboxUserByDefault) {
    const std::string spec = write_spec(std::string(kAsUser1000) + every_kind("0o600"));
    Outcome o = ipcbox(run_args(
        spec,
        {"/bin/sh", "-c",
         section_cmd("msg", "cat /proc/sysvipc/msg") + section_cmd("sem", "cat /proc/sysvipc/sem") +
             section_cmd("shm", "cat /proc/sysvipc/shm") +
             section_cmd("probe", support("ipcread") + " id , mqstat /q , stat /dev/shm/s , stat "
                                                       "/dev/shm/sem.m")}));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const std::pair<const char*, key_t> tables[] = {{"msg", 0x1}, {"sem", 0x2}, {"shm", 0x3}};
    for (const auto& [table, key] : tables) {
        auto row = sysvipc_row(section(o.out, table), key);
        EXPECT_EQ(row["uid"], "1000") << table;
        EXPECT_EQ(row["gid"], "1000") << table;
        EXPECT_EQ(row["perms"], "600") << table;
    }
    EXPECT_EQ(section(o.out, "probe"),
              "id 1000 1000\n"
              "stat /q mode=0600 uid=1000 gid=1000 size=80\n"
              "stat /dev/shm/s mode=0600 uid=1000 gid=1000 size=64\n"
              "stat /dev/shm/sem.m mode=0600 uid=1000 gid=1000 size=32\n");
}

TEST_P(PreseedAccess, TheCommandMayUseWhatItsModeAllows) {
    const std::string spec = write_spec(std::string(kAsUser1000) + every_kind("0o600"));
    Outcome o = ipcbox(run_args(spec, try_everything()));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out,
              "try msgsnd ok\ntry msgrcv ok\ntry semop ok\ntry shmat-rw ok\ntry mqsend ok\n"
              "try mqopen-r ok\ntry open-rw ok\ntry open-r ok\ntry sem-post ok\n");
}

TEST_P(PreseedAccess, ReadOnlyObjectsRefuseWrites) {
    const std::string spec = write_spec(std::string(kAsUser1000) + every_kind("0o400"));
    Outcome o = ipcbox(run_args(spec, try_everything()));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out,
              "try msgsnd EACCES\ntry msgrcv ok\ntry semop EACCES\ntry shmat-rw EACCES\n"
              "try mqsend EACCES\ntry mqopen-r ok\ntry open-rw EACCES\ntry open-r ok\n"
              "try sem-post EACCES\n");
}

TEST_P(PreseedAccess, ExplicitOwnerAndGroup) {
    // Rootless maps a single id, so only host root (in the host user namespace) can give objects
    // to ids other than its own.
    const bool root = who() == As::Root;
    const std::string owner = root ? "2000" : "1000", group = root ? "3000" : "1000";
    const std::string sandbox = root ? "[sandbox]\nuser = \"host\"\n" : kAsUser1000;
    const std::string spec = write_spec(sandbox + R"(
[[sysv.queue]]
key = 0x1
mode = 0o640
owner = )" + owner + "\ngroup = " + group +
                                        R"(

[[sysv.shm]]
key = 0x3
size = 64
owner = )" + owner + "\ngroup = " + group +
                                        "\n");
    Outcome o =
        ipcbox(run_args(spec, {support("ipcread"), "msgstat", "0x1", ",", "shmstat", "0x3"}));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const std::string creator = root ? "cuid=0 cgid=0" : "cuid=1000 cgid=1000";
    EXPECT_EQ(o.out, "msgstat id=0 uid=" + owner + " gid=" + group + " " + creator +
                         " mode=0640 qbytes=16384 qnum=0\nshmstat id=0 uid=" + owner +
                         " gid=" + group + " " + creator + " mode=0600 size=64\n");
}

TEST_P(PreseedAccess, AnOwnerTheUserNamespaceDoesNotMapIsAnError) {
    const std::string spec = write_spec(std::string(kAsUser1000) + R"(
[[sysv.semaphore]]
key = 0x42
values = [1]
owner = 0
)");
    Outcome o = ipcbox(run_args(spec, {"/bin/true"}));
    EXPECT_EQ(o.exit_code, 125);
    // Refused when the plan is made, before any namespace: spec location, object, the one id.
    EXPECT_EQ(o.err, "ipcbox: " + spec +
                         ":7:1: sysv.semaphore[0]: owner 0 is not mapped in the sandbox's user "
                         "namespace, which maps only the command's uid 1000\n");
}

INSTANTIATE_TEST_SUITE_P(Run, PreseedAccess, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
