#include "launcher/leaks/check.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "ipc/inventory/json.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/leaks/report.hpp"
#include "launcher/print.hpp"
#include "ns/join.hpp"

namespace ipcbox::launcher {
namespace {

Result<UniqueFd> open_own_namespace(const char* kind) {
    const std::string path = std::string("/proc/self/ns/") + kind;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::from_errno("open " + path, errno);
    return UniqueFd(fd);
}

Result<bool> is_own_namespace(int fd, const char* kind) {
    struct stat theirs, ours;
    const std::string path = std::string("/proc/self/ns/") + kind;
    if (fstat(fd, &theirs) != 0 || stat(path.c_str(), &ours) != 0)
        return Error::from_errno("compare namespaces with " + path, errno);
    return theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino;
}

// The kept handles, in the shape join_target_namespaces() takes.
Result<ns::TargetNamespaces> kept_namespaces(SandboxSnapshot& snapshot) {
    ns::TargetNamespaces t;
    auto user = is_own_namespace(snapshot.user.get(), "user");
    auto ipc = is_own_namespace(snapshot.ipc.get(), "ipc");
    auto mnt = is_own_namespace(snapshot.mnt.get(), "mnt");
    if (!user) return std::move(user).error();
    if (!ipc) return std::move(ipc).error();
    if (!mnt) return std::move(mnt).error();
    t.user_differs = !*user;
    t.ipc_is_ours = *ipc;
    t.mnt_is_ours = *mnt;
    t.user = std::move(snapshot.user);
    t.ipc = std::move(snapshot.ipc);
    t.mnt = std::move(snapshot.mnt);
    return t;
}

Result<LeakReport> take_report(SandboxSnapshot& snapshot, int command_exit_code) {
    if (!snapshot.complete) return Error::of("the sandbox sent no snapshot before the command ran");
    auto parsed = nlohmann::json::parse(snapshot.inventory_json, nullptr, false);
    if (parsed.is_discarded()) return Error::of("the sandbox's snapshot is not JSON");
    auto before = ipc::inventory_from_json(parsed);
    if (!before) return std::move(before).error();
    auto target = kept_namespaces(snapshot);
    if (!target) return std::move(target).error();
    auto after = ipc::take_inventory({.digests = true}, [&]() -> Status {
        return ns::join_target_namespaces(*target, {.ipc = true, .mnt = true});
    });
    if (!after) return std::move(after).error();
    return compare_inventories(*before, *after, command_exit_code);
}

Status write_report_file(const std::string& path, const LeakReport& report) {
    const std::string text = ipc::dump_json(leak_json(report), 2) + "\n";
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd.valid()) return Error::from_errno("open " + path, errno);
    if (write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        return Error::from_errno("write " + path, errno);
    return {};
}

}  // namespace

bool leak_check_wanted(const config::Spec& spec) {
    return spec.leaks.report != config::LeakOutput::Off || spec.leaks.fail;
}

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
            text = "report as JSON in " + leaks.path;
            break;
    }
    if (leaks.fail)
        text += "; exit 123 when the command exits 0 but leaves objects it created or changed";
    return text;
}

Status send_leak_snapshot(int report_fd) {
    auto inventory = ipc::take_inventory({.digests = true});
    if (!inventory) return std::move(inventory).error().with_context("leak report: snapshot");
    auto user = open_own_namespace("user");
    auto ipc = open_own_namespace("ipc");
    auto mnt = open_own_namespace("mnt");
    if (!user) return std::move(user).error();
    if (!ipc) return std::move(ipc).error();
    if (!mnt) return std::move(mnt).error();
    return send_snapshot(report_fd, ipc::dump_json(ipc::inventory_to_json(*inventory)), user->get(),
                         ipc->get(), mnt->get());
}

int finish_leak_check(const config::Spec& spec, SandboxSnapshot snapshot, int command_exit_code) {
    const config::Leaks& leaks = spec.leaks;
    // take_report() closes the kept handles when it returns: the namespaces and objects die.
    auto report = take_report(snapshot, command_exit_code);
    if (report && (spec.dev_shm.mode == config::DevShmMode::Host || !spec.sandbox.mount))
        report->notes.push_back(
            "posix.shm, posix.semaphore: the host's /dev/shm, shared with the sandbox: objects "
            "there outlive the run, and \"preseeded\" means there before the command ran");
    Status shown = report ? Status{} : Status(std::move(report).error());
    if (shown && leaks.report == config::LeakOutput::File)
        shown = write_report_file(leaks.path, *report);
    else if (shown)
        std::fputs(leak_table(*report).c_str(), stderr);
    if (!shown) {
        print_error(std::move(shown).error().with_context("leak report"));
        // With fail, a check that could not be made must not pass as clean.
        return leaks.fail && command_exit_code == 0 ? kExitSetupFailed : command_exit_code;
    }
    return leak_exit_code(leaks, *report);
}

}  // namespace ipcbox::launcher
