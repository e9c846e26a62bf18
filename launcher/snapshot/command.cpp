// `ipcbox snapshot (--pid PID | --ns PATH | --domain NAME) [-o FILE] [--payload-dir DIR]
// [--keep-ids]
// [--no-contents]`: the IPC state of a namespace as a spec. A helper joins the target (as ls
// does) and reads every object with its contents; another measures a fresh namespace's knobs, so
// only the changed ones are written.
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/io.hpp"
#include "base/text.hpp"
#include "launcher/commands.hpp"
#include "launcher/domain/keeper.hpp"
#include "launcher/flag_errors.hpp"
#include "launcher/helper.hpp"
#include "launcher/snapshot/snapshot.hpp"
#include "launcher/target.hpp"
#include "ns/join.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace ipcbox::launcher {
namespace {

using snapshot::Snapshot;
using snapshot::SpecText;

po::options_description snapshot_flags() {
    po::options_description d("Options");
    // clang-format off
    d.add_options()
        ("pid", po::value<pid_t>(), "capture the IPC namespace of this process (a sandbox, a "
                                    "container)")
        ("ns", po::value<std::string>(), "capture this IPC namespace file (/proc/PID/ns/ipc or a "
                                         "bind mount of one; no POSIX shm or semaphores)")
        ("domain", po::value<std::string>(), "capture the IPC domain NAME (see 'ipcbox domain')")
        ("output,o", po::value<std::string>(), "write the spec to this file (default: stdout)")
        ("payload-dir", po::value<std::string>(), "write payloads over 4 KiB as files here "
                                                  "(default: beside the -o file; on stdout "
                                                  "without it they stay inline)")
        ("keep-ids", po::bool_switch(), "write every SysV object's id, to be recreated with it")
        ("no-contents", po::bool_switch(), "leave out messages, bytes and semaphore values")
        ("help,h", po::bool_switch(), "show this help");
    // clang-format on
    return d;
}

std::string snapshot_usage() {
    std::ostringstream out;
    out << "usage: ipcbox snapshot (--pid PID | --ns PATH | --domain NAME) [-o FILE] "
           "[--payload-dir DIR] "
           "[--keep-ids] [--no-contents]\n"
           "Writes the IPC objects of a namespace, with their contents, as a spec that\n"
           "'ipcbox run -c' recreates.\n\n"
        << snapshot_flags();
    return out.str();
}

struct SnapshotOptions {
    pid_t pid = 0;
    std::string ns_path;
    std::string domain;
    std::string output, payload_dir;
    bool keep_ids = false, no_contents = false, help = false;
};

Result<SnapshotOptions> parse_snapshot_options(const Args& args) {
    auto parsed = parse_flags_only(args, snapshot_flags(), "snapshot");
    if (!parsed) return std::move(parsed).error();
    const po::variables_map& vm = *parsed;
    SnapshotOptions o;
    o.help = vm["help"].as<bool>();
    o.keep_ids = vm["keep-ids"].as<bool>();
    o.no_contents = vm["no-contents"].as<bool>();
    if (vm.count("output")) o.output = vm["output"].as<std::string>();
    if (vm.count("payload-dir")) o.payload_dir = vm["payload-dir"].as<std::string>();
    if (o.help) return o;
    if (vm.count("pid") + vm.count("ns") + vm.count("domain") != 1)
        return Error::of(
            "snapshot: give the target: --pid PID, --ns PATH or --domain NAME (one of them)");
    if (vm.count("domain")) {
        o.domain = vm["domain"].as<std::string>();
    } else if (vm.count("pid")) {
        o.pid = vm["pid"].as<pid_t>();
        if (o.pid <= 0) return Error::of("snapshot: --pid must be a positive process id");
    } else {
        o.ns_path = vm["ns"].as<std::string>();
    }
    if (o.output.empty() && vm.count("output")) return Error::of("snapshot: -o needs a file name");
    return o;
}

// The knobs of a fresh IPC namespace, measured: unshared in a helper (in a new user namespace too
// when this process may not make one on its own).
Result<std::map<std::string, std::string>> fresh_defaults() {
    auto answer = run_helper(
        []() -> Result<Payload> {
            if (unshare(CLONE_NEWIPC) != 0 && unshare(CLONE_NEWUSER | CLONE_NEWIPC) != 0)
                return Error::from_errno("unshare a fresh IPC namespace", errno);
            return Payload{nlohmann::json(snapshot::read_sysctls()).dump(), {}};
        },
        HelperOptions{.name = "the sysctl defaults helper", .quiet_stdio = false, .watch = {}});
    if (!answer) return std::move(answer).error();
    auto j = nlohmann::json::parse(answer->bytes, nullptr, false);
    if (!j.is_object()) return Error::of("the sysctl defaults helper sent no values");
    return j.get<std::map<std::string, std::string>>();
}

struct Target {
    ns::TargetNamespaces namespaces;  // with --pid
    UniqueFd ns_file;                 // with --ns
    std::string source;
};

Result<Target> open_target(const SnapshotOptions& o) {
    Target t;
    if (!o.domain.empty()) {
        auto opened = domain::open_domain(o.domain);
        if (!opened) return std::move(opened).error();
        t.namespaces = std::move(opened->keeper);
        t.source = "domain " + printable(o.domain) + " (ipc:[" +
                   std::to_string(inode_of(t.namespaces.ipc.get())) + "])";
    } else if (o.pid > 0) {
        auto target = ns::open_target_namespaces(o.pid);
        if (!target) return access_hint(std::move(target).error());
        t.namespaces = std::move(*target);
        t.source = "pid " + std::to_string(o.pid) + " (ipc:[" +
                   std::to_string(inode_of(t.namespaces.ipc.get())) + "])";
    } else {
        auto fd = open_ipc_namespace_file(o.ns_path);
        if (!fd) return std::move(fd).error();
        t.ns_file = std::move(*fd);
        t.source =
            printable(o.ns_path) + " (ipc:[" + std::to_string(inode_of(t.ns_file.get())) + "])";
    }
    return t;
}

// In the helper: join, read, build the spec text. Payload files are written by the caller, in
// its own mount namespace.
Result<Payload> capture(const Target& target, const SnapshotOptions& o,
                        const std::map<std::string, std::string>& defaults,
                        const snapshot::WriteOptions& write) {
    ns::IdView view;
    if (target.ns_file.valid()) {
        if (Status s = ns::join_ipc_namespace_file(target.ns_file.get()); !s)
            return std::move(s).error();
    } else {
        auto joined = ns::join_target_namespaces(target.namespaces, {.ipc = true, .mnt = true});
        if (!joined) return std::move(joined).error();
        view = std::move(*joined);
    }
    const std::map<std::string, std::string> current = snapshot::read_sysctls();
    auto inventory = ipc::collect_inventory({.digests = false, .contents = !o.no_contents});
    if (!inventory) return std::move(inventory).error();
    ipc::view_ids(*inventory, view);
    if (target.ns_file.valid()) {
        // A namespace file names no mount namespace: /dev/shm here would be ipcbox's own.
        std::erase_if(inventory->objects, [](const ipc::IpcObject& x) {
            return x.kind == config::IpcKind::PosixShm || x.kind == config::IpcKind::PosixSemaphore;
        });
        inventory->notes.push_back(
            "posix.shm, posix.semaphore: not captured (a namespace file names no mount "
            "namespace; use --pid)");
    }
    auto snap = snapshot::snapshot_of(*inventory, o.keep_ids, !o.no_contents);
    if (!snap) return std::move(snap).error();
    snap->source = target.source;
    snap->sysctls = snapshot::changed_sysctls(current, defaults, snap->notes);
    if (Status s = snapshot::fit_limits(*snap, current); !s) return std::move(s).error();
    SpecText text = snapshot::write_spec_toml(*snap, write);
    // A JSON line (spec, notes, file names and sizes), then the files' bytes as they are: no
    // encoding of megabytes of segments.
    nlohmann::json header;
    header["toml"] = std::move(text.toml);
    header["notes"] = snap->notes;
    header["files"] = nlohmann::json::array();
    size_t total = 0;
    for (const snapshot::PayloadFile& f : text.files) {
        header["files"].push_back({{"name", f.name}, {"size", f.bytes.size()}});
        total += f.bytes.size();
    }
    Payload answer{header.dump() + "\n", {}};
    answer.bytes.reserve(answer.bytes.size() + total);
    for (const snapshot::PayloadFile& f : text.files) answer.bytes += f.bytes;
    return answer;
}

Status write_new_file(const std::string& path, std::string_view bytes) {
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd.valid()) return Error::from_errno("create " + printable(path), errno);
    if (Status s = write_all(fd.get(), bytes); !s)
        return std::move(s).error().with_context("write " + printable(path));
    return {};
}

