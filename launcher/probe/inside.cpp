#include "launcher/probe/inside.hpp"

#include <signal.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"

namespace ipcbox::launcher::probe {
namespace {

using nlohmann::json;

void put_sysv(json& j, const char* name, const std::optional<SysvTarget>& target) {
    if (target) j[name] = {{"key", target->key}, {"id", target->id}};
}

std::optional<SysvTarget> get_sysv(const json& j, const char* name) {
    if (!j.contains(name)) return std::nullopt;
    const json& t = j.at(name);
    return SysvTarget{t.at("key").get<key_t>(), t.at("id").get<int>()};
}

}  // namespace

std::string targets_to_json(const Targets& t) {
    json j = json::object();
    put_sysv(j, "sysv_queue", t.sysv_queue);
    put_sysv(j, "sysv_semaphore", t.sysv_semaphore);
    put_sysv(j, "sysv_shm", t.sysv_shm);
    // Only what exists is written, so the inside tries exactly the objects the host made.
    auto put = [&j](const char* name, const std::string& value) {
        if (!value.empty()) j[name] = value;
    };
    put("posix_queue", t.posix_queue);
    put("mqueue_path", t.mqueue_path);
    put("posix_shm", t.posix_shm);
    put("posix_semaphore", t.posix_semaphore);
    put("fifo", t.fifo);
    put("unix_socket", t.unix_socket);
    put("abstract_socket", t.abstract_socket);
    if (t.tcp_port > 0) j["tcp_port"] = t.tcp_port;
    if (t.signal_pid > 0) j["signal"] = {{"pid", t.signal_pid}, {"cookie", t.signal_cookie}};
    if (t.inherited_fd >= 0)
        j["inherited_fd"] = {{"fd", t.inherited_fd}, {"inode", t.inherited_inode}};
    j["escape"] = {{"unmount", t.escape_unmount},
                   {"mount_shm", t.escape_mount_shm},
                   {"sysctl", t.escape_sysctl},
                   {"setns_pid", t.escape_setns_pid},
                   {"host_ipc_inode", t.escape_host_ipc_inode}};
    return j.dump();
}

Result<Targets> targets_from_json(const std::string& text) {
    try {
        const json j = json::parse(text);
        Targets t;
        t.sysv_queue = get_sysv(j, "sysv_queue");
        t.sysv_semaphore = get_sysv(j, "sysv_semaphore");
        t.sysv_shm = get_sysv(j, "sysv_shm");
        t.posix_queue = j.value("posix_queue", "");
        t.mqueue_path = j.value("mqueue_path", "");
        t.posix_shm = j.value("posix_shm", "");
        t.posix_semaphore = j.value("posix_semaphore", "");
        t.fifo = j.value("fifo", "");
        t.unix_socket = j.value("unix_socket", "");
        t.abstract_socket = j.value("abstract_socket", "");
        t.tcp_port = j.value("tcp_port", 0);
        if (j.contains("signal")) {
            t.signal_pid = j.at("signal").at("pid").get<pid_t>();
            t.signal_cookie = j.at("signal").at("cookie").get<int>();
        }
        if (j.contains("inherited_fd")) {
            t.inherited_fd = j.at("inherited_fd").at("fd").get<int>();
            t.inherited_inode = j.at("inherited_fd").at("inode").get<uint64_t>();
        }
        if (j.contains("escape")) {
            const json& e = j.at("escape");
            t.escape_unmount = e.at("unmount").get<bool>();
            t.escape_mount_shm = e.at("mount_shm").get<bool>();
            t.escape_sysctl = e.at("sysctl").get<bool>();
            t.escape_setns_pid = e.at("setns_pid").get<pid_t>();
            t.escape_host_ipc_inode = e.at("host_ipc_inode").get<uint64_t>();
        }
        return t;
    } catch (const json::exception& e) {
        return Error::of(std::string("probe targets: ") + e.what());
    }
}

std::string attempts_to_json(const std::vector<Attempt>& attempts) {
    json rows = json::array();
    for (const auto& a : attempts)
        rows.push_back({{"mechanism", a.mechanism},
                        {"reached", a.reached},
                        {"errno", a.err},
                        {"blocked", a.blocked},
                        {"detail", a.detail}});
    return json{{"attempts", rows}}.dump();
}

Result<std::vector<Attempt>> attempts_from_json(const std::string& text) {
    try {
        std::vector<Attempt> attempts;
        const json parsed = json::parse(text);  // named: the loop must not outlive it
        for (const json& row : parsed.at("attempts"))
            attempts.push_back(Attempt{row.at("mechanism").get<std::string>(),
                                       row.at("reached").get<bool>(), row.at("errno").get<int>(),
                                       row.at("blocked").get<bool>(),
                                       row.at("detail").get<std::string>()});
        return attempts;
    } catch (const json::exception& e) {
        return Error::of(std::string("probe results from inside the sandbox: ") + e.what());
    }
}

}  // namespace ipcbox::launcher::probe

namespace ipcbox::launcher {

Outcome probe_inside_command(const Args& args) {
    if (args.size() != 1)
        return Outcome::with(kExitSetupFailed,
                             Error::of("__probe-inside is run by 'ipcbox probe' inside its "
                                       "sandbox"));
    // The probe holds these while it owns host objects; this side owns none, so they may end it
    // (and the probe, seeing that, cleans up and ends too).
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    auto targets = probe::targets_from_json(args[0]);
    if (!targets) return Outcome::with(kExitSetupFailed, std::move(targets).error());
    const std::string out = probe::attempts_to_json(probe::try_targets(*targets)) + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return Outcome{std::fflush(stdout) == 0 ? kExitOk : kExitSetupFailed, {}};
}

}  // namespace ipcbox::launcher
