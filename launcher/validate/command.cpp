#include <cstdio>

#include "config/load.hpp"
#include "launcher/commands.hpp"
#include "launcher/print.hpp"

namespace ipcbox::launcher {

// Exit 0 when every spec is valid, 1 when any is not (each problem printed), 2 on bad usage.
int validate_command(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::fputs("usage: ipcbox validate SPEC...\n", args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    int result = 0;
    for (const auto& path : args) {
        auto spec = config::load_spec_file(path);
        Status valid = spec ? config::validate(*spec) : Status(spec.error());
        if (valid) {
            std::printf("%s: ok\n", path.c_str());
        } else {
            print_error(valid.error());
            result = 1;
        }
    }
    return result;
}

}  // namespace ipcbox::launcher
