#include "launcher/hook/options.hpp"

#include <boost/program_options.hpp>
#include <cmath>
#include <sstream>

#include "base/text.hpp"
#include "launcher/flag_errors.hpp"

namespace po = boost::program_options;

namespace ipcbox::launcher {
namespace {

constexpr double kMaxDeadlineSeconds = 3600;

po::options_description hook_flags() {
    po::options_description d("Options");
    // clang-format off
    d.add_options()
        ("spec-dir", po::value<std::string>(),
         "where io.ipcbox.spec=NAME finds NAME.toml (default /etc/ipcbox/specs)")
        ("log", po::value<std::string>(), "append one line per container to this file")
        ("allow-inline", po::bool_switch(),
         "accept a spec inline in the io.ipcbox.spec.toml annotation (no file references)")
        ("deadline", po::value<double>(), "seconds before ipcbox gives up (default 5)")
        ("help,h", po::bool_switch(), "show this help");
    // clang-format on
    return d;
}

Status absolute(const std::string& flag, const std::string& path) {
    if (path.empty() || path[0] != '/')
        return Error::of("--" + flag + ": '" + printable(path) + "' must be an absolute path");
    return {};
}

}  // namespace

std::string hook_usage() {
    std::ostringstream out;
    out << "usage: ipcbox hook [--spec-dir DIR] [--log FILE] [--allow-inline] [--deadline S]\n"
           "An OCI createRuntime (or prestart) hook: reads the container's state on stdin and\n"
           "applies its spec (annotation io.ipcbox.spec=NAME, io.ipcbox.spec.toml, or\n"
           "<bundle>/ipcbox.toml) to the container's IPC namespace and /dev/shm.\n\n"
        << hook_flags();
    return out.str();
}

Result<HookOptions> parse_hook_options(const std::vector<std::string>& args) {
    // No operands at all (a stray word is an error, not silently ignored), and no guessing of
    // abbreviated flags (a new flag must never change what an old hooks.d entry means).
    Result<po::variables_map> parsed = parse_flags_only(args, hook_flags(), "hook");
    if (!parsed) return std::move(parsed).error();
    const po::variables_map& vm = *parsed;
    HookOptions o;
    o.help = vm["help"].as<bool>();
    o.lookup.allow_inline = vm["allow-inline"].as<bool>();
    if (vm.count("spec-dir")) {
        o.lookup.spec_dir = vm["spec-dir"].as<std::string>();
        if (Status s = absolute("spec-dir", o.lookup.spec_dir); !s) return std::move(s).error();
    }
    if (vm.count("log")) {
        o.log_path = vm["log"].as<std::string>();
        if (Status s = absolute("log", o.log_path); !s) return std::move(s).error();
    }
    if (vm.count("deadline")) {
        const double seconds = vm["deadline"].as<double>();
        if (!(seconds > 0 && seconds <= kMaxDeadlineSeconds))
            return Error::of("--deadline: " + std::to_string(seconds) +
                             " is out of range (more than 0, at most 3600 seconds)");
        o.deadline_ms = std::max(1L, std::lround(seconds * 1000));
    }
    return o;
}

}  // namespace ipcbox::launcher
