#include "tests/fuzz/scratch.hpp"

#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace ipcbox::fuzz {
namespace {

[[noreturn]] void die(const char* step) {
    std::perror(step);
    std::abort();
}

// Rootless: map the caller to root of a new user namespace, which may then chroot.
void map_to_root(uid_t uid, gid_t gid) {
    std::ofstream("/proc/self/setgroups") << "deny";
    std::ofstream("/proc/self/uid_map") << "0 " << uid << " 1";
    std::ofstream("/proc/self/gid_map") << "0 " << gid << " 1";
}

}  // namespace

void enter_scratch_root(const std::vector<std::pair<std::string, std::string>>& files) {
    const uid_t uid = getuid();
    const gid_t gid = getgid();
    if (unshare(CLONE_NEWNS | (uid == 0 ? 0 : CLONE_NEWUSER)) != 0) die("unshare");
    if (uid != 0) map_to_root(uid, gid);
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) die("mount private");
    // A tmpfs over /tmp in this mount namespace only: the root leaves nothing behind on the host.
    const std::filesystem::path root = "/tmp";
    if (mount("tmpfs", root.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=64m") != 0)
        die("mount tmpfs");
    for (const auto& [relative, contents] : files) {
        std::filesystem::create_directories((root / relative).parent_path());
        std::ofstream(root / relative, std::ios::binary) << contents;
    }
    // The sanitizers read this process's /proc entry (LeakSanitizer's tracer lists its tasks by
    // pid, reports read the memory map); nothing else of /proc is there, so no input can name
    // /proc/kmsg or another process.
    const std::string pid = std::to_string(getpid());
    const std::filesystem::path own = root / "proc" / pid;
    std::filesystem::create_directories(own);
    std::filesystem::create_directory_symlink(pid, root / "proc/self");
    if (mount(("/proc/" + pid).c_str(), own.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
        die("bind /proc/PID");
    if (chroot(root.c_str()) != 0) die("chroot");
}

}  // namespace ipcbox::fuzz
