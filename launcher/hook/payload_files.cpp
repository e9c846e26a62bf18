#include "launcher/hook/payload_files.hpp"

#include <fcntl.h>

#include <cerrno>

#include "base/io.hpp"
#include "launcher/helper.hpp"
#include "launcher/hook/deadline.hpp"
#include "ns/join.hpp"

namespace ipcbox::launcher {

Result<UniqueFd> open_payload_beneath(const std::string& dir, const std::string& relative) {
    const UniqueFd dir_fd(open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!dir_fd.valid()) return Error::from_errno("open " + dir, errno);
    return open_beneath(dir_fd.get(), relative);
}

Result<UniqueFd> open_payload_in_container(pid_t pid, const std::string& dir,
                                           const std::string& relative) {
    auto target = ns::open_target_namespaces(pid);
    if (!target) return std::move(target).error();
    auto answer = run_helper(
        [&]() -> Result<Payload> {
            if (auto joined = ns::join_target_namespaces(*target, {.ipc = false, .mnt = true});
                !joined)
                return std::move(joined).error().with_context("joining the container's namespaces");
            auto fd = open_payload_beneath(dir, relative);
            if (!fd) return std::move(fd).error();
            Payload file;
            file.fds.push_back(std::move(fd).value());
            return file;
        },
        {.name = "the helper that opens payload files in the container",
         .quiet_stdio = true,
         .watch = watch_child});
    if (!answer) return std::move(answer).error();
    if (answer->fds.size() != 1)
        return Error::of("the helper that opens payload files in the container sent no file");
    return std::move(answer->fds[0]);
}

}  // namespace ipcbox::launcher
