#include <cstdio>
#include <cstring>

#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"

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
    "  hook [--spec-dir DIR] [--log FILE] [--allow-inline]\n"
    "                      OCI createRuntime hook: apply a spec to a container (state on stdin)\n"
    "  probe [-c SPEC] [--json] [options]\n"
    "                      measure which IPC mechanisms the sandbox isolates on this kernel\n"
    "  ls [--pid PID | --ns PATH] [--json]\n"
    "                      list every IPC object of a namespace (default: ipcbox's own)\n"
    "  --version           print the version\n";

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
    if (command == "run") return run_command(args);
    if (command == "validate") return validate_command(args);
    if (command == "export") return export_command(args);
    if (command == "probe") return probe_command(args);
    if (command == "__probe-inside") return probe_inside_command(args);
    if (command == "hook") return hook_command(args);
    if (command == "ls") return ls_command(args);
    std::fprintf(stderr, "ipcbox: unknown command '%s'\n%s", command.c_str(), kUsage);
    return kExitSetupFailed;
}

}  // namespace ipcbox::launcher
