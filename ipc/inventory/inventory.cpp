// take_inventory(): a forked helper enters the namespaces, reads everything and writes it back as
// JSON on a pipe. The helper may setns, unshare and mount as it needs; the caller stays as it was.
#include "ipc/inventory/inventory.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>

#include "base/io.hpp"
#include "base/unique_fd.hpp"
#include "ipc/inventory/detail.hpp"
#include "ipc/inventory/json.hpp"

namespace ipcbox::ipc {
namespace {

using nlohmann::json;

uint64_t own_namespace_inode(const char* kind) {
    struct stat st;
    const std::string path = std::string("/proc/self/ns/") + kind;
    return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

Result<Inventory> collect(const InventoryOptions& options) {
    Inventory inventory;
    inventory.ipc_ns = own_namespace_inode("ipc");
    inventory.mnt_ns = own_namespace_inode("mnt");
    if (Status s = inventory_detail::collect_sysv(inventory, options); !s)
        return std::move(s).error();
    inventory_detail::collect_dev_shm(inventory, options);
    // Last: it may move this helper into a private mount namespace.
    inventory_detail::collect_mqueues(inventory);
    sort_objects(inventory.objects);
    return inventory;
}

json error_json(const Error& e) {
    return json{{"error", {{"message", e.message}, {"hint", e.hint}, {"err", e.err}}}};
}

bool write_all(int fd, const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

[[noreturn]] void run_helper(int out_fd, const InventoryOptions& options,
                             const std::function<Status()>& enter) {
    // Not worth finishing when the caller is gone.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    json answer;
    Status entered = enter ? enter() : Status{};
    if (!entered) {
        answer = error_json(entered.error());
    } else {
        auto inventory = collect(options);
        answer = inventory ? json{{"inventory", inventory_to_json(*inventory)}}
                           : error_json(inventory.error());
    }
    _exit(write_all(out_fd, dump_json(answer)) ? 0 : 1);
}

Result<Inventory> parse_answer(const std::string& text) {
    json answer = json::parse(text, nullptr, false);
    if (answer.is_discarded()) return Error::of("the inventory helper sent no answer");
    if (answer.contains("error")) {
        const json& e = answer["error"];
        return Error{e.value("message", std::string("?")), e.value("hint", std::string()),
                     e.value("err", 0)};
    }
    if (!answer.contains("inventory")) return Error::of("the inventory helper sent no inventory");
    return inventory_from_json(answer["inventory"]);
}

}  // namespace

namespace inventory_detail {

void Fingerprint::add(const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) {
        hash_ ^= bytes[i];
        hash_ *= 0x100000001b3ull;
    }
}

std::string Fingerprint::hex() const {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash_));
    return buf;
}

}  // namespace inventory_detail

void sort_objects(std::vector<IpcObject>& objects) {
    std::stable_sort(objects.begin(), objects.end(), [](const IpcObject& a, const IpcObject& b) {
        if (a.kind != b.kind) return a.kind < b.kind;
        if (a.id != b.id) return a.id < b.id;
        return a.name < b.name;
    });
}

Result<Inventory> take_inventory(const InventoryOptions& options,
                                 const std::function<Status()>& enter) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return Error::from_errno("pipe", errno);
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    pid_t helper = fork();
    if (helper < 0) return Error::from_errno("fork", errno);
    if (helper == 0) {
        read_end.reset();
        run_helper(write_end.get(), options, enter);
    }
    write_end.reset();

    // A read error leaves no answer to parse, which parse_answer() reports.
    auto text = read_to_end(read_end.get(), UINT64_MAX);
    int status = 0;
    while (waitpid(helper, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return Error::of("the inventory helper failed (wait status " + std::to_string(status) +
                         ")");
    return parse_answer(text ? *text : std::string());
}

}  // namespace ipcbox::ipc
