#include <cstdio>

#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/print.hpp"
#include "launcher/run/options.hpp"
#include "seccomp/filter.hpp"

namespace ipcbox::launcher {

// `ipcbox export seccomp [-c SPEC] [--block KIND]... [--block-errno E]`
int export_command(const std::vector<std::string>& args) {
    if (args.empty() || args[0] != "seccomp") {
        print_error(
            Error::of("export: say what to export").with_hint("ipcbox export seccomp [-c SPEC]"));
        return kExitSetupFailed;
    }
    auto options = parse_run_options({args.begin() + 1, args.end()});
    if (!options) {
        print_error(options.error());
        return kExitSetupFailed;
    }
    if (!options->command.empty()) {
        print_error(Error::of("export seccomp: unexpected argument '" + options->command[0] + "'"));
        return kExitSetupFailed;
    }
    auto spec = resolve_spec(*options);
    if (!spec) {
        print_error(spec.error());
        return kExitSetupFailed;
    }
    auto profile = seccomp::export_oci_profile(spec->block);
    if (!profile) {
        print_error(profile.error());
        return kExitSetupFailed;
    }
    std::fputs(profile->c_str(), stdout);
    return 0;
}

}  // namespace ipcbox::launcher
