// A throw-away OCI bundle for the `ipcbox hook` tests: a static busybox rootfs with
// support_ipcread as /bin/ipcread, config.json from `runc spec`, the staged ipcbox as a
// createRuntime hook, and a private spec dir, log and runc state dir, all under one temp dir.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/common/skip.hpp"
#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {

// Paths of the real runtimes, empty when not installed.
const std::string& runc_path();
const std::string& podman_path();
const std::string& busybox_path();
// "" when the runc tests can run here; otherwise what is missing (root, runc, a static busybox).
std::string runc_missing();

// Skips, or fails under IPCBOX_STRICT=1, when `missing` is not empty.
#define IPCBOX_REQUIRE_NOTHING_MISSING(missing)                                \
    do {                                                                       \
        const std::string what_is_missing = (missing);                         \
        if (!what_is_missing.empty()) IPCBOX_SKIP("needs " + what_is_missing); \
    } while (0)

class OciBundle {
  public:
    enum class Mode {
        Root,      // runc as root, no user namespace
        UserNs,    // runc as root, container root mapped to host uid/gid 100000
        Rootless,  // runc run as nobody (`runc spec --rootless`, mapped to 65534)
    };
    explicit OciBundle(Mode mode);
    ~OciBundle();  // deletes the containers it started and the whole temp dir
    OciBundle(const OciBundle&) = delete;
    OciBundle& operator=(const OciBundle&) = delete;

    const std::string& dir() const { return dir_; }
    std::string bundle() const { return dir_ + "/bundle"; }
    std::string rootfs() const { return bundle() + "/rootfs"; }
    std::string spec_dir() const { return dir_ + "/specs"; }
    std::string log_path() const { return dir_ + "/hook.log"; }

    // <spec_dir>/NAME.toml
    void add_spec(const std::string& name, const std::string& toml);
    void annotate(const std::string& key, const std::string& value);
    // The container runs `/bin/sh -c script`.
    void set_script(const std::string& script);
    // The hook's argv after "ipcbox hook --spec-dir D --log L".
    void set_extra_hook_args(const std::vector<std::string>& args);
    nlohmann::json& config() { return config_; }

    // `runc run` of a fresh container id, in the foreground; the container's output is out.
    Outcome run();
    // `runc run --detach` (stdio to /dev/null), for a long-running container; then its pid.
    Outcome run_detached(const std::string& id);
    pid_t container_pid(const std::string& id);
    std::string log() const;

  private:
    std::vector<std::string> runc_argv(const std::vector<std::string>& rest) const;
    void write_config();

    Mode mode_;
    As who_;
    std::string dir_;
    nlohmann::json config_;
    std::vector<std::string> extra_hook_args_;
    std::vector<std::string> ids_;
};

}  // namespace ipcbox::test
