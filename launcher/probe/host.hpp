// The host half of `ipcbox probe`: one object per mechanism, made with names and keys no one
// else uses, and removed again however the probe ends (every object registers its own removal
// the moment it exists).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "launcher/probe/inside.hpp"
#include "launcher/probe/signal_helper.hpp"
#include "ns/capabilities.hpp"

namespace ipcbox::launcher::probe {

// SysV keys the probe makes are 0x1cXXXXXX; names start with this prefix.
inline constexpr key_t kKeyPrefix = 0x1c000000;
inline constexpr const char* kNamePrefix = "ipcbox-probe-";

class ProbeHost {
  public:
    // Makes every object it can; what could not be made is in missing(), by mechanism.
    // `mqueue_mounts`: the host's mqueue mounts (the path route needs one). `private_dirs`: the
    // sandbox's tmpfs paths; the FIFO and the path socket are made under the first of them this
    // user can write to (where the sandbox's own tmpfs will cover them), in /tmp when there are
    // none.
    // `owner`: root running the command as other ids gives every object (and the signal helper)
    // to them, so that the probe measures what the namespaces isolate, not file permissions.
    static std::unique_ptr<ProbeHost> create(const std::vector<std::string>& mqueue_mounts,
                                             const std::vector<std::string>& private_dirs,
                                             std::optional<ns::Identity> owner = std::nullopt);
    ~ProbeHost();
    ProbeHost(const ProbeHost&) = delete;
    ProbeHost& operator=(const ProbeHost&) = delete;

    const Targets& targets() const { return targets_; }
    const std::map<std::string, std::string>& missing() const { return missing_; }
    const std::string& temp_dir() const { return temp_dir_; }

    // After the inside ran: what arrived on the host side (the fifo's byte, connections
    // waiting to be accepted, the signal), by mechanism. Stops the signal helper.
    std::map<std::string, bool> observe();

    // Removes everything, newest first. Safe to call more than once.
    void remove_all();

  private:
    ProbeHost() = default;
    void make_sysv();
    void make_posix(const std::vector<std::string>& mqueue_mounts);
    void make_files(const std::vector<std::string>& private_dirs);
    void make_sockets();
    void make_process_and_fd();
    void undo(std::function<void()> step) { undo_.push_back(std::move(step)); }
    // Gives a path (or, with fd >= 0, an open file) to owner_; nothing without one.
    void give(const std::string& path, int fd = -1);
    void miss(const char* mechanism, const std::string& why) { missing_[mechanism] = why; }

    std::optional<ns::Identity> owner_;
    std::string base_;  // "ipcbox-probe-<pid>-<random>"
    std::string temp_dir_;
    Targets targets_;
    std::map<std::string, std::string> missing_;
    std::vector<std::function<void()>> undo_;
    int fifo_fd_ = -1, unix_fd_ = -1, abstract_fd_ = -1, tcp_fd_ = -1;
    std::optional<SignalHelper> helper_;
};

}  // namespace ipcbox::launcher::probe
