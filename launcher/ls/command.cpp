// `ipcbox ls [--pid PID | --ns PATH] [--json]`: every IPC object of a namespace. The reading
// happens in a forked helper that joins the target's namespaces (as the OCI hook does), so ipcbox
// itself never changes namespace.

#include <boost/program_options.hpp>
#include <cstdio>
#include <sstream>

#include "base/unique_fd.hpp"
#include "ipc/inventory/json.hpp"
#include "launcher/commands.hpp"
#include "launcher/domain/keeper.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/flag_errors.hpp"
#include "launcher/ls/format.hpp"
#include "launcher/read_inventory.hpp"
#include "launcher/target.hpp"
#include "ns/join.hpp"

namespace po = boost::program_options;

namespace ipcbox::launcher {
namespace {

po::options_description ls_flags() {
    po::options_description d("Options");
    // clang-format off
    d.add_options()
        ("pid", po::value<pid_t>(), "list the namespaces of this process (a sandbox, a container)")
        ("ns", po::value<std::string>(), "list this IPC namespace file (/proc/PID/ns/ipc or a "
                                         "bind mount of one)")
        ("domain", po::value<std::string>(), "list the IPC domain NAME (see 'ipcbox domain')")
        ("json", po::bool_switch(), "print JSON (docs/ls-json.md) instead of a table")
        ("help,h", po::bool_switch(), "show this help");
    // clang-format on
    return d;
}

std::string ls_usage() {
    std::ostringstream out;
    out << "usage: ipcbox ls [--pid PID | --ns PATH | --domain NAME] [--json]\n"
           "Lists every IPC object of ipcbox's own namespaces, or of another process's.\n\n"
        << ls_flags();
    return out.str();
}

struct LsOptions {
    LsSource source;
    bool json = false;
    bool help = false;
};

Result<LsOptions> parse_ls_options(const std::vector<std::string>& args) {
    auto parsed = parse_flags_only(args, ls_flags(), "ls");
    if (!parsed) return std::move(parsed).error();
    const po::variables_map& vm = *parsed;
    LsOptions o;
    o.json = vm["json"].as<bool>();
    o.help = vm["help"].as<bool>();
    if (vm.count("pid") + vm.count("ns") + vm.count("domain") > 1)
        return Error::of("ls: --pid, --ns and --domain name different targets; give one");
    if (vm.count("domain")) {
        o.source.from = LsSource::From::Domain;
        o.source.domain = vm["domain"].as<std::string>();
    }
    if (vm.count("pid")) {
        o.source.from = LsSource::From::Pid;
        o.source.pid = vm["pid"].as<pid_t>();
        if (o.source.pid <= 0) return Error::of("ls: --pid must be a positive process id");
    }
    if (vm.count("ns")) {
        o.source.from = LsSource::From::Path;
        o.source.path = vm["ns"].as<std::string>();
    }
    return o;
}

// A process's namespaces, or those of a domain's keeper (whose pid the listing then shows).
Result<ns::TargetNamespaces> open_source(LsSource& source) {
    if (source.from == LsSource::From::Pid) {
        auto target = ns::open_target_namespaces(source.pid);
        if (!target) return access_hint(std::move(target).error());
        return target;
    }
    auto opened = domain::open_domain(source.domain);
    if (!opened) return std::move(opened).error();
    source.pid = opened->state.keeper;
    return std::move(opened->keeper);
}

Result<ipc::Inventory> take(LsSource& source) {
    const ipc::InventoryOptions options;
    switch (source.from) {
        case LsSource::From::Self:
            return read_inventory(options);
        case LsSource::From::Pid:
        case LsSource::From::Domain: {
            auto target = open_source(source);
            if (!target) return std::move(target).error();
            auto inventory = read_inventory(options, [&]() {
                return ns::join_target_namespaces(*target, {.ipc = true, .mnt = true});
            });
            // The helper cannot always tell: the target's /proc may not show it /proc/self.
            if (inventory) {
                inventory->ipc_ns = inode_of(target->ipc.get());
                inventory->mnt_ns = inode_of(target->mnt.get());
            }
            return inventory;
        }
        case LsSource::From::Path: {
            auto fd = open_ipc_namespace_file(source.path);
            if (!fd) return std::move(fd).error();
            auto inventory = read_inventory(options, [&]() -> Result<ns::IdView> {
                if (Status s = ns::join_ipc_namespace_file(fd->get()); !s)
                    return std::move(s).error();
                return ns::IdView{};
            });
            if (!inventory) return inventory;
            inventory->ipc_ns = inode_of(fd->get());
            inventory->notes.push_back(
                "posix.shm, posix.semaphore: from ipcbox's own /dev/shm (a namespace file "
                "names no mount namespace; use --pid for a process's own)");
            return inventory;
        }
    }
    return Error::of("ls: no source");
}

}  // namespace

// Exit codes as for validate: 1 when the namespace could not be listed, 2 on bad usage.
Outcome ls_command(const std::vector<std::string>& args) {
    auto options = parse_ls_options(args);
    if (!options) return Outcome::with(kExitUsage, std::move(options).error());
    if (options->help) {
        std::fputs(ls_usage().c_str(), stdout);
        return Outcome::ok();
    }
    auto inventory = take(options->source);
    if (!inventory)
        return Outcome::with(kExitFailed, std::move(inventory).error().with_context("ls"));
    const std::string text = options->json
                                 ? ipc::dump_json(ls_json(*inventory, options->source), 2) + "\n"
                                 : ls_table(*inventory, options->source);
    std::fputs(text.c_str(), stdout);
    return Outcome::ok();
}

}  // namespace ipcbox::launcher
