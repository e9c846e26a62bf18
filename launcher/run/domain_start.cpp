#include "launcher/run/domain_start.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <memory>
#include <string>

#include "base/io.hpp"
#include "base/text.hpp"
#include "base/unique_fd.hpp"
#include "config/capabilities.hpp"
#include "launcher/domain/keeper.hpp"
#include "launcher/exit_codes.hpp"
#include "launcher/process.hpp"
#include "ns/join.hpp"

namespace ipcbox::launcher {
namespace {

[[noreturn]] void fail(const Channel& report, Error error) {
    report.send_failure({kExitSetupFailed, std::move(error)});
    _exit(kExitSetupFailed);
}

[[noreturn]] void join_and_clone(const JoinedDomain& domain, int clone_flags, const Channel& report,
                                 int pid_out, const std::function<void()>& sandbox_child) {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) fail(report, Error::from_errno("getcwd", errno));
    auto joined = ns::join_target_namespaces(*domain.keeper, {.ipc = true, .mnt = true});
    if (!joined)
        fail(report, std::move(joined).error().with_context("join domain '" +
                                                            printable(domain.name) + "'"));
    if (chdir(cwd) != 0)
        fail(report, Error::from_errno("working directory " + printable(cwd), errno)
                         .with_hint("the domain sees the mounts there were when it was created"));
    const pid_t child = static_cast<pid_t>(
        syscall(SYS_clone, clone_flags | CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, 0));
    if (child < 0) fail(report, Error::from_errno("clone into the domain", errno));
    if (child == 0) {
        close(pid_out);  // else pid 1, which never execs, would keep the supervisor reading
        sandbox_child();
        _exit(kExitSetupFailed);
    }
    const std::string pid = std::to_string(child);
    _exit(write_all(pid_out, pid) ? 0 : kExitSetupFailed);
}

}  // namespace

// Finds the caller's domain and adds the capabilities every command in it keeps.
Result<JoinedDomain> join_domain(const std::string& name, config::Spec& spec) {
    auto opened = domain::open_domain(name);
    if (!opened) return std::move(opened).error();
    for (const std::string& cap_name : opened->state.capabilities)
        if (auto cap = config::capability_from_name(cap_name))
            if (std::find(spec.sandbox.capabilities.begin(), spec.sandbox.capabilities.end(),
                          *cap) == spec.sandbox.capabilities.end())
                spec.sandbox.capabilities.push_back(*cap);
    return JoinedDomain{name, opened->state.user_namespace,
                        std::make_shared<const ns::TargetNamespaces>(std::move(opened->keeper))};
}

Result<pid_t> start_in_domain(const JoinedDomain& domain, int clone_flags, const Channel& report,
                              const std::function<void()>& sandbox_child) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return Error::from_errno("pipe", errno);
    UniqueFd pid_in(fds[0]), pid_out(fds[1]);
    const pid_t joiner = fork();
    if (joiner < 0) return Error::from_errno("fork", errno);
    if (joiner == 0) {
        pid_in.reset();
        join_and_clone(domain, clone_flags, report, pid_out.get(), sandbox_child);
    }
    pid_out.reset();
    auto said = read_to_end(pid_in.get(), 32);
    if (!said || said->empty()) return joiner;  // it failed, and says why on `report`
    wait_for(joiner);
    return static_cast<pid_t>(std::stol(*said));
}

}  // namespace ipcbox::launcher
