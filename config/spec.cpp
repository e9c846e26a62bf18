// Names and one-line descriptions of spec values, as they appear in TOML and in messages.
#include "config/spec.hpp"

#include <algorithm>
#include <cstdio>

namespace ipcbox::config {

std::string Origin::str() const {
    if (file.empty()) return "<command line>";
    if (line == 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const char* kind_name(IpcKind kind) {
    switch (kind) {
        case IpcKind::SysvQueue:
            return "sysv.queue";
        case IpcKind::SysvSemaphore:
            return "sysv.semaphore";
        case IpcKind::SysvShm:
            return "sysv.shm";
        case IpcKind::PosixQueue:
            return "posix.queue";
        case IpcKind::PosixShm:
            return "posix.shm";
        case IpcKind::PosixSemaphore:
            return "posix.semaphore";
    }
    return "?";
}

bool is_sysv(IpcKind kind) {
    return kind == IpcKind::SysvQueue || kind == IpcKind::SysvSemaphore || kind == IpcKind::SysvShm;
}

bool contains(const std::vector<IpcKind>& kinds, IpcKind kind) {
    return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::optional<IpcKind> kind_from_name(const std::string& name) {
    for (IpcKind kind : kAllIpcKinds) {
        if (name == kind_name(kind)) return kind;
    }
    return std::nullopt;
}

uint32_t default_tmpfs_mode(const std::string& path) {
    // Shared scratch space: everyone may create files, only their owner may remove them.
    return path == "/tmp" || path == "/var/tmp" ? 01777 : 0755;
}

std::string SysvKey::str() const {
    if (value) {
        // As ipcs(1) shows keys: the 32-bit pattern in hex, so negative keys read 0xffff....
        char buf[32];
        std::snprintf(buf, sizeof buf, "key 0x%x", static_cast<unsigned>(*value));
        return buf;
    }
    if (!ftok_path.empty()) return "ftok(" + ftok_path + ", " + std::to_string(ftok_proj) + ")";
    return "no key";
}

}  // namespace ipcbox::config
