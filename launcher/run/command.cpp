// `ipcbox run`: flags and spec -> plan -> sandbox -> the command's exit code.
#include <cstdio>

#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/run/domain_start.hpp"
#include "launcher/run/explain.hpp"
#include "launcher/run/options.hpp"
#include "launcher/run/plan.hpp"
#include "launcher/run/supervisor.hpp"

namespace ipcbox::launcher {

Outcome run_command(const Args& args) {
    auto options = parse_run_options(args);
    if (!options) return Outcome::with(kExitSetupFailed, std::move(options).error());
    if (options->help) {
        std::fputs(run_usage().c_str(), stdout);
        return Outcome::ok();
    }
    if (options->command.empty())
        return Outcome::with(kExitSetupFailed, Error::of("no command given")
                                                   .with_hint("ipcbox run [-c SPEC] -- COMMAND "
                                                              "[ARGS...]"));
    auto spec = resolve_spec(*options);
    if (!spec) return Outcome::with(kExitSetupFailed, std::move(spec).error());
    // Found before anything is made, so "not found" and "not executable" change nothing.
    int not_found_code = kExitNotFound;
    auto path = resolve_command(options->command[0], &not_found_code);
    if (!path) return Outcome::with(not_found_code, std::move(path).error());
    const Command command{std::move(path).value(), options->command};
    std::optional<JoinedDomain> domain;
    if (options->domain) {
        auto joined = join_domain(*options->domain, *spec);
        if (!joined) return Outcome::with(kExitSetupFailed, std::move(joined).error());
        domain = std::move(joined).value();
    }
    if (options->explain) {
        auto plan = make_plan(*spec, options->verbose, domain);
        if (!plan) return Outcome::with(kExitSetupFailed, std::move(plan).error());
        std::fputs(explain(*spec, *plan, command).c_str(), stdout);
        return Outcome::ok();
    }
    auto plan = make_plan(std::move(spec).value(), options->verbose, std::move(domain));
    if (!plan) return Outcome::with(kExitSetupFailed, std::move(plan).error());
    return launch_and_supervise(*plan, command);
}

}  // namespace ipcbox::launcher
