// Helpers for the domain tests: unique names, a guard that removes a domain however a test ends,
// what `domain ls` says of one, and whether a process or namespace is still there.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/harness/harness.hpp"
#include "tests/integration/run/preseed_support.hpp"

namespace ipcbox::test {

inline std::string domain_name(const std::string& what) {
    return "t-" + what + "-" + std::to_string(getpid());
}

// Is `pid` a live process? A zombie is not: it holds no namespace, and its reaper (the machine's
// init, to which a keeper is orphaned) decides when it goes.
inline bool alive(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("State:", 0) == 0) return line.find('Z') == std::string::npos;
    return false;
}

// Does any process (that this test may look at) have the IPC namespace of this inode?
inline bool ipc_namespace_in_use(uint64_t inode) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        struct stat st;
        const std::string path = entry.path().string() + "/ns/ipc";
        if (stat(path.c_str(), &st) == 0 && st.st_ino == inode) return true;
    }
    return false;
}

// `domain rm` at the end of the test, whatever happened in between.
class DomainGuard {
  public:
    DomainGuard(As who, std::string name) : who_(who), name_(std::move(name)) {}
    ~DomainGuard() { run_ipcbox(who_, {"domain", "rm", name_, "--grace", "1"}); }
    DomainGuard(const DomainGuard&) = delete;
    DomainGuard& operator=(const DomainGuard&) = delete;

  private:
    As who_;
    std::string name_;
};

// The entry of `name` in `domain ls --json` run as `who` (null when it is not listed).
inline nlohmann::json listed_domain(As who, const std::string& name) {
    const Outcome ls = run_ipcbox(who, {"domain", "ls", "--json"});
    if (ls.exit_code != 0) return nullptr;
    auto all = nlohmann::json::parse(ls.out, nullptr, false);
    if (!all.is_array()) return nullptr;
    for (const auto& d : all)
        if (d.value("name", "") == name) return d;
    return nullptr;
}

}  // namespace ipcbox::test
