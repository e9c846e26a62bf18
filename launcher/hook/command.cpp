// `ipcbox hook`: an OCI createRuntime/prestart hook. Everything it has to say is one line: on
// failure on stderr (runc shows it) and in the log; on success only in the log (runc hides the
// output of a hook that succeeds).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string_view>

#include "base/io.hpp"
#include "base/text.hpp"
#include "base/unique_fd.hpp"
#include "launcher/commands.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/hook/apply.hpp"
#include "launcher/hook/deadline.hpp"
#include "launcher/hook/notes.hpp"
#include "launcher/hook/oci_state.hpp"
#include "launcher/hook/options.hpp"
#include "launcher/hook/spec.hpp"

namespace ipcbox::launcher {
namespace {

constexpr size_t kMaxStateBytes = 4 << 20;  // annotations are capped well below this
using Clock = std::chrono::steady_clock;

// podman reads this text anywhere in a failed hook's output as "command not found" (exit 127).
constexpr std::string_view kNotFoundText = "No such file or directory";

// "message (hint: hint)", with a missing file said in other words than strerror(ENOENT).
std::string one_line(const Error& e) {
    std::string text = e.message;
    if (!e.hint.empty()) text += " (hint: " + e.hint + ")";
    for (size_t at; (at = text.find(kNotFoundText)) != std::string::npos;)
        text.replace(at, kNotFoundText.size(), "does not exist");
    return text;
}

class HookLog {
  public:
    Status open(const std::string& path) {
        const int fd =
            ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
        if (fd < 0) return Error::from_errno("--log " + path, errno);
        fd_.reset(fd);
        return {};
    }
    int fd() const { return fd_.get(); }
    void set_container(const std::string& id) { container_ = "container " + printable(id) + ": "; }
    // "ipcbox hook: container ID: text", the form of every line on stderr and in the log: one
    // line, whatever the text holds (control characters are escaped).
    std::string line(const std::string& text) const {
        return "ipcbox hook: " + container_ + escape_controls(text) + "\n";
    }
    // With a UTC time stamp, in one write so concurrent hooks do not interleave.
    std::string log_line(const std::string& text) const {
        // UTC by calendar arithmetic: glibc's gmtime_r and strftime read TZ and /etc/localtime.
        using namespace std::chrono;
        const auto now = floor<seconds>(system_clock::now());
        const auto day = floor<days>(now);
        const year_month_day date{day};
        const hh_mm_ss<seconds> time{now - day};
        char stamp[80];
        std::snprintf(stamp, sizeof stamp, "%04d-%02u-%02uT%02d:%02d:%02dZ ",
                      static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                      static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                      static_cast<int>(time.minutes().count()),
                      static_cast<int>(time.seconds().count()));
        return stamp + line(text);
    }
    void record(const std::string& text) const {
        if (!fd_.valid()) return;
        const std::string l = log_line(text);
        if (write(fd_.get(), l.data(), l.size()) < 0) {
            // Nothing better to do: the outcome itself still reaches runc through the exit code.
        }
    }
    // Failure: the one line on stderr and in the log.
    int fail(const Error& e) const {
        const std::string text = one_line(e);
        std::fputs(line(text).c_str(), stderr);
        record(text);
        return kExitFailed;
    }

  private:
    UniqueFd fd_;
    std::string container_;
};

Result<std::string> read_stdin() {
    auto data = read_to_end(STDIN_FILENO, kMaxStateBytes);
    if (data) return data;
    if (data.error().err == 0)
        return Error::of("OCI state on stdin is larger than " + std::to_string(kMaxStateBytes) +
                         " bytes");
    return std::move(data).error().with_context("reading the OCI state from stdin");
}

// (Re)arms the deadline for what is left of it, naming the container once it is known.
void arm(const HookOptions& o, const HookLog& log, Clock::time_point start) {
    const long used =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    const std::string text = "gave up after " + std::to_string(o.deadline_ms) +
                             " ms (--deadline): the container is not started";
    arm_deadline(std::max(1L, o.deadline_ms - used), log.line(text), log.log_line(text), log.fd());
}

std::string summary(const HookSpec& spec, const HookApplied& a) {
    return "applied " + spec.source + ": " + std::to_string(a.sysctls) + " sysctls, " +
           std::to_string(a.objects.created) + " objects created, " +
           std::to_string(a.objects.existing) + " already present";
}

int run_hook(const Args& args) {
    const Clock::time_point start = Clock::now();
    HookLog log;
    auto options = parse_hook_options(args);
    if (!options) return log.fail(options.error());
    if (options->help) {
        std::fputs(hook_usage().c_str(), stdout);
        return 0;
    }
    if (!options->log_path.empty())
        if (Status s = log.open(options->log_path); !s) return log.fail(s.error());
    arm(*options, log, start);

    auto input = read_stdin();
    if (!input) return log.fail(input.error());
    auto state = parse_oci_state(*input);
    if (!state) return log.fail(state.error());
    log.set_container(state->id);
    arm(*options, log, start);
    if (!state->pid) {
        log.record("status \"" + state->status + "\" without a process: nothing to do");
        return 0;
    }
    auto spec = find_hook_spec(*state, options->lookup);
    if (!spec) return log.fail(spec.error());
    if (!*spec) {
        log.record("no spec (no io.ipcbox.spec annotation, no bundle ipcbox.toml): nothing to do");
        return 0;
    }
    const HookSpec& found = **spec;
    auto bundle = read_bundle_config(state->bundle);
    if (!bundle) return log.fail(bundle.error());
    auto applied = apply_to_container(found.spec, HookTarget{*state->pid, bundle->rootfs});
    disarm_deadline();
    if (!applied) return log.fail(applied.error());
    std::vector<std::string> notes = runtime_only_notes(found.spec);
    for (std::string& note : overridden_sysctl_notes(found.spec, *bundle))
        notes.push_back(std::move(note));
    for (const std::string& note : notes) {
        std::fputs(log.line("note: " + note).c_str(), stderr);
        log.record("note: " + note);
    }
    log.record(summary(found, *applied));
    return 0;
}

}  // namespace

// Renders its own messages (one line, on stderr and in the log): the outcome carries none.
Outcome hook_command(const Args& args) {
    return Outcome{run_hook(args), {}};
}

}  // namespace ipcbox::launcher
