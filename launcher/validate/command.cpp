#include <cstdio>
#include <string>

#include "base/text.hpp"
#include "config/load.hpp"
#include "launcher/commands.hpp"
#include "launcher/flag_errors.hpp"

namespace ipcbox::launcher {

// Exit 0 when every spec is valid, 1 when any is not (its problems reported in file order, at
// most kMaxReportedProblems of them, then how many more there are), 2 on bad usage. A spec is
// valid here when it could run on this machine: its tmpfs paths exist.
Outcome validate_command(const Args& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::fputs(
            "usage: ipcbox validate SPEC...\n"
            "Prints 'SPEC: ok', or every problem of SPEC at file:line:column in file order\n"
            "(at most 20, then how many more there are).\n",
            args.empty() ? stderr : stdout);
        return Outcome{args.empty() ? kExitUsage : kExitOk, {}};
    }
    // It takes no flags: a word that looks like one is a mistyped --help, not a spec ("./-x" is).
    for (const auto& arg : args) {
        if (arg.size() < 2 || arg[0] != '-') continue;
        constexpr std::string_view kFlags[] = {"help"};
        std::string message = "unrecognised option '" + printable(arg) + "'";
        if (const std::string near = closest_flag(arg, kFlags); !near.empty())
            message += "; did you mean '--" + near + "'?";
        return Outcome::with(kExitUsage,
                             Error::of(message).with_hint("see 'ipcbox validate --help'"));
    }
    Outcome outcome;
    for (const auto& path : args) {
        config::SpecProblems problems = config::spec_file_problems(path);
        if (problems.earliest.empty()) {
            std::printf("%s: ok\n", printable(path).c_str());
            continue;
        }
        for (Error& problem : problems.earliest) outcome.messages.push_back(std::move(problem));
        if (problems.left_out > 0)
            outcome.messages.push_back(Error::of(
                printable(path) + ": " + std::to_string(problems.left_out) + " more problem" +
                (problems.left_out == 1 ? "" : "s") + " left out (at most " +
                std::to_string(config::kMaxReportedProblems) + " are listed, in file order)"));
        outcome.exit_code = kExitFailed;
    }
    return outcome;
}

}  // namespace ipcbox::launcher
