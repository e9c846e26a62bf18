// One function per subcommand, each in its own folder under launcher/. Each returns an Outcome:
// the exit code and the messages dispatch() renders, once.
#pragma once

#include <string>
#include <vector>

#include "launcher/exit_codes.hpp"

namespace ipcbox::launcher {

using Args = std::vector<std::string>;

Outcome run_command(const Args& args);           // launcher/run/
Outcome validate_command(const Args& args);      // launcher/validate/
Outcome export_command(const Args& args);        // launcher/export/
Outcome probe_command(const Args& args);         // launcher/probe/
Outcome probe_inside_command(const Args& args);  // hidden: probe's inside half
Outcome hook_command(const Args& args);          // launcher/hook/ (renders its own log)
Outcome ls_command(const Args& args);            // launcher/ls/
Outcome snapshot_command(const Args& args);      // launcher/snapshot/
Outcome domain_command(const Args& args);        // launcher/domain/

// Routes argv to a subcommand; handles --help and --version; renders the outcome's messages.
int dispatch(int argc, char** argv);

}  // namespace ipcbox::launcher
