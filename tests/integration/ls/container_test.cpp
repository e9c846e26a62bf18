// `ipcbox ls --pid` of a container started by runc (as root), with and without a user namespace
// of its own. The container's only program is the static support_ipcmake: it makes objects, then
// waits. Each test uses its own runc state directory and container id, and deletes the container.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "tests/common/skip.hpp"
#include "tests/integration/harness/harness.hpp"
#include "tests/integration/ls/ls_support.hpp"

namespace ipcbox::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string find_runc() {
    for (const char* p :
         {"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc"})
        if (access(p, X_OK) == 0) return p;
    return "";
}

class RuncContainer {
  public:
    RuncContainer(const std::string& runc, bool user_ns) : runc_(runc) {
        const std::string tag = std::to_string(getpid()) + (user_ns ? "-userns" : "");
        id_ = "ipcbox-ls-test-" + tag;
        bundle_ = staging_dir() + "/bundle-" + tag;
        state_ = staging_dir() + "/runc-state-" + tag;
        // Mount points made up front: a user-namespaced runc init may not write to the rootfs.
        for (const char* dir : {"proc", "dev", "sys", "usr"})
            fs::create_directories(bundle_ + "/rootfs/" + dir);
        fs::create_directories(state_);
        fs::copy_file(support("ipcmake"), bundle_ + "/rootfs/support_ipcmake");
        fs::permissions(bundle_ + "/rootfs/support_ipcmake", fs::perms(0755));
        Outcome spec = run_program(As::Root, {runc_, "spec", "--bundle", bundle_});
        if (spec.exit_code != 0) {
            error_ = "runc spec: " + spec.err;
            return;
        }
        write_config(user_ns);
        // The container keeps runc's stdio: none of it may be the harness's pipes.
        const std::string log = bundle_ + "/runc.log";
        Outcome run =
            run_program(As::Root, {"/bin/sh", "-c",
                                   "exec " + runc_ + " --root " + state_ + " run -d --bundle " +
                                       bundle_ + " " + id_ + " </dev/null >/dev/null 2>" + log});
        started_ = run.exit_code == 0;
        if (!started_) error_ = "runc run: " + read_text(log);
    }
    // Always: a start that failed half way may still have left a container (and its cgroups).
    ~RuncContainer() { run_program(As::Root, {runc_, "--root", state_, "delete", "-f", id_}); }
    bool started() const { return started_; }
    const std::string& error() const { return error_; }
    // The container's init (our program), from `runc state`.
    std::string pid() const {
        Outcome state = run_program(As::Root, {runc_, "--root", state_, "state", id_});
        json j = parse_json(state.out);
        return j.contains("pid") ? std::to_string(j["pid"].get<int>()) : "";
    }

  private:
    void write_config(bool user_ns) {
        const std::string path = bundle_ + "/config.json";
        json config = parse_json(read_text(path));
        config["process"]["terminal"] = false;
        config["process"]["args"] = {
            "/support_ipcmake", "msgq", "0x4c41", "hello", ",", "mq", "/jobs", "hi", ",", "pshm",
            "/frame",           "4096", ",",      "pause"};
        // The host's libraries, read-only, so a dynamically linked (sanitizer) build runs too.
        config["mounts"].push_back({{"destination", "/usr"},
                                    {"type", "bind"},
                                    {"source", "/usr"},
                                    {"options", {"rbind", "ro"}}});
        for (const char* lib : {"lib", "lib64"}) {
            const fs::path host = fs::path("/") / lib, inside = fs::path(bundle_) / "rootfs" / lib;
            std::error_code ec;
            if (fs::is_symlink(host, ec)) {
                fs::create_symlink(fs::read_symlink(host), inside, ec);
            } else if (fs::is_directory(host, ec)) {
                config["mounts"].push_back({{"destination", "/" + std::string(lib)},
                                            {"type", "bind"},
                                            {"source", host.string()},
                                            {"options", {"rbind", "ro"}}});
            }
        }
        if (user_ns) {
            config["linux"]["namespaces"].push_back({{"type", "user"}});
            const json map =
                json::array({{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}});
            config["linux"]["uidMappings"] = map;
            config["linux"]["gidMappings"] = map;
        }
        std::ofstream(path) << config.dump(2);
    }

    std::string runc_, id_, bundle_, state_, error_;
    bool started_ = false;
};

