// `ipcbox export seccomp`: the [block] section as an OCI linux.seccomp profile.
#include <cstdio>
#include <string>

#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/run/options.hpp"
#include "seccomp/filter.hpp"

namespace ipcbox::launcher {
namespace {

Result<std::string> export_seccomp(const Args& args) {
    auto options = parse_run_options(args);
    if (!options) return std::move(options).error();
    if (!options->command.empty())
        return Error::of("export seccomp: unexpected argument '" + options->command[0] + "'");
    auto spec = resolve_spec(*options);
    if (!spec) return std::move(spec).error();
    return seccomp::export_oci_profile(spec->block);
}

// export takes run's flags; only those that change the [block] section make a difference.
std::string export_usage() {
    const std::string usage = run_usage();
    return "usage: ipcbox export seccomp [-c SPEC] [--block KIND]... [--block-errno E]\n\n"
           "Prints the [block] section of SPEC and the flags as an OCI linux.seccomp profile.\n\n" +
           usage.substr(usage.find("\n\n") + 2);
}

bool asks_for_help(const Args& args) {
    for (const std::string& arg : args)
        if (arg == "--help" || arg == "-h") return true;
    return false;
}

}  // namespace

// `ipcbox export seccomp [-c SPEC] [--block KIND]... [--block-errno E]`
Outcome export_command(const Args& args) {
    if (asks_for_help(args)) {
        std::fputs(export_usage().c_str(), stdout);
        return Outcome::ok();
    }
    if (args.empty() || args[0] != "seccomp")
        return Outcome::with(
            kExitSetupFailed,
            Error::of("export: say what to export").with_hint("ipcbox export seccomp [-c SPEC]"));
    auto profile = export_seccomp({args.begin() + 1, args.end()});
    if (!profile) return Outcome::with(kExitSetupFailed, std::move(profile).error());
    std::fputs(profile->c_str(), stdout);
    return Outcome::ok();
}

}  // namespace ipcbox::launcher
