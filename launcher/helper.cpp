#include "launcher/helper.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "launcher/process.hpp"

namespace ipcbox::launcher {
namespace {

[[noreturn]] void helper_main(const std::function<Result<Payload>()>& job, const Channel& channel,
                              const HelperOptions& options, pid_t parent) {
    // Not worth finishing when the caller is gone; checked after arming, in case it already is.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    if (options.quiet_stdio) {
        const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        for (int fd = 0; fd <= 2 && null_fd >= 0; ++fd) dup2(null_fd, fd);
    }
    Result<Payload> answer = job();
    if (answer) {
        if (Status s = channel.send(*answer); !s)
            channel.send_failure({kExitSetupFailed, s.error()});
    } else {
        channel.send_failure({kExitSetupFailed, answer.error()});
    }
    _exit(0);
}

std::string describe(int status) {
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "exit status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

Result<Payload> run_helper(const std::function<Result<Payload>()>& job,
                           const HelperOptions& options) {
    auto channel = Channel::make();
    if (!channel) return std::move(channel).error();
    auto& [parent_end, child_end] = *channel;
    const pid_t parent = getpid();
    // fork, not a thread: setns(CLONE_NEWUSER) needs a single-threaded process.
    const pid_t child = fork();
    if (child < 0) return Error::from_errno(std::string("fork ") + options.name, errno);
    if (child == 0) {
        parent_end.close();
        helper_main(job, child_end, options, parent);
    }
    child_end.close();
    if (options.watch) options.watch(child);
    auto message = parent_end.receive();
    const int status = wait_for(child);
    if (options.watch) options.watch(0);
    if (!message) return std::move(message).error();
    if (!*message)
        return Error::of(std::string(options.name) + " died without an answer (" +
                         describe(status) + ")");
    if ((*message)->failure) return std::move((*message)->failure->error);
    return std::move((*message)->payload);
}

}  // namespace ipcbox::launcher
