// "A sysctls created existing\n", or "E errno message_size hint_size\n" then both strings.
#include "launcher/hook/wire.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace ipcbox::launcher {
namespace {

constexpr size_t kMaxReport = 64 << 10;

Error malformed() {
    return Error::of("the namespace helper sent a malformed report");
}

}  // namespace

std::string encode_applied(const HookApplied& a) {
    return "A " + std::to_string(a.sysctls) + " " + std::to_string(a.objects.created) + " " +
           std::to_string(a.objects.existing) + "\n";
}

std::string encode_error(const Error& e) {
    return "E " + std::to_string(e.err) + " " + std::to_string(e.message.size()) + " " +
           std::to_string(e.hint.size()) + "\n" + e.message + e.hint;
}

Result<HookApplied> decode_report(const std::string& m) {
    const size_t eol = m.find('\n');
    if (eol == std::string::npos) return malformed();
    const std::string head = m.substr(0, eol);
    if (head.rfind("A ", 0) == 0) {
        HookApplied a;
        int used = 0;
        if (std::sscanf(head.c_str(), "A %zu %zu %zu%n", &a.sysctls, &a.objects.created,
                        &a.objects.existing, &used) != 3 ||
            static_cast<size_t>(used) != head.size() || eol + 1 != m.size())
            return malformed();
        return a;
    }
    int err = 0, used = 0;
    size_t message_size = 0, hint_size = 0;
    if (std::sscanf(head.c_str(), "E %d %zu %zu%n", &err, &message_size, &hint_size, &used) != 3 ||
        static_cast<size_t>(used) != head.size() || m.size() - eol - 1 != message_size + hint_size)
        return malformed();
    Error e{m.substr(eol + 1, message_size), m.substr(eol + 1 + message_size), err};
    return e;
}

void write_report(int fd, const std::string& message) {
    const char* p = message.data();
    size_t left = message.size();
    while (left > 0) {
        const ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        p += n;
        left -= static_cast<size_t>(n);
    }
}

std::string read_report(int fd) {
    std::string out;
    char buf[4096];
    while (out.size() < kMaxReport) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

}  // namespace ipcbox::launcher
