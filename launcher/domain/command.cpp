// `ipcbox domain create|ls|rm`: named IPC worlds that several commands share.
#include <boost/program_options.hpp>
#include <cstdio>
#include <sstream>

#include "base/text.hpp"
#include "config/capabilities.hpp"
#include "config/load.hpp"
#include "config/suggest.hpp"
#include "launcher/commands.hpp"
#include "launcher/domain/commands.hpp"
#include "launcher/flag_errors.hpp"

namespace po = boost::program_options;

namespace ipcbox::launcher {
namespace {

po::options_description create_flags() {
    po::options_description d("Options of create");
    // clang-format off
    d.add_options()
        ("config,c", po::value<std::string>(), "TOML spec: its [sysctl], objects and [dev_shm]")
        ("dev-shm-size", po::value<std::string>(), "size of the domain's /dev/shm (e.g. 64M)")
        ("cap-add", po::value<std::vector<std::string>>(),
            "capability every command in the domain keeps (repeatable)")
        ("verbose,v", po::bool_switch(), "log each setup step")
        ("help,h", po::bool_switch(), "show this help");
    // clang-format on
    return d;
}

po::options_description rm_flags() {
    po::options_description d("Options of rm");
    // clang-format off
    d.add_options()
        ("leak-report", po::value<std::string>()->implicit_value("stderr"),
            "list the objects left against the preseeded state, on stderr or as JSON in =PATH "
            "(a new file in =DIR/)")
        ("fail-on-leak", po::bool_switch(), "exit 123 when objects or processes were left")
        ("grace", po::value<uint32_t>(), "seconds between SIGTERM and SIGKILL (default 5)")
        ("help,h", po::bool_switch(), "show this help");
    // clang-format on
    return d;
}

po::options_description ls_flags() {
    po::options_description d("Options of ls");
    // clang-format off
    d.add_options()
        ("json", po::bool_switch(), "print JSON instead of a table")
        ("help,h", po::bool_switch(), "show this help");
    // clang-format on
    return d;
}

std::string domain_usage() {
    std::ostringstream out;
    out << "usage: ipcbox domain create NAME [-c SPEC] [--dev-shm-size SIZE] [--cap-add CAP]...\n"
           "       ipcbox domain ls [--json]\n"
           "       ipcbox domain rm NAME [--leak-report[=PATH]] [--fail-on-leak] [--grace S]\n"
           "A domain is a named IPC world (IPC namespace, /dev/shm, mqueue) that outlives its\n"
           "commands: 'ipcbox run --domain NAME -- CMD' runs CMD in it. Domains are per user.\n\n"
        << create_flags() << "\n"
        << ls_flags() << "\n"
        << rm_flags();
    return out.str();
}

Outcome usage_error(Error e) {
    return Outcome::with(kExitSetupFailed, std::move(e).with_hint("see 'ipcbox domain --help'"));
}

Outcome create(const std::string& name, const std::vector<std::string>& flags) {
    auto parsed = parse_flags_only(flags, create_flags(), "domain");
    if (!parsed) return Outcome::with(kExitSetupFailed, std::move(parsed).error());
    const po::variables_map& vm = *parsed;
    RunOptions o;
    if (vm.count("config")) o.spec_path = vm["config"].as<std::string>();
    if (vm.count("dev-shm-size")) {
        auto size = config::parse_size(vm["dev-shm-size"].as<std::string>());
        if (!size)
            return Outcome::with(kExitSetupFailed,
                                 std::move(size).error().with_context("--dev-shm-size"));
        o.dev_shm_size = *size;
    }
    if (vm.count("cap-add"))
        for (const auto& n : vm["cap-add"].as<std::vector<std::string>>()) {
            auto cap = config::capability_from_name(n);
            if (!cap)
                return Outcome::with(
                    kExitSetupFailed,
                    Error::of("--cap-add: " + config::unknown_capability_message(n)));
            o.capabilities.push_back(*cap);
        }
    o.verbose = vm["verbose"].as<bool>();
    return domain::create_command(name, o);
}

Outcome remove(const std::string& name, const std::vector<std::string>& flags) {
    auto parsed = parse_flags_only(flags, rm_flags(), "domain");
    if (!parsed) return Outcome::with(kExitSetupFailed, std::move(parsed).error());
    const po::variables_map& vm = *parsed;
    domain::RemoveOptions o;
    if (vm.count("leak-report")) {
        const std::string v = vm["leak-report"].as<std::string>();
        if (v.empty()) return usage_error(Error::of("--leak-report=: give a file path, or no '='"));
        o.leaks.report = v == "stderr" ? config::LeakOutput::Stderr : config::LeakOutput::File;
        if (o.leaks.report == config::LeakOutput::File) o.leaks.path = v;
    }
    o.leaks.fail = vm["fail-on-leak"].as<bool>();
    if (vm.count("grace")) o.grace_seconds = vm["grace"].as<uint32_t>();
    return domain::remove_command(name, o);
}

}  // namespace

Outcome domain_command(const std::vector<std::string>& args) {
    if (args.empty()) return usage_error(Error::of("domain: give an action: create, ls or rm"));
    const std::string& action = args[0];
    if (action == "--help" || action == "-h" || action == "help") {
        std::fputs(domain_usage().c_str(), stdout);
        return Outcome::ok();
    }
    std::vector<std::string> rest(args.begin() + 1, args.end());
    const bool wants_help = std::find_if(rest.begin(), rest.end(), [](const std::string& a) {
                                return a == "--help" || a == "-h";
                            }) != rest.end();
    if (wants_help) {
        std::fputs(domain_usage().c_str(), stdout);
        return Outcome::ok();
    }
    if (action == "ls") {
        auto parsed = parse_flags_only(rest, ls_flags(), "domain");
        if (!parsed) return Outcome::with(kExitSetupFailed, std::move(parsed).error());
        return domain::list_command((*parsed)["json"].as<bool>());
    }
    if (action != "create" && action != "rm") {
        std::string message = "domain: unknown action '" + printable(action) + "'";
        const std::string_view actions[] = {"create", "ls", "rm"};
        if (auto near = config::closest(action, actions))
            message += "; did you mean '" + std::string(*near) + "'?";
        return usage_error(Error::of(message));
    }
    if (rest.empty() || rest[0].empty() || rest[0][0] == '-')
        return usage_error(Error::of("domain " + action + ": give the domain's NAME first"));
    const std::string name = rest[0];
    rest.erase(rest.begin());
    return action == "create" ? create(name, rest) : remove(name, rest);
}

}  // namespace ipcbox::launcher
