// Limits and name rules shared by the parser and validate() (flags can set some of these too).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace ipcbox::config {

// (uid_t)-1 means "no change" to chown() and setresuid(), so it cannot name a user.
inline constexpr int64_t kMaxId = 4294967294;
inline constexpr int64_t kMaxTimeoutSeconds = 31536000;   // one year
inline constexpr int64_t kMaxSemValue = 32767;            // SEMVMX
inline constexpr int64_t kMaxPosixSemValue = 2147483647;  // SEM_VALUE_MAX
inline constexpr int64_t kMaxMqPriority = 32767;          // MQ_PRIO_MAX - 1
// The kernel's hard ceilings (HARD_MSGMAX, HARD_MSGSIZEMAX); no sysctl raises them.
inline constexpr int64_t kMaxMqMessages = 65536;
// What a new IPC namespace starts with: kernel.msgmax (MSGMAX) and fs.mqueue.msgsize_default.
inline constexpr uint64_t kDefaultMsgmax = 8192;
inline constexpr uint64_t kDefaultMqMessageSize = 8192;
inline constexpr int64_t kMaxMqMessageSize = 16 << 20;

// Empty, or 1 to 64 letters, digits, '-' and '.' (HOST_NAME_MAX and RFC 1123's alphabet).
bool is_valid_hostname(std::string_view name);
// "/jobs": a '/', then 1 to 254 characters without '/', and not "." or "..".
bool is_valid_posix_name(std::string_view name);
// `path` as a sandbox.tmpfs mount point, with repeated and trailing '/' dropped. An error (the
// path shown escaped) when it is not absolute, holds a NUL byte or a "." or ".." component, or
// is a place ipcbox or the kernel owns: "/", /dev, /dev/shm (dev_shm's) and /proc, and under them.
Result<std::string> tmpfs_path(std::string_view path);

}  // namespace ipcbox::config