// Where payload files go and how the spec names them (relative to the spec's directory).
Result<snapshot::WriteOptions> write_options(const SnapshotOptions& o) {
    snapshot::WriteOptions w;
    if (o.output.empty() && o.payload_dir.empty()) return w;  // stdout: big payloads inline
    std::error_code ec;
    const fs::path spec_dir =
        fs::absolute(o.output.empty() ? fs::path(".") : fs::path(o.output).parent_path() / "", ec);
    const fs::path dir = o.payload_dir.empty() ? spec_dir : fs::absolute(o.payload_dir, ec);
    if (ec) return Error::of("snapshot: cannot resolve the payload directory: " + ec.message());
    w.payload_files = true;
    const std::string relative =
        dir.lexically_normal().lexically_relative(spec_dir.lexically_normal()).string();
    w.payload_ref_dir = relative == "." ? "" : relative;
    if (!o.output.empty()) w.file_stem = fs::path(o.output).stem().string();
    return w;
}

Status write_outputs(const SnapshotOptions& o, const std::string& answer) {
    const size_t newline = answer.find('\n');
    auto j = nlohmann::json::parse(answer.substr(0, newline), nullptr, false);
    if (newline == std::string::npos || !j.is_object() || !j.contains("toml"))
        return Error::of("the snapshot helper sent no spec");
    size_t at = newline + 1;
    if (!j["files"].empty()) {
        const std::string dir =
            o.payload_dir.empty() ? fs::path(o.output).parent_path().string() : o.payload_dir;
        if (!dir.empty() && mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
            return Error::from_errno("create the payload directory " + printable(dir), errno);
        for (const auto& f : j["files"]) {
            const size_t size = f["size"].get<size_t>();
            if (size > answer.size() - at) return Error::of("the snapshot helper sent too little");
            const std::string path =
                (dir.empty() ? fs::path(".") : fs::path(dir)) / f["name"].get<std::string>();
            if (Status s = write_new_file(path, std::string_view(answer).substr(at, size)); !s)
                return s;
            at += size;
        }
    }
    for (const auto& note : j["notes"])
        std::fprintf(stderr, "ipcbox snapshot: note: %s\n",
                     escape_controls(note.get<std::string>()).c_str());
    const std::string toml = j["toml"].get<std::string>();
    if (o.output.empty()) return write_all(STDOUT_FILENO, toml);
    return write_new_file(o.output, toml);
}

}  // namespace

// Exit codes: 2 on bad usage, 125 when the target cannot be read or the spec written.
Outcome snapshot_command(const Args& args) {
    auto options = parse_snapshot_options(args);
    if (!options) return Outcome::with(kExitUsage, std::move(options).error());
    if (options->help) {
        std::fputs(snapshot_usage().c_str(), stdout);
        return Outcome::ok();
    }
    auto fail = [](Error e) {
        return Outcome::with(kExitSetupFailed, std::move(e).with_context("snapshot"));
    };
    auto target = open_target(*options);
    if (!target) return fail(std::move(target).error());
    auto write = write_options(*options);
    if (!write) return fail(std::move(write).error());
    auto defaults = fresh_defaults();
    if (!defaults) return fail(std::move(defaults).error());
    auto answer =
        run_helper([&]() { return capture(*target, *options, *defaults, *write); },
                   HelperOptions{.name = "the snapshot helper", .quiet_stdio = false, .watch = {}});
    if (!answer) return fail(access_hint(std::move(answer).error()));
    if (Status s = write_outputs(*options, answer->bytes); !s) return fail(std::move(s).error());
    return Outcome::ok();
}

}  // namespace ipcbox::launcher
