#include "launcher/flag_errors.hpp"

#include <boost/program_options/parsers.hpp>
#include <string>
#include <vector>

#include "base/text.hpp"
#include "config/suggest.hpp"

namespace ipcbox::launcher {

namespace po = boost::program_options;

std::string closest_flag(std::string_view typed, std::span<const std::string_view> flags) {
    while (!typed.empty() && typed.front() == '-') typed.remove_prefix(1);
    typed = typed.substr(0, typed.find('='));
    if (typed.empty()) return {};
    if (auto near = config::closest(typed, flags)) return std::string(*near);
    // A flag cut short (`--time` for `--timeout`): boost's own guessing is off, so that a new flag
    // can never change what an old command line meant; here it only suggests.
    std::string_view only;
    for (std::string_view flag : flags) {
        if (flag.size() <= typed.size() || flag.substr(0, typed.size()) != typed) continue;
        if (!only.empty()) return {};
        only = flag;
    }
    return std::string(only);
}

Error flag_error(const po::error& error, const po::options_description& flags,
                 std::string_view command, std::span<const std::string_view> more_flags) {
    std::string message = printable(error.what());
    if (const auto* unknown = dynamic_cast<const po::unknown_option*>(&error)) {
        std::vector<std::string> names;
        for (const auto& option : flags.options())
            if (!option->long_name().empty()) names.push_back(option->long_name());
        std::vector<std::string_view> candidates(names.begin(), names.end());
        candidates.insert(candidates.end(), more_flags.begin(), more_flags.end());
        const std::string near = closest_flag(unknown->get_option_name(), candidates);
        if (!near.empty()) message += "; did you mean '--" + near + "'?";
    }
    return Error::of(std::move(message))
        .with_hint("see 'ipcbox " + std::string(command) + " --help'");
}

Result<boost::program_options::variables_map> parse_flags_only(
    const std::vector<std::string>& args, const boost::program_options::options_description& flags,
    std::string_view command) {
    namespace po = boost::program_options;
    po::variables_map vm;
    const po::positional_options_description no_operands;
    try {
        po::store(
            po::command_line_parser(args)
                .options(flags)
                .positional(no_operands)
                .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                .run(),
            vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return flag_error(e, flags, command);
    }
    return vm;
}

}  // namespace ipcbox::launcher
