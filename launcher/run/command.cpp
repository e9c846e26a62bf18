#include <cstdio>

#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/print.hpp"
#include "launcher/run/explain.hpp"
#include "launcher/run/options.hpp"
#include "launcher/run/plan.hpp"
#include "launcher/run/supervisor.hpp"

namespace ipcbox::launcher {

int run_command(const std::vector<std::string>& args) {
    auto options = parse_run_options(args);
    if (!options) {
        print_error(options.error());
        return kExitSetupFailed;
    }
    if (options->help) {
        std::fputs(run_usage().c_str(), stdout);
        return 0;
    }
    if (options->command.empty()) {
        print_error(
            Error::of("no command given").with_hint("ipcbox run [-c SPEC] -- COMMAND [ARGS...]"));
        return kExitSetupFailed;
    }
    auto spec = resolve_spec(*options);
    if (!spec) {
        print_error(spec.error());
        return kExitSetupFailed;
    }
    // Found before anything is made, so "not found" and "not executable" change nothing.
    int not_found_code = kExitNotFound;
    auto path = resolve_command(options->command[0], &not_found_code);
    if (!path) {
        print_error(path.error());
        return not_found_code;
    }
    auto plan = make_plan(std::move(spec).value(), options->command, options->verbose);
    if (!plan) {
        print_error(plan.error());
        return kExitSetupFailed;
    }
    plan->command_path = *path;
    if (options->explain) {
        std::fputs(explain(*plan).c_str(), stdout);
        return 0;
    }
    return launch_and_supervise(*plan);
}

}  // namespace ipcbox::launcher
