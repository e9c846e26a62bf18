// IPC domains: commands run separately in one domain share its IPC objects and /dev/shm, and
// nothing of it reaches the host or another domain; `rm` leaves nothing behind.
#include <sys/msg.h>
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>

#include "tests/integration/domain/domain_support.hpp"
#include "tests/integration/harness/host_objects.hpp"

namespace ipcbox::test {
namespace {

using Domain = AsEachUser;

std::string key_text(key_t key) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%x", static_cast<unsigned>(key));
    return text;
}

// A spec for `domain create`: a limit and a preseeded queue with one message.
std::string domain_spec(key_t seeded) {
    return "[sysctl]\n\"kernel.msgmnb\" = 20000\n\n[[sysv.queue]]\nkey = " + key_text(seeded) +
           "\nmessages = [{ type = 2, text = \"seeded\" }]\n\n[[posix.shm]]\nname = "
           "\"/seeded\"\nsize = 13\ntext = \"from the spec\"\n";
}

TEST_P(Domain, ServerAndClientShareObjectsAndDevShm) {
    const std::string name = domain_name("share");
    const key_t seeded = unique_key(1), server_key = unique_key(2), reply_key = unique_key(3);
    RemoveQueueAtEnd no_host_queue{server_key};  // in case the domain leaked onto the host
    DomainGuard guard(who(), name);
    const Outcome created =
        ipcbox({"domain", "create", name, "-c", write_spec(domain_spec(seeded))});
    ASSERT_EQ(created.exit_code, 0) << created.err;

    // The server makes a queue with a message, a POSIX queue with one, a /dev/shm file, and stays.
    Spawned server(who(), {staging_dir() + "/ipcbox", "run", "--domain", name, "--",
                           support("ipcmake"), "msgq", key_text(server_key), "ping", ",", "mq",
                           "/chat", "pong", ",", "pshm", "/board", "64", ",", "pause"});
    ASSERT_TRUE(server.wait_for_output("ready")) << server.out();

    const nlohmann::json listed = listed_domain(who(), name);
    ASSERT_TRUE(listed.is_object());
    EXPECT_EQ(listed["status"], "running");
    EXPECT_EQ(listed["processes"], 1) << listed.dump();
    EXPECT_EQ(listed["objects"]["sysv.queue"], 2) << listed.dump();
    EXPECT_EQ(listed["objects"]["posix.queue"], 1);
    EXPECT_EQ(listed["objects"]["posix.shm"], 2);

    // The client, another run, reads all of it (taking the messages) and answers on a new queue.
    const Outcome client = ipcbox({"run",
                                   "--domain",
                                   name,
                                   "--",
                                   support("ipcread"),
                                   "msgrcv",
                                   key_text(server_key),
                                   ",",
                                   "mqread",
                                   "/chat",
                                   ",",
                                   "stat",
                                   "/dev/shm/board",
                                   ",",
                                   "msgrcv",
                                   key_text(seeded),
                                   ",",
                                   "fileread",
                                   "/dev/shm/seeded",
                                   "13"});
    ASSERT_EQ(client.exit_code, 0) << client.out << client.err;
    EXPECT_NE(client.out.find("msg 1 " + hex_of("ping")), std::string::npos) << client.out;
    EXPECT_NE(client.out.find("mq 0 " + hex_of("pong")), std::string::npos) << client.out;
    EXPECT_NE(client.out.find("stat /dev/shm/board mode=0640"), std::string::npos) << client.out;
    EXPECT_NE(client.out.find("size=64"), std::string::npos) << client.out;
    EXPECT_NE(client.out.find("msg 2 " + hex_of("seeded")), std::string::npos) << client.out;
    EXPECT_NE(client.out.find("file " + hex_of("from the spec")), std::string::npos) << client.out;
    const Outcome reply = ipcbox(
        {"run", "--domain", name, "--", support("ipcmake"), "msgq", key_text(reply_key), "pong"});
    ASSERT_EQ(reply.exit_code, 0) << reply.err;

    // Back in the server's world (a third run): the reply is there, the taken messages are not,
    // and the domain's limit holds.
    const Outcome back =
        ipcbox({"run", "--domain", name, "--", "sh", "-c",
                support("ipcread") + " msgrcv " + key_text(reply_key) + " , msgstat " +
                    key_text(server_key) + "; cat /proc/sys/kernel/msgmnb"});
    EXPECT_EQ(back.exit_code, 0) << back.err;
    EXPECT_NE(back.out.find("msg 1 " + hex_of("pong")), std::string::npos) << back.out;
    EXPECT_NE(back.out.find("qnum=0"), std::string::npos) << back.out;
    EXPECT_NE(back.out.find("20000"), std::string::npos) << back.out;

    // None of it is the host's.
    errno = 0;
    EXPECT_EQ(msgget(server_key, 0), -1);
    EXPECT_EQ(errno, ENOENT);
    EXPECT_FALSE(std::filesystem::exists("/dev/shm/board"));
    EXPECT_FALSE(std::filesystem::exists("/dev/shm/seeded"));

    // ls and probe look at the domain too.
    const Outcome ls = ipcbox({"ls", "--domain", name, "--json"});
    ASSERT_EQ(ls.exit_code, 0) << ls.err;
    const auto inventory = nlohmann::json::parse(ls.out);
    EXPECT_EQ(inventory["namespace"]["from"], "domain");
    EXPECT_NE(ls.out.find("\"/board\""), std::string::npos) << ls.out;
    const uint64_t ipc_inode = inventory["namespace"]["ipc"].get<uint64_t>();
    EXPECT_TRUE(ipc_namespace_in_use(ipc_inode));
    const Outcome probe = ipcbox({"probe", "--domain", name});
    EXPECT_EQ(probe.exit_code, 0) << probe.err;
    EXPECT_NE(probe.out.find("posix.shm                        isolated"), std::string::npos)
        << probe.out;

    // rm ends the server (SIGTERM: it exits 143 through its ipcbox) and leaves no process, and
    // with the last one the namespace (and every object in it) is gone.
    const pid_t keeper = listed["keeper_pid"].get<pid_t>();
    const Outcome removed = ipcbox({"domain", "rm", name});
    EXPECT_EQ(removed.exit_code, 0) << removed.err;
    EXPECT_EQ(server.wait(10).exit_code, 143);
    EXPECT_FALSE(alive(keeper));
    EXPECT_FALSE(ipc_namespace_in_use(ipc_inode));
    EXPECT_TRUE(listed_domain(who(), name).is_null());
    const Outcome after = ipcbox({"run", "--domain", name, "--", "true"});
    EXPECT_EQ(after.exit_code, 125);
    EXPECT_NE(after.err.find("no domain"), std::string::npos) << after.err;
}

TEST_P(Domain, SecondDomainWithTheSameKeysSeesNothing) {
    const std::string first = domain_name("first"), second = domain_name("second");
    const key_t key = unique_key(4);
    DomainGuard g1(who(), first), g2(who(), second);
    ASSERT_EQ(ipcbox({"domain", "create", first}).exit_code, 0);
    ASSERT_EQ(ipcbox({"domain", "create", second}).exit_code, 0);
    const Outcome made = ipcbox({"run", "--domain", first, "--", support("ipcmake"), "msgq",
                                 key_text(key), ",", "pshm", "/only-first", "8"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const Outcome there = ipcbox({"run", "--domain", first, "--", support("ipcread"), "msgstat",
                                  key_text(key), ",", "stat", "/dev/shm/only-first"});
    EXPECT_EQ(there.exit_code, 0) << there.out;
    const Outcome elsewhere =
        ipcbox({"run", "--domain", second, "--", support("ipcread"), "msgstat", key_text(key)});
    EXPECT_EQ(elsewhere.exit_code, 1);
    EXPECT_NE(elsewhere.out.find("error msgstat ENOENT"), std::string::npos) << elsewhere.out;
    const Outcome no_file = ipcbox(
        {"run", "--domain", second, "--", support("ipcread"), "stat", "/dev/shm/only-first"});
    EXPECT_NE(no_file.out.find("ENOENT"), std::string::npos) << no_file.out;
    // A plain run (a world of its own) sees neither.
    const Outcome plain = ipcbox({"run", "--", support("ipcread"), "msgstat", key_text(key)});
    EXPECT_NE(plain.out.find("error msgstat ENOENT"), std::string::npos) << plain.out;
}

INSTANTIATE_TEST_SUITE_P(Users, Domain, ::testing::Values(As::Root, As::Nobody), as_name);

}  // namespace
}  // namespace ipcbox::test
