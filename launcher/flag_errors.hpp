// A bad command line, said the same way by every subcommand: what boost found wrong and, for a
// flag that does not exist, the one most likely meant (`--nett` -> `--net`, `--time` ->
// `--timeout`).
#pragma once

#include <boost/program_options/errors.hpp>
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ipcbox::launcher {

// `command` names the subcommand for the hint ("see 'ipcbox run --help'"); `more_flags` are long
// flags the subcommand takes besides `flags` (probe's --json).
Error flag_error(const boost::program_options::error& error,
                 const boost::program_options::options_description& flags, std::string_view command,
                 std::span<const std::string_view> more_flags = {});

// `args` read against `flags` alone (a stray word is an error, an abbreviation is never guessed),
// for subcommands that take flags and nothing else (ls, snapshot); an error as flag_error() says.
Result<boost::program_options::variables_map> parse_flags_only(
    const std::vector<std::string>& args, const boost::program_options::options_description& flags,
    std::string_view command);

// The long flag (without dashes) that `typed` most likely meant: a close spelling, or else the
// only flag it is the beginning of. Empty when none is.
std::string closest_flag(std::string_view typed, std::span<const std::string_view> flags);

}  // namespace ipcbox::launcher
