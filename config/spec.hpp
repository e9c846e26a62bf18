// The typed, validated spec: what a TOML file and the command-line flags resolve to. Every default
// lives here and nowhere else; precedence is defaults < file < flags.
#pragma once

#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/capabilities.hpp"

namespace ipcbox::config {

// Where a value came from, so later errors can still point into the spec.
struct Origin {
    std::string file;  // empty for defaults and flags
    uint32_t line = 0;
    uint32_t column = 0;
    std::string str() const;  // "file:line:column", or "<command line>"
};

enum class UserMode { Auto, New, Host };  // auto: new user ns unless running as root
enum class DevShmMode { Private, None, Host };
// Landlock scopes (ABI 6): what the command may reach outside the sandbox without a namespace.
enum class Scope {
    AbstractUnix,  // connect/send only to abstract unix sockets made inside the sandbox
    Signal,        // signal only processes of the sandbox
};
inline constexpr Scope kAllScopes[] = {Scope::AbstractUnix, Scope::Signal};

// Names as written in a spec and on the command line (implemented in config/names.cpp; shared by
// the TOML parser and the flags). Unknown names give nullopt.
const char* user_mode_name(UserMode mode);
std::optional<UserMode> user_mode_from_name(const std::string& name);
const char* dev_shm_mode_name(DevShmMode mode);
std::optional<DevShmMode> dev_shm_mode_from_name(const std::string& name);
const char* errno_name(int err);  // "EPERM", "EACCES", "ENOSYS"
std::optional<int> errno_from_name(const std::string& name);
const char* scope_name(Scope scope);  // "abstract-unix", "signal"
std::optional<Scope> scope_from_name(const std::string& name);

// A fresh, empty tmpfs over a directory the host has, so the FIFOs, path sockets, lock and pid
// files made under it are the sandbox's own.
struct Tmpfs {
    Origin origin;
    std::string path;                    // absolute, without "." or ".." (config/value_rules.hpp)
    std::optional<uint64_t> size_bytes;  // default: the kernel's (half of the RAM)
    std::optional<uint32_t> mode;        // default: default_tmpfs_mode(path)
};
// 01777 for the world-writable places (/tmp, /var/tmp), 0755 elsewhere.
uint32_t default_tmpfs_mode(const std::string& path);

struct Sandbox {
    UserMode user = UserMode::Auto;
    uint32_t uid = 0;  // the caller's ids inside a new user ns
    uint32_t gid = 0;
    bool mount = true;
    bool net = false;
    bool pid = false;
    std::string hostname;  // non-empty: new UTS ns with this name
    bool die_with_parent = true;
    uint32_t timeout_seconds = 0;  // 0 = none
    std::vector<Scope> scopes;     // each at most once
    std::vector<Tmpfs> tmpfs;      // mounted in this order
    // Kept by the command, in a user namespace of its own nested in the sandbox's (each once).
    std::vector<Capability> capabilities;
};

struct DevShm {
    DevShmMode mode = DevShmMode::Private;
    // Default: the size of the /dev/shm the command would have had without ipcbox (the host's,
    // found when the plan is made; see launcher/run/plan.cpp).
    std::optional<uint64_t> size_bytes;
};

enum class IpcKind { SysvQueue, SysvSemaphore, SysvShm, PosixQueue, PosixShm, PosixSemaphore };
inline constexpr IpcKind kAllIpcKinds[] = {IpcKind::SysvQueue, IpcKind::SysvSemaphore,
                                           IpcKind::SysvShm,   IpcKind::PosixQueue,
                                           IpcKind::PosixShm,  IpcKind::PosixSemaphore};
const char* kind_name(IpcKind kind);  // "sysv.queue", ...
bool is_sysv(IpcKind kind);
bool contains(const std::vector<IpcKind>& kinds, IpcKind kind);
std::optional<IpcKind> kind_from_name(const std::string& name);

// A SysV key: a literal, or ftok(path, proj) computed when the plan is made.
struct SysvKey {
    std::optional<key_t> value;
    std::string ftok_path;  // absolute after parsing (relative paths resolve against the spec dir)
    int ftok_proj = 0;
    Origin ftok_origin;       // of the path, for `validate` to point at one that does not exist
    std::string str() const;  // "key 0x1234" or "ftok(/p, 65)"
};

// Ownership and permissions as seen from inside the sandbox.
struct Access {
    uint32_t mode = 0600;
    std::optional<uint32_t> owner;  // default: the sandbox uid
    std::optional<uint32_t> group;  // default: the sandbox gid
};

struct SysvMessage {
    long type = 1;
    std::string bytes;  // from text, hex or file, already loaded
};

struct SysvQueue {
    Origin origin;
    SysvKey key;
    std::optional<int> id;
    Access access;
    std::optional<uint64_t> max_bytes;  // msg_qbytes
    std::vector<SysvMessage> messages;
};

struct SysvSemaphore {
    Origin origin;
    SysvKey key;
    std::optional<int> id;
    Access access;
    std::vector<int> values;  // nsems = values.size()
};

struct SysvShm {
    Origin origin;
    SysvKey key;
    std::optional<int> id;
    Access access;
    uint64_t size_bytes = 0;
    std::string initial;  // initial bytes, must fit in size_bytes
};

struct PosixMessage {
    unsigned priority = 0;
    std::string bytes;
};

struct PosixQueue {
    Origin origin;
    std::string name;  // "/jobs"
    std::optional<long> max_messages;
    std::optional<long> message_size;
    uint32_t mode = 0600;
    std::vector<PosixMessage> messages;
};

struct PosixShm {
    Origin origin;
    std::string name;
    uint64_t size_bytes = 0;
    uint32_t mode = 0600;
    std::string initial;
};

struct PosixSemaphore {
    Origin origin;
    std::string name;
    unsigned value = 0;
    uint32_t mode = 0600;
};

struct Sysctl {
    Origin origin;
    std::string key;    // "kernel.msgmnb"
    std::string value;  // as written to /proc/sys ("65536", "250 32000 32 128")
};

struct Block {
    std::vector<IpcKind> kinds;   // every syscall of these kinds fails
    std::vector<IpcKind> create;  // only creating new objects of these kinds fails
    int errno_value = EPERM;      // EPERM, EACCES or ENOSYS
};

// Where the leak report goes (launcher/leaks makes the report itself).
enum class LeakOutput { Off, Stderr, File };
struct Leaks {
    LeakOutput report = LeakOutput::Off;
    std::string path;  // with File
    bool fail = false;

