// One function per subcommand; each returns ipcbox's exit code and prints its own errors once.
#pragma once

#include <string>
#include <vector>

namespace ipcbox::launcher {

int run_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int export_command(const std::vector<std::string>& args);
int probe_command(const std::vector<std::string>& args);         // launcher/probe_*
int probe_inside_command(const std::vector<std::string>& args);  // hidden: probe's inside half
int hook_command(const std::vector<std::string>& args);  // OCI runtime hook (launcher/hook_*)
int ls_command(const std::vector<std::string>& args);    // launcher/ls_*

// Routes argv to a subcommand; handles --help and --version.
int dispatch(int argc, char** argv);

}  // namespace ipcbox::launcher
