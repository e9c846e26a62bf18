// `ipcbox probe`: makes one host object per IPC mechanism, runs its own inside half in the
// sandbox the spec and flags describe, and reports per mechanism what the kernel actually let
// through, next to what --explain predicts.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/probe/host.hpp"
#include "launcher/probe/inside.hpp"
#include "launcher/probe/report.hpp"
#include "launcher/run/domain_start.hpp"
#include "launcher/run/escapes.hpp"
#include "launcher/run/explain.hpp"
#include "launcher/run/options.hpp"
#include "launcher/run/plan.hpp"
#include "launcher/run/supervisor.hpp"

namespace ipcbox::launcher {
namespace {

// The inside half takes well under a second; a sandbox without a timeout still gets one.
constexpr uint32_t kInsideTimeoutSeconds = 30;

std::string probe_usage() {
    std::string flags = run_usage();
    flags = flags.substr(flags.find("\n\n") + 2);
    return "usage: ipcbox probe [-c SPEC] [--json] [options]\n\n"
           "Measures which IPC mechanisms the sandbox of SPEC and the options isolates on this\n"
           "kernel, and warns where that differs from 'ipcbox run --explain'.\n\n"
           "  --json                print the rows as JSON\n" +
           flags;
}

// Signals that would end the probe are held from the start, so its host objects are always
// removed first; it then ends as the signal asked.
sigset_t termination_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, sig);
    return set;
}

int held_signal() {
    sigset_t pending;
    sigpending(&pending);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
        if (sigismember(&pending, sig)) return sig;
    return 0;
}

Outcome interrupted(int sig) {
    return Outcome::with(128 + sig,
                         Error::of("probe: interrupted by signal " + std::to_string(sig) +
                                   "; its host objects are removed"));
}

struct Captured {
    Outcome outcome;
    std::string out;
};

// The inside half runs through the normal launcher; its stdout goes to a memfd, read once it
// has exited (so nothing has to be read while the supervisor waits).
Result<Captured> run_inside(const LaunchPlan& plan, const Command& command) {
    const int out = memfd_create("ipcbox-probe-out", MFD_CLOEXEC);
    if (out < 0) return Error::from_errno("memfd_create", errno);
    std::fflush(stdout);
    const int saved = fcntl(1, F_DUPFD_CLOEXEC, 3);
    if (saved < 0 || dup2(out, 1) < 0) {
        Error e = Error::from_errno("redirect stdout", errno);
        if (saved >= 0) close(saved);
        close(out);
        return e;
    }
    Captured captured;
    captured.outcome = launch_and_supervise(plan, command);
    dup2(saved, 1);
    close(saved);
    char buf[4096];
    ssize_t n;
    for (off_t at = 0; (n = pread(out, buf, sizeof buf, at)) > 0; at += n)
        captured.out.append(buf, static_cast<size_t>(n));
    close(out);
    return captured;
}

// The escape attempts safe for this plan; the host's IPC namespace is this process's.
void add_escape_targets(probe::Targets& targets, const LaunchPlan& plan) {
    const EscapeAttempts tried = escape_attempts(plan);
    targets.escape_unmount = tried.unmount;
    targets.escape_mount_shm = tried.mount_shm;
    targets.escape_sysctl = tried.sysctl;
    struct stat st;
    if (tried.setns && stat("/proc/self/ns/ipc", &st) == 0) {
        targets.escape_setns_pid = getpid();
        targets.escape_host_ipc_inode = st.st_ino;
    }
}

std::string host_objects_json(const probe::ProbeHost& host) {
    auto objects = nlohmann::json::parse(probe::targets_to_json(host.targets()));
    if (!host.temp_dir().empty()) objects["temp_dir"] = host.temp_dir();
    return objects.dump();
}