    // report = "stderr" | PATH, or fail = true (which alone reports to stderr).
    bool wanted() const { return report != LeakOutput::Off || fail; }
};

// Only read by `ipcbox hook`.
struct Hook {
    // Apply the objects even when the container shares ipcbox's own IPC namespace (they then land
    // in that shared namespace; [sysctl] is still refused there).
    bool allow_shared_ipc = false;
};

// The objects to preseed, in spec order within each kind: all that ipc::preseed needs.
struct Objects {
    std::vector<SysvQueue> sysv_queues;
    std::vector<SysvSemaphore> sysv_semaphores;
    std::vector<SysvShm> sysv_shms;
    std::vector<PosixQueue> posix_queues;
    std::vector<PosixShm> posix_shms;
    std::vector<PosixSemaphore> posix_semaphores;

    bool any() const {
        return !sysv_queues.empty() || !sysv_semaphores.empty() || !sysv_shms.empty() ||
               !posix_queues.empty() || !posix_shms.empty() || !posix_semaphores.empty();
    }
};

struct Spec {
    std::string path;  // the spec file, empty when none was given
    Sandbox sandbox;
    DevShm dev_shm;
    std::vector<Sysctl> sysctls;
    Objects objects;
    Block block;
    Leaks leaks;
    Hook hook;
};

}  // namespace ipcbox::config
