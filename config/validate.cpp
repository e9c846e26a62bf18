// Rules across sections, checked after command-line flags have been applied to the spec.
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "base/text.hpp"
#include "config/load.hpp"
#include "config/value_rules.hpp"

namespace ipcbox::config {

namespace {

std::string item(IpcKind kind, size_t index) {
    return std::string(kind_name(kind)) + "[" + std::to_string(index) + "]";
}

Error at(const Origin& origin, const std::string& message) {
    return Error::of(origin.str() + ": " + message);
}

// Values a flag can set without going through the TOML reader's range checks.
Status check_values(const Spec& spec) {
    const std::pair<const char*, uint32_t> ids[] = {{"sandbox.uid", spec.sandbox.uid},
                                                    {"sandbox.gid", spec.sandbox.gid}};
    for (const auto& [name, id] : ids) {
        if (id > kMaxId) {
            return Error::of(std::string(name) + ": " + std::to_string(id) +
                             " is out of range (0 to " + std::to_string(kMaxId) + ")");
        }
    }
    if (!is_valid_hostname(spec.sandbox.hostname)) {
        return Error::of("sandbox.hostname: '" + printable(spec.sandbox.hostname) +
                         "' is not a valid hostname (1 to 64 letters, digits, '-' and '.')");
    }
    if (spec.sandbox.timeout_seconds > kMaxTimeoutSeconds) {
        return Error::of("sandbox.timeout: " + std::to_string(spec.sandbox.timeout_seconds) +
                         " is out of range (0 to " + std::to_string(kMaxTimeoutSeconds) + ")");
    }
    if (spec.dev_shm.size_bytes == 0u)
        return Error::of("dev_shm.size: must be greater than 0, got 0");
    const int e = spec.block.errno_value;
    if (e != EPERM && e != EACCES && e != ENOSYS) {
        return Error::of("block.errno: " + std::to_string(e) +
                         " is not one of EPERM, EACCES, ENOSYS");
    }
    return {};
}

Status check_namespaces(const Spec& spec) {
    if (spec.sandbox.mount) return {};
    if (!spec.sandbox.tmpfs.empty()) {
        return at(spec.sandbox.tmpfs[0].origin,
                  "sandbox.tmpfs needs sandbox.mount = true: each tmpfs is a mount in the "
                  "sandbox's mount namespace");
    }
    if (spec.sandbox.pid) {
        return Error::of(
            "sandbox.pid = true needs sandbox.mount = true: a new PID namespace needs its own "
            "/proc, which is mounted in the sandbox's mount namespace");
    }
    if (spec.dev_shm.mode != DevShmMode::Host) {
        const char* mode = spec.dev_shm.mode == DevShmMode::Private ? "private" : "none";
        return Error::of(std::string("dev_shm.mode = \"") + mode +
                         "\" needs sandbox.mount = true: the sandbox's own /dev/shm is a mount in "
                         "its mount namespace (dev_shm.mode = \"host\" shares the host's)");
    }
    return {};
}

Status check_block(const Block& block, DevShmMode dev_shm) {
    for (IpcKind kind : block.create) {
        if (contains(block.kinds, kind)) {
            return Error::of(std::string("block: '") + kind_name(kind) +
                             "' is in both kinds and create; kinds already blocks creating it");
        }
        if (kind == IpcKind::PosixShm || kind == IpcKind::PosixSemaphore) {
            return Error::of(std::string("block.create: '") + kind_name(kind) +
                             "' cannot be enforced: shm_open() and sem_open() are plain opens of "
                             "files in /dev/shm, which no syscall filter can tell apart from "
                             "other file creation; put it in block.kinds instead");
        }
    }
    for (IpcKind kind : {IpcKind::PosixShm, IpcKind::PosixSemaphore}) {
        if (contains(block.kinds, kind) && dev_shm == DevShmMode::Host) {
            return Error::of(std::string("block.kinds: blocking '") + kind_name(kind) +
                             "' empties /dev/shm and makes it read-only, which needs the "
                             "sandbox's own /dev/shm; it cannot be used with dev_shm.mode = "
                             "\"host\"");
        }
    }
    return {};
}

// A kept capability lives in a user namespace nested in the sandbox's, so it reaches only the
// namespaces made there (network, its own mounts), never the IPC namespace or the locked mounts.
Status check_capabilities(const Spec& spec) {
    const std::vector<Capability>& kept = spec.sandbox.capabilities;
    if (kept.empty()) return {};
    if (spec.sandbox.user == UserMode::Host)
        return Error::of(std::string("sandbox.capabilities: '") + capability_name(kept[0]) +
                         "' needs a user namespace to be kept in, so that it reaches only the "
                         "sandbox's own namespaces; user = \"host\" has none (use \"auto\")");
    const bool shm_blocked = contains(spec.block.kinds, IpcKind::PosixShm) ||
                             contains(spec.block.kinds, IpcKind::PosixSemaphore);
    if (shm_blocked && std::find(kept.begin(), kept.end(), kCapSysAdmin) != kept.end())
        return Error::of(
            "sandbox.capabilities: 'CAP_SYS_ADMIN' would let the command mount a tmpfs of its own "
            "over the closed /dev/shm and undo block.kinds; keep it only without blocking "
            "posix.shm or posix.semaphore");
    return {};
}

std::string tmpfs_item(const std::vector<Tmpfs>& mounts, size_t i) {
    return "sandbox.tmpfs[" + std::to_string(i) + "] ('" + printable(mounts[i].path) + "')";
}

// Paths set by a flag have not been through the parser. A path inside another tmpfs would not
// exist once that one is mounted; the same path twice would hide the first.
Status check_tmpfs(const std::vector<Tmpfs>& mounts) {
    for (size_t i = 0; i < mounts.size(); ++i) {
        Result<std::string> normal = tmpfs_path(mounts[i].path);
        if (!normal)
            return at(mounts[i].origin,
                      "sandbox.tmpfs[" + std::to_string(i) + "]: " + normal.error().message);
        if (*normal != mounts[i].path)
            return at(mounts[i].origin, tmpfs_item(mounts, i) + ": not normalised; write '" +
                                            printable(*normal) + "'");
        for (size_t j = 0; j < i; ++j) {
            const std::string& a = mounts[j].path;
            const std::string& b = mounts[i].path;
            if (a == b)
                return at(mounts[i].origin,
                          tmpfs_item(mounts, i) + " duplicates " + tmpfs_item(mounts, j));
            const bool b_in_a =
                b.size() > a.size() && b.compare(0, a.size(), a) == 0 && b[a.size()] == '/';
            const bool a_in_b =
                a.size() > b.size() && a.compare(0, b.size(), b) == 0 && a[b.size()] == '/';
            if (b_in_a || a_in_b)
                return at(mounts[i].origin,
                          tmpfs_item(mounts, i) + " and " + tmpfs_item(mounts, j) +
                              " are nested: the inner one would not exist in the outer, empty "
                              "tmpfs; keep only the outer one");
        }
    }
    return {};
}

// Objects that the block section would make unreachable, or that /dev/shm cannot hold.
Status check_preseed_targets(const Spec& spec) {
    const std::vector<IpcKind>& kinds = spec.block.kinds;
    const bool shm_blocked =
        contains(kinds, IpcKind::PosixShm) || contains(kinds, IpcKind::PosixSemaphore);
    if (contains(kinds, IpcKind::PosixQueue) && !spec.objects.posix_queues.empty()) {
        return at(spec.objects.posix_queues[0].origin,
                  item(IpcKind::PosixQueue, 0) +
                      ": cannot be preseeded while block.kinds has 'posix.queue'");
    }
    std::vector<std::pair<std::string, Origin>> in_dev_shm;
    for (size_t i = 0; i < spec.objects.posix_shms.size(); ++i) {
        in_dev_shm.emplace_back(item(IpcKind::PosixShm, i), spec.objects.posix_shms[i].origin);
    }
    for (size_t i = 0; i < spec.objects.posix_semaphores.size(); ++i) {
        in_dev_shm.emplace_back(item(IpcKind::PosixSemaphore, i),
                                spec.objects.posix_semaphores[i].origin);
    }
    if (in_dev_shm.empty()) return {};
    const auto& [name, origin] = in_dev_shm.front();
    if (shm_blocked) {
        const char* blocked = contains(kinds, IpcKind::PosixShm) ? "posix.shm" : "posix.semaphore";
        return at(origin, name + ": cannot be preseeded while block.kinds has '" + blocked +
                              "': blocking POSIX shm or semaphores empties /dev/shm and makes it "
                              "read-only, which blocks both");
    }
    if (spec.dev_shm.mode != DevShmMode::Private) {
        return at(origin, name +
                              ": needs dev_shm.mode = \"private\": POSIX shm and semaphores are "
                              "files in the sandbox's own /dev/shm (\"none\" leaves it empty and "
                              "read-only, \"host\" would create them on the host)");
    }
    return {};
}

// The first item whose label (when it has one) repeats an earlier item's. Each label is made
// once and looked up in a hash map: specs with thousands of objects stay linear.
template <class T>
Status check_unique(const std::vector<T>& items, IpcKind kind,
                    const std::function<std::optional<std::string>(const T&)>& label) {
    std::unordered_map<std::string, size_t> first_with;
    first_with.reserve(items.size());
    for (size_t j = 0; j < items.size(); ++j) {
        std::optional<std::string> b = label(items[j]);
        if (!b) continue;
        auto [earlier, inserted] = first_with.emplace(*b, j);
        if (!inserted) {
            return at(items[j].origin, item(kind, j) + " (" + *b + ") duplicates " +
                                           item(kind, earlier->second) + " (" + *b + ")");
        }
    }
    return {};
}

template <class T>
Status check_sysv_unique(const std::vector<T>& items, IpcKind kind) {
    Status keys = check_unique<T>(items, kind, [](const T& o) -> std::optional<std::string> {
        if (!o.key.value && o.key.ftok_path.empty()) return std::nullopt;
        return o.key.str();
    });
    if (!keys) return keys;
    return check_unique<T>(items, kind, [](const T& o) -> std::optional<std::string> {
        if (!o.id) return std::nullopt;
        return "id " + std::to_string(*o.id);
    });
}

template <class T>
Status check_posix_unique(const std::vector<T>& items, IpcKind kind) {
    return check_unique<T>(items, kind, [](const T& o) { return "name " + o.name; });
}

Status check_duplicates(const Spec& spec) {
    if (Status s = check_sysv_unique(spec.objects.sysv_queues, IpcKind::SysvQueue); !s) return s;
    if (Status s = check_sysv_unique(spec.objects.sysv_semaphores, IpcKind::SysvSemaphore); !s)
        return s;
    if (Status s = check_sysv_unique(spec.objects.sysv_shms, IpcKind::SysvShm); !s) return s;
    if (Status s = check_posix_unique(spec.objects.posix_queues, IpcKind::PosixQueue); !s) return s;
    if (Status s = check_posix_unique(spec.objects.posix_shms, IpcKind::PosixShm); !s) return s;
    return check_posix_unique(spec.objects.posix_semaphores, IpcKind::PosixSemaphore);
}

}  // namespace

Status validate(const Spec& spec) {
    if (Status s = check_values(spec); !s) return s;
    if (Status s = check_namespaces(spec); !s) return s;
    if (Status s = check_tmpfs(spec.sandbox.tmpfs); !s) return s;
    if (Status s = check_block(spec.block, spec.dev_shm.mode); !s) return s;
    if (Status s = check_capabilities(spec); !s) return s;
    if (Status s = check_preseed_targets(spec); !s) return s;
    if (spec.dev_shm.size_bytes && spec.dev_shm.mode == DevShmMode::Private)
        if (Status s =
                check_posix_shm_room(spec.objects, *spec.dev_shm.size_bytes,
                                     "dev_shm.size " + std::to_string(*spec.dev_shm.size_bytes));
            !s)
            return s;
    return check_duplicates(spec);
}

Status check_posix_shm_room(const Objects& objects, uint64_t dev_shm_bytes,
                            const std::string& what) {
    const std::vector<PosixShm>& shms = objects.posix_shms;
    for (size_t i = 0; i < shms.size(); ++i) {
        if (shms[i].size_bytes <= dev_shm_bytes) continue;
        const std::string message = item(IpcKind::PosixShm, i) + ": size " +
                                    std::to_string(shms[i].size_bytes) +
                                    " does not fit in the /dev/shm that holds it (" + what + ")";
        return shms[i].origin.file.empty() ? Error::of(message) : at(shms[i].origin, message);
    }
    return {};
}

namespace {

// ftok() takes its key from an existing file's inode: a missing one fails only inside the sandbox.
template <class T>
Status check_ftok_paths(const std::vector<T>& objects, IpcKind kind) {
    for (size_t i = 0; i < objects.size(); ++i) {
        const SysvKey& key = objects[i].key;
        if (key.ftok_path.empty()) continue;
        struct stat st;
        if (stat(key.ftok_path.c_str(), &st) == 0) continue;
        const int err = errno;
        const std::string why = err == ENOENT
                                    ? " does not exist (ftok takes the key from a file's inode)"
                                    : std::string(" cannot be reached: ") + strerror(err);
        return Error{
            at(key.ftok_origin, item(kind, i) + ".ftok.path: " + printable(key.ftok_path) + why)
                .message,
            {},
            err};
    }
    return {};
}

}  // namespace

Status validate_on_host(const Spec& spec) {
    const Objects& o = spec.objects;
    if (Status s = check_ftok_paths(o.sysv_queues, IpcKind::SysvQueue); !s) return s;
    if (Status s = check_ftok_paths(o.sysv_semaphores, IpcKind::SysvSemaphore); !s) return s;
    if (Status s = check_ftok_paths(o.sysv_shms, IpcKind::SysvShm); !s) return s;
    const std::vector<Tmpfs>& mounts = spec.sandbox.tmpfs;
    for (size_t i = 0; i < mounts.size(); ++i) {
        struct stat st;
        if (stat(mounts[i].path.c_str(), &st) != 0) {
            const int err = errno;
            std::string why = err == ENOENT ? "does not exist on this machine (a tmpfs can only "
                                              "cover an existing directory)"
                                            : std::string("cannot be reached: ") + strerror(err);
            return Error{at(mounts[i].origin, tmpfs_item(mounts, i) + " " + why).message, {}, err};
        }
        if (!S_ISDIR(st.st_mode))
            return at(mounts[i].origin,
                      tmpfs_item(mounts, i) + " is not a directory (a tmpfs can only cover one)");
    }
    return {};
}

}  // namespace ipcbox::config
