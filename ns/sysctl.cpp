// Writes each per-IPC-namespace knob under /proc/sys, then reads it back: the kernel may clamp,
// reformat or silently ignore a value (auto_msgmni always reads 0), and a preseed that relies on a
// limit must not run with a different one.
#include "ns/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "config/sysctl_knobs.hpp"

namespace ipcbox::ns {
namespace {

// "+007" -> "7", "-0" -> "0"; anything that is not an integer stays as written.
std::string canonical_token(std::string_view t) {
    bool negative = false;
    std::string_view digits = t;
    if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
        negative = digits[0] == '-';
        digits.remove_prefix(1);
    }
    if (digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::string(t);
    while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
    if (digits == "0") negative = false;
    return (negative ? "-" : "") + std::string(digits);
}

// Whitespace-separated tokens joined by one space: kernel.sem reads back tab-separated.
std::string normalize(std::string_view text) {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i == start) break;
        if (!out.empty()) out += ' ';
        out += canonical_token(text.substr(start, i - start));
    }
    return out;
}

std::string hint_for(int err) {
    if (err == EPERM || err == EACCES)
        return "IPC sysctls are only writable inside a new IPC namespace owned by the sandbox's "
               "user namespace";
    if (err == EINVAL) return "the kernel refused the value: out of range or malformed";
    return {};
}

// The knob's value, normalized; reads at offset 0 so one descriptor serves before and after.
Result<std::string> read_value(int fd, const std::string& what) {
    char buf[256];
    const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n < 0) return Error::from_errno(what + ": read", errno);
    return normalize(std::string_view(buf, n));
}

Status apply_one(const config::Sysctl& s) {
    const std::string what = "sysctl " + s.key;
    // Only knobs that belong to the IPC namespace: anything else would change the host. A knob
    // without effect (kernel.auto_msgmni) is still written: the spec parser refuses it, and what
    // reads back (auto_msgmni is always 0) is checked like any other knob's.
    if (!config::find_sysctl_knob(s.key)) return Error::of(what + ": not a per-IPC-namespace knob");
    const std::string path = config::sysctl_path(s.key);
    const std::string wanted = normalize(s.value);

    const int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return Error::from_errno(what + ": open " + path, err).with_hint(hint_for(err));
    }
    auto before = read_value(fd, what);
    // Already so: nothing to write. This is also how "*_next_id = -1" (the default of a new
    // namespace) works, a value the kernel refuses to be written.
    if (before && *before == wanted) {
        close(fd);
        return {};
    }
    // One write() call at offset 0: proc handlers parse a single buffer.
    const ssize_t n = pwrite(fd, s.value.data(), s.value.size(), 0);
    const int err = errno;
    auto after = n < 0 ? Result<std::string>(Error::of("")) : read_value(fd, what);
    close(fd);
    if (n < 0) return Error::from_errno(what + ": write " + s.value, err).with_hint(hint_for(err));
    if (static_cast<size_t>(n) != s.value.size())
        return Error::of(what + ": write " + s.value + ": short write");
    if (!after) return std::move(after).error();
    if (*after != wanted)
        return Error::of(what + ": wrote " + s.value + " but read back " + *after);
    return {};
}

}  // namespace

Status apply_sysctls(const std::vector<config::Sysctl>& sysctls) {
    for (const auto& s : sysctls) {
        Status st = apply_one(s);
        if (!st) return st;
    }
    return {};
}

}  // namespace ipcbox::ns
