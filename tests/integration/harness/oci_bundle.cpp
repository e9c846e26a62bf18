#include "tests/integration/harness/oci_bundle.hpp"

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ipcbox::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string first_executable(std::initializer_list<const char*> paths) {
    for (const char* p : paths)
        if (access(p, X_OK) == 0) return p;
    return {};
}

// A dynamically linked busybox would need the host's loader inside the rootfs.
bool is_static_elf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    Elf64_Ehdr eh{};
    if (!in.read(reinterpret_cast<char*>(&eh), sizeof eh) || eh.e_ident[EI_CLASS] != ELFCLASS64)
        return false;
    for (int i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph{};
        in.seekg(eh.e_phoff + i * eh.e_phentsize);
        if (!in.read(reinterpret_cast<char*>(&ph), sizeof ph)) return false;
        if (ph.p_type == PT_INTERP) return false;
    }
    return true;
}

std::string next_container_id() {
    static int counter = 0;
    return "ipcbox-hook-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

void make_rootfs(const fs::path& rootfs) {
    const fs::path bin = rootfs / "bin";
    fs::create_directories(bin);
    // Mount points runc cannot create itself in a rootless container (the rootfs is root's).
    for (const char* d : {"proc", "dev", "sys", "tmp", "etc"}) fs::create_directories(rootfs / d);
    fs::copy_file(busybox_path(), bin / "busybox");
    for (const char* applet : {"sh", "cat", "sleep", "echo", "ls"})
        fs::create_symlink("busybox", bin / applet);
    fs::copy_file(support("ipcread"), bin / "ipcread");
    fs::permissions(bin / "ipcread", fs::perms(0755));
}

}  // namespace

const std::string& busybox_path() {
    static const std::string path = first_executable({"/bin/busybox", "/usr/bin/busybox"});
    return path;
}

const std::string& runc_path() {
    static const std::string path = first_executable({"/usr/sbin/runc", "/usr/bin/runc"});
    return path;
}

const std::string& podman_path() {
    static const std::string path = first_executable({"/usr/bin/podman", "/usr/sbin/podman"});
    return path;
}

std::string runc_missing() {
    if (geteuid() != 0) return "root";
    if (runc_path().empty()) return "runc";
    if (busybox_path().empty() || !is_static_elf(busybox_path())) return "a static busybox";
    return {};
}

OciBundle::OciBundle(Mode mode)
    : mode_(mode), who_(mode == Mode::Rootless ? As::Nobody : As::Root) {
    char tmpl[] = "/tmp/ipcbox-hook-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    fs::permissions(dir_, fs::perms(0755));
    fs::create_directories(bundle());
    fs::create_directories(spec_dir());
    make_rootfs(rootfs());
    // runc's state and the hook's log must be writable by whoever runs runc.
    fs::create_directories(dir_ + "/state");
    std::ofstream(log_path()).flush();
    if (mode == Mode::Rootless) {
        chown((dir_ + "/state").c_str(), kNobody, kNobody);
        chown(log_path().c_str(), kNobody, kNobody);
    }

    std::vector<std::string> spec_argv{runc_path(), "spec", "--bundle", bundle()};
    if (mode == Mode::Rootless) spec_argv.push_back("--rootless");
    Outcome o = run_program(As::Root, spec_argv);
    if (o.exit_code != 0) throw std::runtime_error("runc spec: " + o.err);
    config_ = json::parse(std::ifstream(bundle() + "/config.json"));
    config_["process"]["terminal"] = false;
    if (mode != Mode::Root) {
        // `runc spec --rootless` maps the generating user (root here): map nobody instead.
        const unsigned host = mode == Mode::UserNs ? 100000 : kNobody;
        const unsigned size = mode == Mode::UserNs ? 65536 : 1;
        const json map = json::array({{{"containerID", 0}, {"hostID", host}, {"size", size}}});
        config_["linux"]["uidMappings"] = map;
        config_["linux"]["gidMappings"] = map;
        bool has_user = false;
        for (const auto& ns : config_["linux"]["namespaces"]) has_user |= ns["type"] == "user";
        if (!has_user) config_["linux"]["namespaces"].push_back({{"type", "user"}});
    }
}

OciBundle::~OciBundle() {
    // `runc run` deletes its container on exit; this matters for detached ones and time-outs.
    for (const auto& id : ids_) run_program(who_, runc_argv({"delete", "--force", id}));
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

void OciBundle::add_spec(const std::string& name, const std::string& toml) {
    const std::string path = spec_dir() + "/" + name + ".toml";
    std::ofstream(path) << toml;
    fs::permissions(path, fs::perms(0644));
}

void OciBundle::annotate(const std::string& key, const std::string& value) {
    config_["annotations"][key] = value;
}

void OciBundle::set_script(const std::string& script) {
    config_["process"]["args"] = {"/bin/sh", "-c", script};
}

void OciBundle::set_extra_hook_args(const std::vector<std::string>& args) {
    extra_hook_args_ = args;
}

std::vector<std::string> OciBundle::runc_argv(const std::vector<std::string>& rest) const {
    std::vector<std::string> argv{runc_path(), "--root", dir_ + "/state"};
    argv.insert(argv.end(), rest.begin(), rest.end());
    return argv;
}

void OciBundle::write_config() {
    json args = {"ipcbox", "hook", "--spec-dir", spec_dir(), "--log", log_path()};
    for (const auto& a : extra_hook_args_) args.push_back(a);
    // An empty environment (runc passes its own when "env" is absent): ipcbox must not need one.
    config_["hooks"]["createRuntime"] = {
        {{"path", staging_dir() + "/ipcbox"}, {"args", args}, {"env", json::array()}}};
    std::ofstream(bundle() + "/config.json") << config_.dump(2);
}

Outcome OciBundle::run() {
    write_config();
    ids_.push_back(next_container_id());
    return run_program(who_, runc_argv({"run", "--bundle", bundle(), ids_.back()}));
}

Outcome OciBundle::run_detached(const std::string& id) {
    write_config();
    ids_.push_back(id);
    return run_program(who_, runc_argv({"run", "--detach", "--bundle", bundle(), id}));
}

pid_t OciBundle::container_pid(const std::string& id) {
    Outcome o = run_program(who_, runc_argv({"state", id}));
    if (o.exit_code != 0) return -1;
    return json::parse(o.out).value("pid", -1);
}

std::string OciBundle::log() const {
    std::ifstream in(log_path());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace ipcbox::test