// The program makes its objects right after runc starts it: `ls --json` once all three are
// there (or the last try, after 10 s).
Outcome ls_once_all_made(const std::string& pid) {
    Outcome o;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
        o = run_ipcbox(As::Root, {"ls", "--pid", pid, "--json"});
        json doc = parse_json(o.out);
        if (doc.is_object() && doc["objects"].size() == 3) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < deadline);
    return o;
}

// Each test starts its own container (param: with a user namespace of its own) and reads `pid`.
class LsContainer : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override {
        const std::string runc = find_runc();
        if (runc.empty()) IPCBOX_SKIP("runc is not installed");
        container_.emplace(runc, GetParam());
        ASSERT_TRUE(container_->started()) << container_->error();
        pid = container_->pid();
        ASSERT_FALSE(pid.empty() || pid == "0") << "the container's process is not running";
    }
    std::string pid;

  private:
    std::optional<RuncContainer> container_;  // deleted after the test, whatever happened
};

TEST_P(LsContainer, ListsTheContainersObjects) {
    Outcome o = ls_once_all_made(pid);
    json doc = parse_json(o.out);
    ASSERT_EQ(o.exit_code, 0) << o.err;
    ASSERT_EQ(doc["objects"].size(), 3u) << o.out;

    json q = find_object(doc["objects"], "sysv.queue", "0x00004c41");
    EXPECT_EQ(q["messages"], 1);
    EXPECT_EQ(q["bytes"], 5);
    EXPECT_EQ(q["mode"], "0640");
    // Owners as the container sees them, also with a user namespace (host uid 100000).
    EXPECT_EQ(q["uid"], 0);
    EXPECT_EQ(q["cuid"], 0);
    json mq = find_object(doc["objects"], "posix.queue", "/jobs");
    EXPECT_EQ(mq["messages"], 1);
    EXPECT_EQ(mq["max_messages"], 4);
    EXPECT_EQ(mq["uid"], 0);
    json shm = find_object(doc["objects"], "posix.shm", "/frame");
    EXPECT_EQ(shm["size"], 4096);
    EXPECT_EQ(shm["mode"], "0640");
    EXPECT_EQ(shm["uid"], 0);
    EXPECT_EQ(doc["notes"], json::array());
    EXPECT_EQ(doc["namespace"]["ipc"], namespace_inode(pid, "ipc"));
    EXPECT_EQ(doc["namespace"]["mnt"], namespace_inode(pid, "mnt"));
}

// `ipcbox snapshot --pid` of the same container (issue 14: "as root on any process, a
// container's too"): the spec holds its objects as it sees them and replays in a sandbox.
TEST_P(LsContainer, SnapshotOfTheContainerReplays) {
    ASSERT_EQ(parse_json(ls_once_all_made(pid).out)["objects"].size(), 3u)
        << "the objects never appeared";
    const std::string spec = staging_dir() + "/snapshot-" + std::to_string(getpid()) +
                             (GetParam() ? "-u" : "") + ".toml";
    Outcome snap = run_ipcbox(As::Root, {"snapshot", "--pid", pid, "-o", spec});
    ASSERT_EQ(snap.exit_code, 0) << snap.err;
    const std::string text = read_text(spec);
    for (const char* expected : {"key = 0x00004c41", "text = \"hello\"", "name = \"/frame\"",
                                 "size = 4096", "mode = 0o640", "owner = 0", "name = \"/jobs\""})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << " in\n" << text;
    EXPECT_EQ(run_ipcbox(As::Root, {"validate", spec}).exit_code, 0);
    Outcome replay = run_ipcbox(As::Root, {"run", "-c", spec, "--", support("ipcread"), "msgrcv",
                                           "0x4c41", ",", "stat", "/dev/shm/frame"});
    EXPECT_EQ(replay.exit_code, 0) << replay.err;
    EXPECT_NE(replay.out.find(" 68656c6c6f\n"), std::string::npos) << replay.out;
    EXPECT_NE(replay.out.find("mode=0640"), std::string::npos) << replay.out;
    EXPECT_NE(replay.out.find("size=4096"), std::string::npos) << replay.out;
    unlink(spec.c_str());
}

INSTANTIATE_TEST_SUITE_P(, LsContainer, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                             return info.param ? "user_namespace" : "root";
                         });

}  // namespace
}  // namespace ipcbox::test
