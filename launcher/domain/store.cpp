#include "launcher/domain/store.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "base/io.hpp"
#include "base/text.hpp"
#include "base/unique_fd.hpp"

namespace ipcbox::launcher::domain {
namespace {

constexpr size_t kMaxName = 64;
constexpr uint64_t kMaxStateBytes = 64 << 20;

// Makes `path` (when `make`) and checks it is a directory of ours that nobody else may write: the
// place where the keepers of our domains are named must be ours alone.
Status own_private_dir(const std::string& path, bool make) {
    if (make && mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
        return Error::from_errno("mkdir " + printable(path), errno);
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return Error::from_errno(printable(path), errno);
    if (!S_ISDIR(st.st_mode))
        return Error::of(printable(path) + " is not a directory; refusing to keep domains there");
    if (st.st_uid != geteuid())
        return Error::of(printable(path) + " belongs to uid " + std::to_string(st.st_uid) +
                         ", not to uid " + std::to_string(geteuid()) +
                         "; refusing to keep domains there");
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return Error::of(printable(path) +
                         " is writable by others; refusing to keep domains there");
    return {};
}

}  // namespace

Status check_name(std::string_view name) {
    auto bad = [&](const std::string& why) {
        return Error::of("domain name '" + printable(name) + "' " + why)
            .with_hint("names are 1 to 64 of A-Z a-z 0-9 _ . -");
    };
    if (name.empty() || name.size() > kMaxName) return bad("has the wrong length");
    if (name == "." || name == "..") return bad("is not a name");
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!ok) return bad("has a character other than A-Z a-z 0-9 _ . -");
    }
    return {};
}

Error no_such_domain(std::string_view name) {
    return Error::of("no domain '" + printable(name) + "' of uid " + std::to_string(geteuid()))
        .with_hint("domains are per user; 'ipcbox domain ls' lists yours");
}

Result<std::string> domains_dir(bool make) {
    std::vector<std::string> chain;
    if (geteuid() == 0) {
        chain = {"/run/ipcbox", "/run/ipcbox/domains"};
    } else if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg == '/') {
        // The runtime dir itself is the session manager's; only what ipcbox adds is checked.
        chain = {std::string(xdg) + "/ipcbox", std::string(xdg) + "/ipcbox/domains"};
    } else {
        const std::string base = "/tmp/ipcbox-" + std::to_string(geteuid());
        chain = {base, base + "/domains"};
    }
    for (const std::string& dir : chain)
        if (Status s = own_private_dir(dir, make); !s) return std::move(s).error();
    return chain.back();
}

void remove_record(const std::string& domain_dir) {
    const std::string shm = domain_dir + "/shm";
    umount2(shm.c_str(), MNT_DETACH);
    rmdir(shm.c_str());
    unlink((domain_dir + "/state.json.tmp").c_str());
    unlink((domain_dir + "/state.json").c_str());
    rmdir(domain_dir.c_str());
}

Status write_state(const std::string& domain_dir, const State& s) {
    nlohmann::json j = {{"name", s.name},
                        {"owner", s.owner},
                        {"keeper", s.keeper},
                        {"keeper_start", s.keeper_start},
                        {"ipc_ns", s.ipc_ns},
                        {"created", s.created},
                        {"user_namespace", s.user_namespace},
                        {"shm_dir", s.shm_dir},
                        {"capabilities", s.capabilities},
                        {"preseeded", s.preseeded}};
    // Written whole, then renamed into place: a reader sees no state or all of it.
    const std::string tmp = domain_dir + "/state.json.tmp";
    const std::string path = domain_dir + "/state.json";
    UniqueFd fd(open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid()) return Error::from_errno("write " + printable(tmp), errno);
    if (Status w = write_all(fd.get(), j.dump() + "\n"); !w)
        return std::move(w).error().with_context("write " + printable(tmp));
    if (fsync(fd.get()) != 0) return Error::from_errno("fsync " + printable(tmp), errno);
    if (rename(tmp.c_str(), path.c_str()) != 0)
        return Error::from_errno("rename " + printable(tmp), errno);
    return {};
}

Result<State> read_state(const std::string& domain_dir) {
    const std::string path = domain_dir + "/state.json";
    auto text = read_whole_file(path, kMaxStateBytes);
    if (!text) return std::move(text).error().with_context(printable(path));
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error::of(printable(path) + ": not JSON");
    try {
        State s;
        s.name = j.at("name").get<std::string>();
        s.owner = j.at("owner").get<uid_t>();
        s.keeper = j.at("keeper").get<pid_t>();
        s.keeper_start = j.at("keeper_start").get<uint64_t>();
        s.ipc_ns = j.at("ipc_ns").get<uint64_t>();
        s.created = j.at("created").get<int64_t>();
        s.user_namespace = j.at("user_namespace").get<bool>();
        s.shm_dir = j.at("shm_dir").get<std::string>();
        s.capabilities = j.at("capabilities").get<std::vector<std::string>>();
        s.preseeded = j.at("preseeded").get<std::string>();
        return s;
    } catch (const nlohmann::json::exception& e) {
        return Error::of(printable(path) + ": " + e.what());
    }
}

}  // namespace ipcbox::launcher::domain
