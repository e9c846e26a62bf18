#include "launcher/leaks/report_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "base/io.hpp"
#include "base/unique_fd.hpp"

namespace ipcbox::launcher {
namespace {

constexpr int kMaxNameAttempts = 1000;

// "ipcbox-leaks-20261204T235959Z-4242": sorts by time; the pid keeps parallel runs apart.
std::string unique_stem() {
    char when[32] = "";
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &utc);
    return "ipcbox-leaks-" + std::string(when) + "-" + std::to_string(getpid());
}

Result<UniqueFd> open_new(const std::string& dir, std::string& chosen) {
    const std::string stem = dir + unique_stem();
    for (int attempt = 1; attempt <= kMaxNameAttempts; ++attempt) {
        chosen = stem + (attempt == 1 ? "" : "-" + std::to_string(attempt)) + ".json";
        UniqueFd fd(open(chosen.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (fd.valid()) return fd;
        if (errno != EEXIST) return Error::from_errno("create a report file in " + dir, errno);
    }
    return Error::of("create a report file in " + dir + ": " + std::to_string(kMaxNameAttempts) +
                     " names taken");
}

}  // namespace

Result<std::string> write_leak_report_file(const std::string& path, const std::string& text) {
    std::string chosen = path;
    UniqueFd fd;
    if (!path.empty() && path.back() == '/') {
        auto created = open_new(path, chosen);
        if (!created) return std::move(created).error();
        fd = std::move(created).value();
    } else {
        fd = UniqueFd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!fd.valid()) return Error::from_errno("open " + path, errno);
    }
    if (Status s = write_all(fd.get(), text); !s)
        return std::move(s).error().with_context("write " + chosen);
    return chosen;
}

}  // namespace ipcbox::launcher
