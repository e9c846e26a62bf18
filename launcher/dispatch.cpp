#include <cstdio>
#include <cstring>

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
    "  ls [--pid PID | --ns PATH] [--json]\n"
    "                      list every IPC object of a namespace (default: ipcbox's own)\n"
    "  --version           print the version\n";

struct Subcommand {
    const char* name;
    Outcome (*run)(const Args& args);
};

constexpr Subcommand kSubcommands[] = {
    {"run", run_command},     {"validate", validate_command},           {"export", export_command},
    {"probe", probe_command}, {"__probe-inside", probe_inside_command}, {"hook", hook_command},
    {"ls", ls_command},
};

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
    for (const Subcommand& sub : kSubcommands) {
        if (command != sub.name) continue;
        const Outcome outcome = sub.run(args);
        for (const Error& message : outcome.messages) print_error(message);
        return outcome.exit_code;
    }
    print_error(Error::of("unknown command '" + command + "'"));
    std::fputs(kUsage, stderr);
    return kExitSetupFailed;
}

}  // namespace ipcbox::launcher
