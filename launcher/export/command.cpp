// `ipcbox export seccomp`: the [block] section as an OCI linux.seccomp profile.
// `ipcbox export schema`: the JSON Schema of a spec, for editors.
#include <cstdio>
#include <string>

#include "base/text.hpp"
#include "config/schema.hpp"
#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/run/options.hpp"
#include "seccomp/filter.hpp"

namespace ipcbox::launcher {
namespace {

Result<std::string> export_seccomp(const Args& args) {
    auto options = parse_run_options(args, "export");
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
    return "usage: ipcbox export seccomp [-c SPEC] [--block KIND]... [--block-errno E]\n"
           "       ipcbox export schema\n\n"
           "seccomp prints the [block] section of SPEC and the flags as an OCI linux.seccomp\n"
           "profile; schema prints the JSON Schema (draft 2020-12) of a spec, for editors.\n\n" +
           usage.substr(usage.find("\n\n") + 2);
}

bool asks_for_help(const Args& args) {
    for (const std::string& arg : args)
        if (arg == "--help" || arg == "-h") return true;
    return false;
}

}  // namespace

// `ipcbox export seccomp [-c SPEC] [--block KIND]... [--block-errno E]`, `ipcbox export schema`
Outcome export_command(const Args& args) {
    if (asks_for_help(args)) {
        std::fputs(export_usage().c_str(), stdout);
        return Outcome::ok();
    }
    if (!args.empty() && args[0] == "schema") {
        if (args.size() > 1)
            return Outcome::with(
                kExitSetupFailed,
                Error::of("export schema: unexpected argument '" + printable(args[1]) + "'"));
        std::fputs((config::spec_schema().dump(2) + "\n").c_str(), stdout);
        return Outcome::ok();
    }
    if (args.empty() || args[0] != "seccomp")
        return Outcome::with(
            kExitSetupFailed,
            Error::of("export: say what to export")
                .with_hint("ipcbox export seccomp [-c SPEC], ipcbox export schema"));
    auto profile = export_seccomp({args.begin() + 1, args.end()});
    if (!profile) return Outcome::with(kExitSetupFailed, std::move(profile).error());
    std::fputs(profile->c_str(), stdout);
    return Outcome::ok();
}

}  // namespace ipcbox::launcher
