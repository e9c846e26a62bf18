#include "launcher/leaks/check.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "base/io.hpp"
#include "ipc/inventory/json.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/leaks/report.hpp"
#include "launcher/leaks/report_file.hpp"
#include "launcher/read_inventory.hpp"
#include "ns/join.hpp"

namespace ipcbox::launcher {
namespace {

// Both inventories are read in the setup's user namespace; `view` shows them as the command sees
// them (its nested namespace's ids).
Result<LeakReport> take_report(const std::string& snapshot, const ns::TargetNamespaces* sandbox,
                               const ns::IdView& view, int command_exit_code,
                               std::vector<EndedProcess> processes) {
    if (!sandbox || snapshot.empty())
        return Error::of("the sandbox sent no snapshot before the command ran");
    auto parsed = nlohmann::json::parse(snapshot, nullptr, false);
    if (parsed.is_discarded()) return Error::of("the sandbox's snapshot is not JSON");
    auto before = ipc::inventory_from_json(parsed);
    if (!before) return std::move(before).error();
    auto after = read_inventory({.digests = true}, [&]() {
        return ns::join_target_namespaces(*sandbox, {.ipc = true, .mnt = true});
    });
    if (!after) return std::move(after).error();
    ipc::view_ids(*before, view);
    ipc::view_ids(*after, view);
    LeakReport report = compare_inventories(*before, *after, command_exit_code);
    report.processes = std::move(processes);
    return report;
}

Status write_report_file(const std::string& path, const LeakReport& report) {
    auto written = write_leak_report_file(path, ipc::dump_json(leak_json(report), 2) + "\n");
    if (!written) return std::move(written).error();
    return {};
}

}  // namespace

std::string describe_leak_settings(const config::Leaks& leaks) {
    std::string text;
    switch (leaks.report) {
        case config::LeakOutput::Off:
            text = leaks.fail ? "report on stderr" : "off";
            break;
        case config::LeakOutput::Stderr:
            text = "report on stderr";
            break;
        case config::LeakOutput::File:
            text = leaks.path.ends_with('/') ? "report as JSON in a new file in " + leaks.path
                                             : "report as JSON in " + leaks.path;
            break;
    }
    if (leaks.fail)
        text +=
            "; exit 123 when the command exits 0 but leaves objects it created or changed, or "
            "processes running";
    return text;
}

Status send_sandbox_handles(const Channel& channel, bool with_inventory) {
    Payload snapshot;
    if (with_inventory) {
        auto inventory = read_inventory({.digests = true});
        if (!inventory) return std::move(inventory).error().with_context("leak report: snapshot");
        snapshot.bytes = ipc::dump_json(ipc::inventory_to_json(*inventory));
    }
    for (const char* kind : {"user", "ipc", "mnt"}) {
        auto fd = ns::open_own_namespace(kind);
        if (!fd) return std::move(fd).error();
        snapshot.fds.push_back(std::move(fd).value());
    }
    return channel.send(snapshot);
}

Outcome finish_leak_check(const LaunchPlan& plan, const std::string& snapshot,
                          const ns::TargetNamespaces* sandbox, int command_exit_code,
                          std::vector<EndedProcess> processes) {
    const config::Leaks& leaks = plan.leaks;
    const ns::IdView view = plan.nested ? ns::view_of(plan.nested->ids) : ns::IdView{};
    auto report = take_report(snapshot, sandbox, view, command_exit_code, std::move(processes));
    if (report && plan.domain)
        report->notes.push_back(
            "the domain's objects: those of other commands in it, made while this one ran, show "
            "as created here too");
    else if (report && (plan.mounts.dev_shm == ns::ShmMount::Inherit || !plan.namespaces.mount))
        report->notes.push_back(
            "posix.shm, posix.semaphore: the host's /dev/shm, shared with the sandbox: objects "
            "there outlive the run, and \"preseeded\" means there before the command ran");
    Status shown = report ? Status{} : Status(std::move(report).error());
    if (shown && leaks.report == config::LeakOutput::File)
        shown = write_report_file(leaks.path, *report);
    else if (shown)
        std::fputs(leak_table(*report).c_str(), stderr);
    if (!shown) {
        // With fail, a check that could not be made must not pass as clean.
        return Outcome::with(
            leaks.fail && command_exit_code == 0 ? kExitSetupFailed : command_exit_code,
            std::move(shown).error().with_context("leak report"));
    }
    return Outcome{leak_exit_code(leaks, *report), {}};
}

}  // namespace ipcbox::launcher