// Runs the inside half against fresh host objects and compares them with the prediction.
Outcome measure(const config::Spec& spec, const LaunchPlan& plan, bool json) {
    std::vector<std::string> private_dirs;
    for (const auto& t : plan.mounts.tmpfs) private_dirs.push_back(t.path);
    auto host = probe::ProbeHost::create(plan.mounts.mqueue_mounts, private_dirs, plan.become);
    probe::Targets targets = host->targets();
    add_escape_targets(targets, plan);
    // This very binary, static, whatever the mounts.
    const Command command{"/proc/self/exe",
                          {"ipcbox", "__probe-inside", probe::targets_to_json(targets)}};
    // A signal that came while the objects were made ends the probe before the sandbox starts;
    // one that comes later is passed on to the inside half by the supervisor.
    if (int sig = held_signal()) {
        host->remove_all();
        return interrupted(sig);
    }
    auto inside = run_inside(plan, command);
    const auto observed = host->observe();
    const std::string objects = host_objects_json(*host);
    host->remove_all();

    if (int sig = held_signal()) return interrupted(sig);
    if (!inside) return Outcome::with(kExitSetupFailed, std::move(inside).error());
    Outcome& outcome = inside->outcome;
    // Setup failures and time-outs come with their message; a signal does not.
    if (outcome.exit_code > 128 && outcome.messages.empty())
        outcome.messages.push_back(Error::of("probe: the sandbox side was killed by signal " +
                                             std::to_string(outcome.exit_code - 128)));
    if (outcome.exit_code != 0) return std::move(outcome);
    auto attempts = probe::attempts_from_json(inside->out);
    if (!attempts) return Outcome::with(kExitSetupFailed, std::move(attempts).error());
    std::map<std::string, std::string> missing = host->missing();
    for (const MechanismVerdict& row : predict_escapes(plan))
        if (row.verdict == Verdict::NotApplicable) missing[row.mechanism] = row.why;
    const auto rows =
        probe::compare(predict_isolation(spec.block, plan), *attempts, missing, observed);
    for (const auto& w : probe::warnings(rows))
        std::fprintf(stderr, "ipcbox: warning: %s\n", w.c_str());
    const std::string text =
        json ? probe::format_json(rows, spec.path, objects) : probe::format_table(rows);
    std::fputs(text.c_str(), stdout);
    return outcome;
}

}  // namespace

Outcome probe_command(const Args& args) {
    bool json = false;
    std::vector<std::string> run_args;
    for (const auto& arg : args) {
        if (arg == "--json")
            json = true;
        else
            run_args.push_back(arg);
    }
    constexpr std::string_view kProbeFlags[] = {"json"};
    auto options = parse_run_options(run_args, "probe", kProbeFlags);
    if (!options) return Outcome::with(kExitSetupFailed, std::move(options).error());
    if (options->help) {
        std::fputs(probe_usage().c_str(), stdout);
        return Outcome::ok();
    }
    if (!options->command.empty() || options->explain)
        return Outcome::with(kExitSetupFailed,
                             Error::of("ipcbox probe runs its own checks: it takes no command "
                                       "and no --explain")
                                 .with_hint("ipcbox probe [-c SPEC] [--json] [options]"));
    auto spec = resolve_spec(*options);
    if (!spec) return Outcome::with(kExitSetupFailed, std::move(spec).error());
    if (spec->sandbox.timeout_seconds == 0) spec->sandbox.timeout_seconds = kInsideTimeoutSeconds;
    std::optional<JoinedDomain> domain;
    if (options->domain) {
        auto joined = join_domain(*options->domain, *spec);
        if (!joined) return Outcome::with(kExitSetupFailed, std::move(joined).error());
        domain = std::move(joined).value();
    }
    auto plan = make_plan(*spec, options->verbose, std::move(domain));
    if (!plan) return Outcome::with(kExitSetupFailed, std::move(plan).error());
    const sigset_t held = termination_signals();
    sigprocmask(SIG_BLOCK, &held, nullptr);
    return measure(*spec, *plan, json);
}

}  // namespace ipcbox::launcher
