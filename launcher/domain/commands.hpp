// The `ipcbox domain` subcommands, one file each.
#pragma once

#include <string>

#include "launcher/exit_codes.hpp"
#include "launcher/run/options.hpp"

namespace ipcbox::launcher::domain {

// `create NAME`: `options` are run's, restricted to what makes a domain (-c, --dev-shm-size,
// --cap-add, -v).
Outcome create_command(const std::string& name, const RunOptions& options);

struct RemoveOptions {
    config::Leaks leaks;
    uint32_t grace_seconds = 5;
};
Outcome remove_command(const std::string& name, const RemoveOptions& options);

Outcome list_command(bool json);

}  // namespace ipcbox::launcher::domain
