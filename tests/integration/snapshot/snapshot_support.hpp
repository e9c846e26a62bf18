// Helpers for the snapshot tests: a directory for the spec and its payloads, a sandbox that waits
// with a known pid, ls --json objects without what a replay cannot keep, a spec's objects.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {

// A world-writable directory for the snapshot, removed at the end.
class OutputDir {
  public:
    OutputDir() {
        std::string tmpl = staging_dir() + "/snapshot-XXXXXX";
        path_ = mkdtemp(tmpl.data());
        chmod(path_.c_str(), 0777);
    }
    ~OutputDir() { std::filesystem::remove_all(path_); }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// ls --json objects without what a replay cannot keep: times and pids.
inline nlohmann::json comparable(const nlohmann::json& objects) {
    nlohmann::json out = nlohmann::json::array();
    for (nlohmann::json o : objects) {
        for (auto it = o.begin(); it != o.end();) {
            const std::string k = it.key();
            if (k.ends_with("_time") || k.ends_with("_pid"))
                it = o.erase(it);
            else
                ++it;
        }
        out.push_back(o);
    }
    return out;
}

// The objects of a snapshot's text: everything from its first object on.
inline std::string objects_of(const std::string& spec) {
    const size_t at = spec.find("\n[[");
    return at == std::string::npos ? "" : spec.substr(at);
}

// `ipcbox run -c SPEC -- sh -c 'FIRST; exec support_ipcmake pause'` as `who`: what FIRST printed,
// and the pid of the waiting command. Stopped (SIGTERM) and reaped at the end.
class PausedSandbox {
  public:
    PausedSandbox(As who, const std::string& spec, const std::string& first = "") {
        const std::string cmd =
            (first.empty() ? "" : first + "; ") + "exec " + support("ipcmake") + " pause";
        spawned_ = std::make_unique<Spawned>(
            who, std::vector<std::string>{staging_dir() + "/ipcbox", "run", "-c", spec, "--",
                                          "/bin/sh", "-c", cmd});
        ready_ = spawned_->wait_for_output("ready ");
    }
    ~PausedSandbox() {
        spawned_->send(SIGTERM);
        spawned_->wait();
    }
    bool ready() const { return ready_; }
    std::string printed() const {
        const std::string& out = spawned_->out();
        return out.substr(0, out.find("ready "));
    }
    std::string pid() const {
        const std::string& out = spawned_->out();
        const size_t at = out.find("ready ") + 6;
        return out.substr(at, out.find('\n', at) - at);
    }

  private:
    std::unique_ptr<Spawned> spawned_;
    bool ready_ = false;
};

}  // namespace ipcbox::test
