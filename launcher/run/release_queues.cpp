#include "launcher/run/release_queues.hpp"

#include <mqueue.h>

#include <cerrno>

#include "ipc/inventory/inventory.hpp"
#include "launcher/helper.hpp"

namespace ipcbox::launcher {

Status release_posix_queues(const ns::TargetNamespaces& sandbox) {
    auto answer = run_helper(
        [&]() -> Result<Payload> {
            if (auto joined = ns::join_target_namespaces(sandbox, {.ipc = true, .mnt = false});
                !joined)
                return std::move(joined).error();
            auto names = ipc::posix_queue_names();
            if (!names) return std::move(names).error();
            for (const std::string& name : *names)
                if (mq_unlink(name.c_str()) != 0 && errno != ENOENT)
                    return Error::from_errno("mq_unlink " + name, errno);
            return Payload{};
        },
        {.name = "the helper that releases the sandbox's POSIX queues",
         .quiet_stdio = false,
         .watch = {}});
    if (!answer) return std::move(answer).error().with_context("release POSIX queues");
    return {};
}

}  // namespace ipcbox::launcher
