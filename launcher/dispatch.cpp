#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include "base/text.hpp"
#include "config/suggest.hpp"
#include "ipcbox_version.hpp"  // generated: IPCBOX_VERSION, "<version> (commit <hash>)"
#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/print.hpp"

namespace ipcbox::launcher {
namespace {

constexpr const char* kUsage =
    "usage: ipcbox <command> [options]\n"
    "\n"
    "commands:\n"
    "  run [-c SPEC] [options] [--] COMMAND [ARGS...]\n"
    "                      run COMMAND in its own IPC world (see 'ipcbox run --help')\n"
    "  validate SPEC...    check specs without running anything (exit 0 valid, 1 invalid)\n"
    "  export seccomp [-c SPEC] [--block KIND]... [--block-errno E]\n"
    "                      print the [block] section as an OCI linux.seccomp profile\n"
    "  export schema       print the JSON Schema of a spec, for editors\n"
    "  hook [--spec-dir DIR] [--log FILE] [--allow-inline]\n"
    "                      OCI createRuntime hook: apply a spec to a container (state on stdin)\n"
    "  probe [-c SPEC] [--json] [options]\n"
    "                      measure which IPC mechanisms the sandbox isolates on this kernel\n"
    "  ls [--pid PID | --ns PATH | --domain NAME] [--json]\n"
    "                      list every IPC object of a namespace (default: ipcbox's own)\n"
    "  snapshot (--pid PID | --ns PATH | --domain NAME) [-o FILE] [options]\n"
    "                      write a namespace's IPC objects and contents as a spec\n"
    "  domain create NAME [-c SPEC] | domain ls | domain rm NAME\n"
    "                      named IPC worlds that several commands share (run --domain NAME)\n"
    "  help [COMMAND]      this list, or COMMAND's options\n"
    "  --version           print the version\n";

struct Subcommand {
    const char* name;
    Outcome (*run)(const Args& args);
};

constexpr Subcommand kSubcommands[] = {
    {"run", run_command},     {"validate", validate_command},           {"export", export_command},
    {"probe", probe_command}, {"__probe-inside", probe_inside_command}, {"hook", hook_command},
    {"ls", ls_command},       {"snapshot", snapshot_command},           {"domain", domain_command},
};

const Subcommand* find_subcommand(std::string_view name) {
    for (const Subcommand& sub : kSubcommands)
        if (name == sub.name) return &sub;
    return nullptr;
}

Error unknown_command(const std::string& name) {
    std::vector<std::string_view> names;
    for (const Subcommand& sub : kSubcommands)
        if (sub.name[0] != '_') names.push_back(sub.name);
    names.push_back("help");
    std::string message = "unknown command '" + printable(name) + "'";
    if (auto near = config::closest(name, names))
        message += "; did you mean '" + std::string(*near) + "'?";
    return Error::of(message);
}

int run_subcommand(const Subcommand& sub, const std::vector<std::string>& args) {
    const Outcome outcome = sub.run(args);
    for (const Error& message : outcome.messages) print_error(message);
    return outcome.exit_code;
}

}  // namespace

int dispatch(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? kExitSetupFailed : 0;
    }
    const std::string command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "--version") {
        std::printf("ipcbox %s\n", IPCBOX_VERSION);
        return 0;
    }
    // `ipcbox help` is `ipcbox --help`; `ipcbox help CMD` is `ipcbox CMD --help`.
    if (command == "help") {
        if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
            std::fputs(
                "usage: ipcbox help [COMMAND]\n\nPrints the list of commands, or the "
                "options of COMMAND.\n",
                stdout);
            return 0;
        }
        if (args.empty()) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (const Subcommand* sub = find_subcommand(args[0]))
            return run_subcommand(*sub, {"--help"});
        print_error(unknown_command(args[0]));
        return kExitSetupFailed;
    }
    if (const Subcommand* sub = find_subcommand(command)) return run_subcommand(*sub, args);
    print_error(unknown_command(command));
    std::fputs(kUsage, stderr);
    return kExitSetupFailed;
}

}  // namespace ipcbox::launcher
