// Any inside uid works with every feature, the kernel's knobs are not the command's to change,
// and capabilities kept with --cap-add reach only namespaces made for the command. As root and
// as nobody.
#include <unistd.h>

#include <fstream>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/harness/host_objects.hpp"

namespace ipcbox::test {
namespace {

using SealIds = AsEachUser;
using SealCaps = AsEachUser;

std::string knob_spec() {
    return write_spec(R"(
[sysctl]
"kernel.msgmnb" = 70000

[[sysv.queue]]
key = 0x4c3b
messages = [ { type = 2, text = "up" } ]
)");
}

// Rootless, the setup is root of the sandbox's user namespace (it must be, to write the IPC
// sysctls) and the command runs as 4242 in a namespace nested below it.
TEST_P(SealIds, ANonZeroUidGetsItsSysctlsAndOwnsItsObjects) {
    Outcome o = ipcbox({"run",
                        "-c",
                        knob_spec(),
                        "--uid",
                        "4242",
                        "--gid",
                        "4343",
                        "--",
                        support("ipcread"),
                        "id",
                        ",",
                        "msgstat",
                        "0x4c3b",
                        ",",
                        "fileread",
                        "/proc/sys/kernel/msgmnb",
                        "5",
                        ",",
                        "msgrcv",
                        "0x4c3b"});
    ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
    EXPECT_NE(o.out.find("id 4242 4343\n"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find(" uid=4242 gid=4343 "), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("file 3730303030\n"), std::string::npos) << o.out;  // "70000"
    EXPECT_NE(o.out.find("msg 2 7570\n"), std::string::npos) << o.out;
}

// The owner a spec names is as seen inside: the command's own uid.
TEST_P(SealIds, AnOwnerNamedInsideIsTheCommandsUid) {
    const std::string spec = write_spec(R"(
[[sysv.shm]]
key = 0x4c3c
size = 64
owner = 4242
group = 4343
mode = 0o640
)");
    Outcome o = ipcbox({"run", "-c", spec, "--uid", "4242", "--gid", "4343", "--",
                        support("ipcread"), "shmstat", "0x4c3c"});
    ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
    EXPECT_NE(o.out.find(" uid=4242 gid=4343 "), std::string::npos) << o.out;
    EXPECT_NE(o.out.find(" mode=0640"), std::string::npos) << o.out;
}

// The IPC namespace's limits belong to the setup: even a command whose uid owns them (rootless,
// or host root) finds /proc/sys read-only and the value unchanged.
TEST_P(SealIds, TheCommandCannotRewriteItsSysctls) {
    for (const char* uid : {"0", "4242"}) {
        const std::string script = support("escape") + " write /proc/sys/kernel/msgmnb 1000; " +
                                   support("ipcread") + " fileread /proc/sys/kernel/msgmnb 5";
        Outcome o = ipcbox({"run", "-c", knob_spec(), "--uid", uid, "--", "/bin/sh", "-c", script});
        // EROFS; or EACCES first, for a uid that does not own the knobs (root's --uid 4242).
        EXPECT_TRUE(o.out == "EROFS\nfile 3730303030\n" ||
                    (std::string(uid) != "0" && o.out == "EACCES\nfile 3730303030\n"))
            << "uid " << uid << ": " << o.out << o.err;
    }
}

// Root's command is host uid 0: files that check only the uid (host-wide sysctls, /sys) would be
// its to write. They are read-only in the sandbox. The value written is the one already there,
// so a failure of this test changes nothing on the host.
TEST(SealRootKnobs, HostWideKnobsAreReadOnly) {
    for (const char* path : {"/proc/sys/kernel/printk_ratelimit", "/sys/kernel/mm/ksm/run"}) {
        std::ifstream in(path);
        std::string value;
        if (!(in >> value)) IPCBOX_SKIP(std::string(path) + " is not readable here");
        Outcome o = run_ipcbox(As::Root, {"run", "--", support("escape"), "write", path, value});
        EXPECT_EQ(o.out, "EROFS\n") << path << ": " << o.err;
        EXPECT_EQ(o.exit_code, 1) << path;
    }
}

// A user namespace of its own would give a non-zero uid CAP_SYS_ADMIN over a mount namespace of
// its own, enough to mount a tmpfs over the closed /dev/shm.
TEST_P(SealIds, NoUserNamespaceOfItsOwnAroundABlockWhateverTheUid) {
    for (const char* uid : {"0", "4242"}) {
        Outcome o = ipcbox(
            {"run", "--uid", uid, "--block", "posix.shm", "--", support("escape"), "userns"});
        EXPECT_EQ(o.out, "EPERM\n") << "uid " << uid << ": " << o.err;
        Outcome shell =
            ipcbox({"run", "--uid", uid, "--block", "posix.shm", "--", "/usr/bin/unshare", "-Urm",
                    support("escape"), "mount", "tmpfs", "/dev/shm"});
        EXPECT_NE(shell.exit_code, 0) << "uid " << uid;
        EXPECT_EQ(shell.out, "") << "uid " << uid << ": " << shell.err;
    }
}

// Run from a user namespace whose limit allows only ipcbox's own: the nested one is refused, and
// the error names the step and the sysctl.
TEST_P(SealIds, ARefusedNestedUserNamespaceNamesTheLimit) {
    const std::string ipcbox_path = staging_dir() + "/ipcbox";
    const std::string script = "echo 1 > /proc/sys/user/max_user_namespaces && " + ipcbox_path +
                               " run --user new --uid 5 -- /bin/true; echo $?";
    Outcome o = run_program(who(), {"/usr/bin/unshare", "-Ur", "/bin/sh", "-c", script});
    EXPECT_EQ(o.out, "125\n") << o.err;
    EXPECT_EQ(o.err,
              "ipcbox: nested user namespace for the command: unshare: No space left on device\n"
              "ipcbox: hint: the limit user.max_user_namespaces is reached "
              "(/proc/sys/user/max_user_namespaces)\n");
}

std::string cap_line(const std::string& out, const std::string& set) {
    const size_t at = out.find(set + ":\t");
    return at == std::string::npos ? "(none)" : out.substr(at + set.size() + 2, 16);
}

TEST_P(SealCaps, AKeptCapabilityIsTheOnlyOneAndWorksOnTheSandboxsNetwork) {
    for (const char* uid : {"0", "4242"}) {
        Outcome caps = ipcbox({"run", "--net", "--uid", uid, "--cap-add", "CAP_NET_ADMIN", "--",
                               support("escape"), "caps"});
        ASSERT_EQ(caps.exit_code, 0) << caps.err;
        for (const char* set : {"CapPrm", "CapEff", "CapBnd", "CapAmb", "CapInh"})
            EXPECT_EQ(cap_line(caps.out, set), "0000000000001000") << set << " uid " << uid;
        Outcome down = ipcbox({"run", "--net", "--uid", uid, "--cap-add", "net_admin", "--",
                               support("escape"), "lo-down"});
        EXPECT_EQ(down.out, "ok\n") << "uid " << uid << ": " << down.err;
    }
    Outcome without = ipcbox({"run", "--net", "--", support("escape"), "lo-down"});
    EXPECT_EQ(without.out, "EPERM\n") << without.err;
}

// Even CAP_SYS_ADMIN, kept in the command's nested user namespace, undoes nothing: the mounts
// copied into it are locked, /proc/sys stays read-only, mqueue cannot be mounted (that needs the
// IPC namespace's owner) and the host's namespaces stay out of reach.
TEST_P(SealCaps, KeptSysAdminCannotUndoTheSandbox) {
    const std::string name = unique_name("seal-caps");
    HostShm shm(name);
    ASSERT_TRUE(shm.ok());
    Spawned host(who(), {"/bin/sleep", "30"});
    const std::string e = support("escape");
    const std::string script = e + " umount /dev/shm; " + e + " umount-lazy /dev/shm; " + e +
                               " umount /proc/sys; " + e + " write /proc/sys/kernel/msgmnb 1000; " +
                               e + " mount mqueue /dev/shm; " + e + " setns-ipc " +
                               std::to_string(host.pid()) + "; " + support("isolation") +
                               " shm-exists " + name;
    Outcome o = ipcbox({"run", "--cap-add", "CAP_SYS_ADMIN", "--", "/bin/sh", "-c", script});
    // setns: refused at the open of the namespace file (EACCES) or at setns itself (EPERM).
    EXPECT_TRUE(o.out == "EINVAL\nEINVAL\nEINVAL\nEROFS\nEPERM\nEPERM\nENOENT\n" ||
                o.out == "EINVAL\nEINVAL\nEINVAL\nEROFS\nEPERM\nEACCES\nENOENT\n")
        << o.out << o.err;
}

TEST_P(SealCaps, BadCapabilitiesAreRefusedAndNothingRuns) {
    const std::string marker = staging_dir() + "/" + unique_name("ran");
    const std::vector<std::string> touch = {support("ipcread"), "touch", marker};
    struct Case {
        std::vector<std::string> flags;
        std::string error;
    };
    const std::vector<Case> cases = {
        {{"--cap-add", "CAP_NET_ADMN"},
         "ipcbox: --cap-add: 'CAP_NET_ADMN' is not a capability; did you mean "
         "\"CAP_NET_ADMIN\"?\n"},
        {{"--cap-add", "CAP_KILL", "--user", "host"},
         "ipcbox: sandbox.capabilities: 'CAP_KILL' needs a user namespace to be kept in, so that "
         "it reaches only the sandbox's own namespaces; user = \"host\" has none (use "
         "\"auto\")\n"},
        {{"--cap-add", "sys_admin", "--block", "posix.shm"},
         "ipcbox: sandbox.capabilities: 'CAP_SYS_ADMIN' would let the command mount a tmpfs of "
         "its own over the closed /dev/shm and undo block.kinds; keep it only without blocking "
         "posix.shm or posix.semaphore\n"},
    };
    for (const Case& c : cases) {
        std::vector<std::string> args = {"run"};
        args.insert(args.end(), c.flags.begin(), c.flags.end());
        args.push_back("--");
        args.insert(args.end(), touch.begin(), touch.end());
        Outcome o = ipcbox(args);
        EXPECT_EQ(o.exit_code, 125) << c.flags[1];
        EXPECT_EQ(o.err, c.error);
        EXPECT_NE(access(marker.c_str(), F_OK), 0) << c.flags[1];
    }
}

TEST_P(SealCaps, ExplainSaysWhatIsKept) {
    Outcome none = ipcbox({"run", "--explain", "--", "true"});
    EXPECT_NE(none.out.find("capabilities: none (every set empty, bounding set too)\n"),
              std::string::npos)
        << none.out;
    Outcome kept = ipcbox({"run", "--explain", "--uid", "7", "--cap-add", "net_raw", "--cap-add",
                           "CAP_NET_ADMIN", "--", "true"});
    EXPECT_NE(kept.out.find("capabilities: CAP_NET_RAW, CAP_NET_ADMIN (in the command's nested "
                            "user namespace only"),
              std::string::npos)
        << kept.out;
    EXPECT_NE(kept.out.find("nested for the command: uid 7 -> "), std::string::npos) << kept.out;
}

INSTANTIATE_TEST_SUITE_P(Users, SealIds, ::testing::Values(As::Root, As::Nobody), as_name);
INSTANTIATE_TEST_SUITE_P(Users, SealCaps, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
