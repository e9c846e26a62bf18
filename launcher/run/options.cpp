#include "launcher/run/options.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <sstream>

#include "base/text.hpp"
#include "config/load.hpp"
#include "config/suggest.hpp"
#include "config/value_rules.hpp"
#include "launcher/flag_errors.hpp"

namespace po = boost::program_options;

namespace ipcbox::launcher {
namespace {

// "sysv.queue | ... : block ...": the kinds listed where the man page and completions find them.
std::string block_text() {
    std::string kinds;
    for (config::IpcKind kind : config::kAllIpcKinds)
        kinds += (kinds.empty() ? "" : " | ") + std::string(config::kind_name(kind));
    return kinds + ": block this IPC kind (repeatable)";
}

po::options_description run_flags() {
    po::options_description d("Options");
    // clang-format off
    d.add_options()
        ("config,c", po::value<std::string>(), "TOML spec file")
        ("domain", po::value<std::string>(), "run in the IPC domain NAME (see 'ipcbox domain')")
        ("user", po::value<std::string>(), "auto | new | host")
        ("uid", po::value<std::string>(), "uid of the command (inside a new user namespace, or "
                                          "as root without one)")
        ("gid", po::value<std::string>(), "gid of the command (likewise)")
        ("mount", po::bool_switch(), "new mount namespace")
        ("no-mount", po::bool_switch(), "keep the host's mount namespace")
        ("net", po::bool_switch(), "new network namespace")
        ("no-net", po::bool_switch(), "keep the host's network namespace")
        ("pid", po::bool_switch(), "new pid namespace with a fresh /proc")
        ("no-pid", po::bool_switch(), "keep the host's pid namespace")
        ("hostname", po::value<std::string>(), "new UTS namespace with this hostname")
        ("scope", po::value<std::vector<std::string>>(),
            "abstract-unix | signal: reach only the sandbox's own (Landlock; repeatable)")
        ("cap-add", po::value<std::vector<std::string>>(),
            "keep capability CAP in a user namespace of the command's own (repeatable)")
        ("tmpfs", po::value<std::vector<std::string>>(),
            "a fresh, empty tmpfs over the directory PATH (repeatable)")
        ("die-with-parent", po::bool_switch(), "kill the sandbox when ipcbox's parent dies")
        ("no-die-with-parent", po::bool_switch(), "let the sandbox outlive ipcbox's parent")
        ("timeout", po::value<uint32_t>(), "seconds before the command's tree is killed (0: none)")
        ("dev-shm", po::value<std::string>(), "private | none | host")
        ("dev-shm-size", po::value<std::string>(), "size of a private /dev/shm (e.g. 64M)")
        ("block", po::value<std::vector<std::string>>(), block_text().c_str())
        ("block-errno", po::value<std::string>(), "EPERM | EACCES | ENOSYS")
        ("leak-report", po::value<std::string>()->implicit_value("stderr"),
            "after the command: list the IPC objects it left, on stderr or as JSON in =PATH (a "
            "new file in =DIR/)")
        ("fail-on-leak", po::bool_switch(), "exit 123 when the command exited 0 but left objects")
        ("explain", po::bool_switch(), "print the plan and what it isolates; run nothing")
        ("verbose,v", po::bool_switch(), "log each setup step")
        ("help,h", po::bool_switch(), "show this help");
    // clang-format on
    return d;
}

// Everything from the first non-option argument on is the command, even if it looks like
// options ("ipcbox run ls -l").
std::vector<po::option> take_command(std::vector<std::string>& args) {
    std::vector<po::option> result;
    if (args.empty() || args[0].empty() || args[0][0] == '-') return result;
    for (const auto& arg : args) {
        po::option opt;
        opt.string_key = "command";
        opt.position_key = static_cast<int>(result.size());
        opt.value.push_back(arg);
        opt.original_tokens.push_back(arg);
        result.push_back(std::move(opt));
    }
    args.clear();
    return result;
}

template <class T>
std::optional<T> flag(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<T>();
}

// A user or group id: digits only, 0 to kMaxId (a cast would take "-5" as 4294967291).
Result<std::optional<uint32_t>> id_flag(const po::variables_map& vm, const char* name) {
    auto text = flag<std::string>(vm, name);
    if (!text) return std::optional<uint32_t>();
    const std::string& t = *text;
    uint64_t value = 0;
    bool ok = !t.empty() && t.size() <= 10;
    for (char c : t) {
        if (c < '0' || c > '9') ok = false;
        value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!ok || value > static_cast<uint64_t>(config::kMaxId))
        return Error::of(std::string("--") + name + ": '" + printable(t) + "' is not an id (0 to " +
                         std::to_string(config::kMaxId) + ")");
    return std::optional<uint32_t>(static_cast<uint32_t>(value));
}

Result<config::Scope> scope_flag(const std::string& name) {
    if (auto scope = config::scope_from_name(name)) return *scope;
    std::vector<std::string_view> names;
    for (config::Scope s : config::kAllScopes) names.push_back(config::scope_name(s));
    std::string message =
        "--scope: '" + printable(name) + "' is not one of " + config::quoted_list(names, '"');
    if (auto near = config::closest(name, names))
        message += "; did you mean \"" + std::string(*near) + "\"?";
    return Error::of(message);
}

Error block_kind_error(const std::string& name) {
    std::vector<std::string_view> names;
    for (config::IpcKind kind : config::kAllIpcKinds) names.push_back(config::kind_name(kind));
    std::string message =
        "--block: '" + printable(name) + "' is not one of " + config::quoted_list(names, '"');
    if (auto near = config::closest(name, names))
        message += "; did you mean \"" + std::string(*near) + "\"?";
    return Error::of(message);
}

Result<std::optional<bool>> switch_pair(const po::variables_map& vm, const std::string& name) {
    bool on = vm[name].as<bool>(), off = vm["no-" + name].as<bool>();
    if (on && off) return Error::of("--" + name + " and --no-" + name + " contradict each other");
    if (on) return std::optional<bool>(true);
    if (off) return std::optional<bool>(false);
    return std::optional<bool>();
}

// A command line without options ("--" or the command first, as test runners pass it) means
// every default: Boost's parser, the costliest step of a launch, is not built for it.
std::optional<RunOptions> without_options(const std::vector<std::string>& args) {
    if (args.empty()) return std::nullopt;
    RunOptions o;
    if (args[0] == "--")
        o.command.assign(args.begin() + 1, args.end());
    else if (!args[0].empty() && args[0][0] != '-')
        o.command = args;
    else
        return std::nullopt;
    return o;
}

}  // namespace

std::string run_usage() {
    std::ostringstream out;
    out << "usage: ipcbox run [-c SPEC] [options] [--] COMMAND [ARGS...]\n\n" << run_flags();
    return out.str();
}

Result<RunOptions> parse_run_options(const std::vector<std::string>& args, std::string_view command,
                                     std::span<const std::string_view> more_flags) {
    if (auto plain = without_options(args)) return std::move(plain).value();
    po::variables_map vm;
    po::options_description all = run_flags();
    all.add_options()("command", po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add("command", -1);
    try {
        po::store(
            po::command_line_parser(args)
                .options(all)
                .positional(positional)
                .extra_style_parser(take_command)
                .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                .run(),
            vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return flag_error(e, run_flags(), command, more_flags);
    }

    RunOptions o;
    o.help = vm["help"].as<bool>();
    o.explain = vm["explain"].as<bool>();
    o.verbose = vm["verbose"].as<bool>();
    o.spec_path = flag<std::string>(vm, "config");
    for (const char* name : {"uid", "gid"}) {
        auto id = id_flag(vm, name);
        if (!id) return std::move(id).error();
        (name[0] == 'u' ? o.uid : o.gid) = *id;
    }
    o.timeout = flag<uint32_t>(vm, "timeout");
    o.hostname = flag<std::string>(vm, "hostname");
    for (const char* name : {"mount", "net", "pid", "die-with-parent"}) {
        auto value = switch_pair(vm, name);
        if (!value) return std::move(value).error();
        std::string n = name;
        (n == "mount" ? o.mount
         : n == "net" ? o.net
         : n == "pid" ? o.pid
                      : o.die_with_parent) = *value;
    }
    if (auto v = flag<std::string>(vm, "user")) {
        auto mode = config::user_mode_from_name(*v);
        if (!mode)
            return Error::of("--user: '" + printable(*v) + "' is not one of auto, new, host");
        o.user = mode;
    }
    if (auto v = flag<std::string>(vm, "dev-shm")) {
        auto mode = config::dev_shm_mode_from_name(*v);
        if (!mode)
            return Error::of("--dev-shm: '" + printable(*v) +
                             "' is not one of private, none, host");
        o.dev_shm = mode;
    }
    if (auto v = flag<std::string>(vm, "dev-shm-size")) {
        auto size = config::parse_size(*v);
        if (!size) return std::move(size).error().with_context("--dev-shm-size");
        o.dev_shm_size = *size;
    }
    if (vm.count("scope")) {
        for (const auto& name : vm["scope"].as<std::vector<std::string>>()) {
            auto scope = scope_flag(name);
            if (!scope) return std::move(scope).error();
            o.scopes.push_back(*scope);
        }
    }
    if (vm.count("domain")) o.domain = vm["domain"].as<std::string>();
    if (vm.count("cap-add")) {
        for (const auto& name : vm["cap-add"].as<std::vector<std::string>>()) {
            auto cap = config::capability_from_name(name);
            if (!cap) return Error::of("--cap-add: " + config::unknown_capability_message(name));
            o.capabilities.push_back(*cap);
        }
    }
    if (vm.count("tmpfs")) {
        for (const auto& path : vm["tmpfs"].as<std::vector<std::string>>()) {
            auto normal = config::tmpfs_path(path);
            if (!normal) return std::move(normal).error().with_context("--tmpfs");
            o.tmpfs.push_back(std::move(normal).value());
        }
    }
    if (vm.count("block")) {
        for (const auto& name : vm["block"].as<std::vector<std::string>>()) {
            auto kind = config::kind_from_name(name);
            if (!kind) return block_kind_error(name);
            o.block.push_back(*kind);
        }
    }
    if (auto v = flag<std::string>(vm, "block-errno")) {
        auto err = config::errno_from_name(*v);
        if (!err)
            return Error::of("--block-errno: '" + printable(*v) +
                             "' is not one of EPERM, EACCES, ENOSYS");
        o.block_errno = err;
    }
    if (auto v = flag<std::string>(vm, "leak-report")) {
        // As in a spec: "off" and "stderr" are words, anything else a file ("./off" for one).
        if (v->empty()) return Error::of("--leak-report=: give a file path, or no '='");
        o.leak_report = *v == "off"      ? config::LeakOutput::Off
                        : *v == "stderr" ? config::LeakOutput::Stderr
                                         : config::LeakOutput::File;
        if (o.leak_report == config::LeakOutput::File) o.leak_report_path = *v;
    }
    o.fail_on_leak = vm["fail-on-leak"].as<bool>();
    if (vm.count("command")) o.command = vm["command"].as<std::vector<std::string>>();
    return o;
}

void apply_overrides(config::Spec& spec, const RunOptions& o) {
    auto& sb = spec.sandbox;
    if (o.user) sb.user = *o.user;
    if (o.uid) sb.uid = *o.uid;
    if (o.gid) sb.gid = *o.gid;
    if (o.mount) sb.mount = *o.mount;
    if (o.net) sb.net = *o.net;
    if (o.pid) sb.pid = *o.pid;
    if (o.die_with_parent) sb.die_with_parent = *o.die_with_parent;
    if (o.hostname) sb.hostname = *o.hostname;
    if (o.timeout) sb.timeout_seconds = *o.timeout;
    if (!o.scopes.empty()) {
        sb.scopes.clear();
        for (config::Scope scope : o.scopes)
            if (std::find(sb.scopes.begin(), sb.scopes.end(), scope) == sb.scopes.end())
                sb.scopes.push_back(scope);
    }
    // Added to the spec's, not instead of them: --cap-add names one more.
    for (config::Capability cap : o.capabilities)
        if (std::find(sb.capabilities.begin(), sb.capabilities.end(), cap) == sb.capabilities.end())
            sb.capabilities.push_back(cap);
    if (!o.tmpfs.empty()) {
        sb.tmpfs.clear();
        for (const std::string& path : o.tmpfs) {
            // Not a brace-initialised temporary: GCC 12 at -O3 takes its empty Origin for
            // uninitialised (-Wmaybe-uninitialized).
            config::Tmpfs mount;
            mount.path = path;
            sb.tmpfs.push_back(std::move(mount));
        }
    }
    if (o.dev_shm) spec.dev_shm.mode = *o.dev_shm;
    if (o.dev_shm_size) spec.dev_shm.size_bytes = *o.dev_shm_size;
    if (!o.block.empty()) spec.block.kinds = o.block;
    if (o.block_errno) spec.block.errno_value = *o.block_errno;
    if (o.leak_report) {
        spec.leaks.report = *o.leak_report;
        spec.leaks.path = o.leak_report_path;
    }
    if (o.fail_on_leak) spec.leaks.fail = true;
}

Result<config::Spec> resolve_spec(const RunOptions& options) {
    config::Spec spec;
    if (options.spec_path) {
        auto loaded = config::load_spec_file(*options.spec_path);
        if (!loaded) return std::move(loaded).error();
        spec = std::move(loaded).value();
    }
    apply_overrides(spec, options);
    if (auto valid = config::validate(spec); !valid) return std::move(valid).error();
    if (auto here = config::validate_on_host(spec); !here) return std::move(here).error();
    return spec;
}

}  // namespace ipcbox::launcher
